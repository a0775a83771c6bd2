"""Running GWIN searches on a Dask cluster.

A scikit-learn search spreads over a ``dask.distributed`` cluster with
``joblib.parallel_config(backend="dask")``. Two things need care with torch:

* each worker process would start as many torch threads as the machine has
  cores, so that several workers on one machine fight over them (a fit can get
  ten times slower): :func:`cap_torch_threads` limits every worker, present
  and future, to its share;
* estimators travel between processes by pickle: a fitted ``GWINClassifier``
  stores its torch modules on the CPU when pickled, so it holds no CUDA state
  and loads on a worker or client without a GPU.

Example (needs ``pip install "sklearn-gwin[distributed]"``)::

    from dask.distributed import Client, LocalCluster
    from joblib import parallel_config
    from sklearn.model_selection import GridSearchCV
    from sklearn_gwin.distributed import cap_torch_threads

    client = Client(LocalCluster(n_workers=2, threads_per_worker=1))
    cap_torch_threads(client)
    with parallel_config(backend="dask"):
        GridSearchCV(gwin, {"tau": taus, "lambda_loss": [1, 10]}, n_jobs=-1).fit(X, y)
"""

import torch

__all__ = ["cap_torch_threads", "TorchThreadsPlugin"]

try:
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError as exc:  # pragma: no cover - the message is the point
    raise ImportError(
        "sklearn_gwin.distributed needs dask.distributed: pip install 'sklearn-gwin[distributed]'"
    ) from exc


class TorchThreadsPlugin(WorkerPlugin):
    """Sets ``torch.set_num_threads`` on each worker when it starts.

    A ``distributed.WorkerPlugin``: registered with a client, its ``setup``
    runs on every worker, present and future (a worker restarted by its
    nanny, one added by scaling the cluster up). Registering another plugin
    of the same ``name`` replaces it.

    Parameters
    ----------
    n_threads : int or None, default=None
        Threads per worker; None takes the worker's own ``nthreads``.

    Attributes
    ----------
    name : str
        ``"sklearn-gwin-torch-threads"``, the key under which Dask keeps the
        plugin.
    n_threads : int or None
        As given.

    See Also
    --------
    cap_torch_threads : Registers this plugin with a client.

    Examples
    --------
    >>> from sklearn_gwin.distributed import TorchThreadsPlugin
    >>> plugin = TorchThreadsPlugin(n_threads=1)
    >>> plugin.name, plugin.n_threads
    ('sklearn-gwin-torch-threads', 1)

    Each worker calls ``setup`` when it starts; a stand-in worker shows what
    it does:

    >>> import torch
    >>> from types import SimpleNamespace
    >>> before = torch.get_num_threads()
    >>> TorchThreadsPlugin().setup(SimpleNamespace(state=SimpleNamespace(nthreads=1)))
    >>> torch.get_num_threads()
    1
    >>> torch.set_num_threads(before)

    On a cluster (needs one):

    >>> from dask.distributed import Client, LocalCluster
    >>> client = Client(LocalCluster(n_workers=2, threads_per_worker=1))  # doctest: +SKIP
    >>> client.register_plugin(TorchThreadsPlugin(n_threads=1))  # doctest: +SKIP
    """

    name = "sklearn-gwin-torch-threads"

    def __init__(self, n_threads=None):
        self.n_threads = n_threads

    def setup(self, worker):
        torch.set_num_threads(self.n_threads or worker.state.nthreads)


def cap_torch_threads(client, n_threads=None):
    """Limit torch's threads on every worker of ``client``, including later ones.

    Registers a :class:`TorchThreadsPlugin` with the client, which sets
    torch's thread count on each worker now and on every worker that
    starts later.

    Parameters
    ----------
    client : dask.distributed.Client
        A client connected to the cluster whose workers to limit.
    n_threads : int or None, default=None
        Torch threads per worker; None gives each worker as many torch
        threads as it has Dask threads.

    Returns
    -------
    threads : dict of str to int
        Worker address -> torch threads now in use there.

    See Also
    --------
    TorchThreadsPlugin : The plugin registered.

    Examples
    --------
    >>> from dask.distributed import Client, LocalCluster
    >>> from sklearn_gwin.distributed import cap_torch_threads
    >>> client = Client(LocalCluster(n_workers=2, threads_per_worker=1))  # doctest: +SKIP
    >>> threads = cap_torch_threads(client)  # doctest: +SKIP
    >>> sorted(set(threads.values()))  # doctest: +SKIP
    [1]
    >>> client.close()  # doctest: +SKIP
    """
    client.register_plugin(TorchThreadsPlugin(n_threads))
    return client.run(torch.get_num_threads)
