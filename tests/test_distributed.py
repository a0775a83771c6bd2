"""GridSearchCV over a GWIN on a dask LocalCluster (extra 'distributed')."""

import pickle

import numpy as np
import pytest
from conftest import FAST_GAN
from joblib import parallel_config
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV

from sklearn_gwin import GWINClassifier

distributed = pytest.importorskip("distributed", reason="needs the 'distributed' extra")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with distributed.Client(cluster) as client:
        yield client
    cluster.close()


def test_grid_search_on_a_local_cluster(client, iris):
    from sklearn_gwin.distributed import cap_torch_threads

    threads = cap_torch_threads(client)
    assert set(threads.values()) == {1}
    X, y = iris
    gwin = GWINClassifier(LogisticRegression(max_iter=500), tau_star=0.9, **FAST_GAN)
    grid = {"tau": [0.5, 0.9], "lambda_loss": [1.0, 10.0]}
    with parallel_config(backend="dask"):
        on_cluster = GridSearchCV(gwin, grid, cv=2, n_jobs=2).fit(X, y)
    local = GridSearchCV(gwin, grid, cv=2).fit(X, y)
    np.testing.assert_allclose(
        on_cluster.cv_results_["mean_test_score"], local.cv_results_["mean_test_score"]
    )
    np.testing.assert_array_equal(on_cluster.predict(X), local.predict(X))


def test_fitted_gwin_cloudpickles_with_torch_modules_on_cpu(iris):
    cloudpickle = pytest.importorskip("cloudpickle")
    X, y = iris
    gwin = GWINClassifier(LogisticRegression(max_iter=500), tau_star=0.9, **FAST_GAN).fit(X, y)
    restored = pickle.loads(cloudpickle.dumps(gwin))
    assert next(restored.generator_.parameters()).device.type == "cpu"
    np.testing.assert_array_equal(restored.predict(X), gwin.predict(X))
