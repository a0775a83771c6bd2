"""MNIST and Fashion-MNIST loaders with scikit-learn's ``fetch_*`` conventions.

Files are the standard gzipped IDX files, kept in ``<data_home>/mnist/`` and
``<data_home>/fashion-mnist/``. ``data_home`` defaults to the environment
variable ``SKLEARN_GWIN_DATA``, else ``~/sklearn_gwin_data``. Missing files are
downloaded from the datasets' usual mirrors when allowed and checked against
their published MD5 checksums; files already on disk are checked for a valid
IDX header and size instead (re-compressed copies are common and fine).
"""

import gzip
import hashlib
import os
import shutil
import struct
import tempfile
import urllib.request
import zlib
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

__all__ = ["fetch_mnist", "fetch_fashion_mnist", "get_data_home"]

_FILES = {
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}

DATASETS = {
    "mnist": dict(
        mirrors=(
            "https://ossci-datasets.s3.amazonaws.com/mnist/",
            "https://storage.googleapis.com/cvdf-datasets/mnist/",
        ),
        md5={
            "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
            "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
            "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
            "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
        },
        target_names=[str(d) for d in range(10)],
        description="MNIST handwritten digits (LeCun et al.), 28x28 grayscale.",
    ),
    "fashion-mnist": dict(
        # https only: the checksum is the last line of defence, not the only one
        mirrors=("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",),
        md5={
            "train-images-idx3-ubyte.gz": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
            "train-labels-idx1-ubyte.gz": "25c81989df183df01b3e8a0aad5dffbe",
            "t10k-images-idx3-ubyte.gz": "bef4ecab320f06d8554ea6380940ec79",
            "t10k-labels-idx1-ubyte.gz": "bb300cfdad3c16e7a12a480ee83cd310",
        },
        target_names=[
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
        ],
        description="Fashion-MNIST clothing images (Xiao et al., 2017), 28x28 grayscale.",
    ),
}

# the paper splits the 60,000 training images into 50,000 + 10,000 (Section 5.1);
# as in Keras' convention, the validation images are the last 10,000
PAPER_N_TRAIN = 50_000
SUBSETS = ("train", "test", "all", "paper_train", "paper_validation")


def get_data_home(data_home=None):
    """Folder of the datasets: ``data_home``, ``$SKLEARN_GWIN_DATA`` or ``~/sklearn_gwin_data``.

    The folder is neither created nor checked.

    Parameters
    ----------
    data_home : str or path-like, default=None
        The folder; ``~`` is expanded. None: the environment variable
        ``SKLEARN_GWIN_DATA`` if set, else ``~/sklearn_gwin_data``.

    Returns
    -------
    data_home : pathlib.Path
        The folder, with ``~`` expanded; it holds ``mnist/`` and
        ``fashion-mnist/``.

    See Also
    --------
    fetch_mnist : Loads MNIST from ``<data_home>/mnist/``.
    fetch_fashion_mnist : Loads Fashion-MNIST from ``<data_home>/fashion-mnist/``.

    Examples
    --------
    >>> import os
    >>> from pathlib import Path
    >>> from unittest import mock
    >>> from sklearn_gwin.datasets import get_data_home
    >>> get_data_home("~/gwin_data") == Path.home() / "gwin_data"
    True
    >>> with mock.patch.dict(os.environ, {"SKLEARN_GWIN_DATA": "/data/gwin"}):
    ...     print(get_data_home().as_posix())
    /data/gwin
    """
    if data_home is None:
        data_home = os.environ.get("SKLEARN_GWIN_DATA", Path("~") / "sklearn_gwin_data")
    return Path(data_home).expanduser()


def _md5(path):
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _download(name, folder, dataset):
    """Fetch ``name`` from the first mirror that answers; verify its MD5."""
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    try:
        _download_into(name, folder, dataset)
    finally:
        # a download that failed leaves no empty folder of its own making behind
        if created and not any(folder.iterdir()):
            folder.rmdir()


def _download_into(name, folder, dataset):
    errors = []
    for mirror in dataset["mirrors"]:
        url = mirror + name
        with tempfile.NamedTemporaryFile(dir=folder, delete=False) as tmp:
            partial = Path(tmp.name)
            try:
                with urllib.request.urlopen(url, timeout=60) as response:
                    shutil.copyfileobj(response, tmp)
            except OSError as exc:
                errors.append(f"{url}: {exc}")
            except BaseException:
                # Ctrl-C mid-download: leave no stray temporary file behind
                tmp.close()
                partial.unlink(missing_ok=True)
                raise
        if errors and errors[-1].startswith(url):
            partial.unlink(missing_ok=True)
        elif _md5(partial) != dataset["md5"][name]:
            partial.unlink()
            errors.append(f"{url}: checksum mismatch (expected MD5 {dataset['md5'][name]})")
        else:
            os.replace(partial, folder / name)
            return
    raise OSError(f"Could not download {name}:\n  " + "\n  ".join(errors))


def _read_idx(path, expected_ndim):
    try:
        with gzip.open(path, "rb") as stream:
            content = stream.read()
        zero, dtype_code, ndim = struct.unpack(">HBB", content[:4])
    except (OSError, EOFError, zlib.error, struct.error) as error:
        raise ValueError(
            f"{path} is not a readable gzipped IDX file ({type(error).__name__}: {error}). "
            "Delete it to download it again, or replace it with the standard file."
        ) from error
    if zero != 0 or dtype_code != 0x08 or ndim != expected_ndim:
        raise ValueError(f"{path} is not an unsigned-byte IDX file of {expected_ndim} dimensions.")
    shape = struct.unpack(f">{ndim}I", content[4 : 4 + 4 * ndim])
    data = np.frombuffer(content, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(shape)):
        raise ValueError(f"{path} is truncated: header says {shape}, found {data.size} values.")
    return data.reshape(shape)


def _fetch(name, *, subset, data_home, download_if_missing, return_X_y):
    if subset not in SUBSETS:
        raise ValueError(f"subset must be one of {SUBSETS}, got {subset!r}.")
    dataset = DATASETS[name]
    folder = get_data_home(data_home) / name
    parts = {"test": ("test",), "all": ("train", "test")}.get(subset, ("train",))
    images, labels = [], []
    for part in parts:
        for kind, ndim, store in (("images", 3, images), ("labels", 1, labels)):
            file_name = _FILES[f"{part}_{kind}"]
            path = folder / file_name
            if not path.exists():
                if not download_if_missing:
                    raise OSError(
                        f"{name}: {path} is missing and download_if_missing=False. Put the "
                        f"four standard files ({', '.join(_FILES.values())}) in {folder}, "
                        "or set SKLEARN_GWIN_DATA to the folder that holds "
                        f"'{name}/', or allow the download."
                    )
                _download(file_name, folder, dataset)
            store.append(_read_idx(path, ndim))
        if len(images[-1]) != len(labels[-1]):
            raise ValueError(
                f"{name}: {folder / _FILES[f'{part}_images']} holds {len(images[-1])} images but "
                f"{folder / _FILES[f'{part}_labels']} {len(labels[-1])} labels; one of them belongs "
                "to another subset. Delete both to download them again."
            )
    images, labels = np.concatenate(images), np.concatenate(labels)
    if subset == "paper_train":
        images, labels = images[:PAPER_N_TRAIN], labels[:PAPER_N_TRAIN]
    elif subset == "paper_validation":
        images, labels = images[PAPER_N_TRAIN:], labels[PAPER_N_TRAIN:]
    X = images.reshape(len(images), -1).astype(np.float32) / 255.0
    y = labels.astype(np.int64)
    if return_X_y:
        return X, y
    return Bunch(
        data=X,
        target=y,
        images=X.reshape(-1, 28, 28),
        target_names=list(dataset["target_names"]),
        feature_names=[f"pixel_{i}" for i in range(X.shape[1])],
        DESCR=f"{dataset['description']} Subset '{subset}': {len(X)} images, pixels in [0, 1].",
    )


def fetch_mnist(*, subset="train", data_home=None, download_if_missing=True, return_X_y=False):
    """Load MNIST digits as float32 ``(n, 784)`` pixels in [0, 1] and int64 labels.

    Parameters
    ----------
    subset : {"train", "test", "all", "paper_train", "paper_validation"}, default="train"
        "train" is the 60,000 training images, "test" the 10,000 test images,
        "all" both; "paper_train" / "paper_validation" are the paper's split of
        the training images into the first 50,000 and the last 10,000.
    data_home : str or path-like, default=None
        Folder holding ``mnist/``; None: ``$SKLEARN_GWIN_DATA`` or ``~/sklearn_gwin_data``.
    download_if_missing : bool, default=True
        Download missing files (MD5-checked) instead of raising ``OSError``.
    return_X_y : bool, default=False
        Return ``(X, y)`` instead of a Bunch.

    Returns
    -------
    data : sklearn.utils.Bunch
        With ``data`` (float32 of shape (n_samples, 784), pixels in [0, 1]),
        ``target`` (int64 of shape (n_samples,), digits 0-9), ``images``
        (``data`` viewed as (n_samples, 28, 28)), ``target_names`` (list of
        10 str), ``feature_names`` (``"pixel_0"`` ... ``"pixel_783"``) and
        ``DESCR``. n_samples is 60,000 for "train", 10,000 for "test" and
        "paper_validation", 70,000 for "all" and 50,000 for "paper_train".
    (X, y) : tuple of ndarray
        ``data`` and ``target`` alone, with ``return_X_y=True``.

    Raises
    ------
    ValueError
        For an unknown ``subset``, or a file on disk that is not a valid
        IDX file of the expected kind (unreadable, truncated, or images and
        labels of different lengths).
    OSError
        When a file is missing and ``download_if_missing=False``, or when
        no mirror gives a file with the published checksum.

    See Also
    --------
    fetch_fashion_mnist : The same for Fashion-MNIST.
    get_data_home : Where the files are looked for.

    Examples
    --------
    >>> from sklearn_gwin.datasets import fetch_mnist
    >>> X, y = fetch_mnist(subset="paper_validation", return_X_y=True)  # doctest: +SKIP
    >>> X.shape, X.dtype, y.shape, y.dtype  # doctest: +SKIP
    ((10000, 784), dtype('float32'), (10000,), dtype('int64'))

    Without the files and without downloading, it raises:

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     fetch_mnist(data_home=folder, download_if_missing=False)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    OSError: mnist: ... is missing and download_if_missing=False. ...
    """
    return _fetch(
        "mnist", subset=subset, data_home=data_home,
        download_if_missing=download_if_missing, return_X_y=return_X_y,
    )


def fetch_fashion_mnist(*, subset="train", data_home=None, download_if_missing=True, return_X_y=False):
    """Load Fashion-MNIST as float32 ``(n, 784)`` pixels in [0, 1] and int64 labels.

    The same loader as :func:`fetch_mnist`, with files in
    ``<data_home>/fashion-mnist/``; ``target_names`` are the ten garment
    names ("T-shirt/top" ... "Ankle boot").

    Parameters
    ----------
    subset : {"train", "test", "all", "paper_train", "paper_validation"}, default="train"
        "train" is the 60,000 training images, "test" the 10,000 test images,
        "all" both; "paper_train" / "paper_validation" are the paper's split of
        the training images into the first 50,000 and the last 10,000.
    data_home : str or path-like, default=None
        Folder holding ``fashion-mnist/``; None: ``$SKLEARN_GWIN_DATA`` or
        ``~/sklearn_gwin_data``.
    download_if_missing : bool, default=True
        Download missing files (MD5-checked) instead of raising ``OSError``.
    return_X_y : bool, default=False
        Return ``(X, y)`` instead of a Bunch.

    Returns
    -------
    data : sklearn.utils.Bunch
        With ``data`` (float32 of shape (n_samples, 784), pixels in [0, 1]),
        ``target`` (int64 of shape (n_samples,), classes 0-9), ``images``
        (``data`` viewed as (n_samples, 28, 28)), ``target_names`` (list of
        10 str), ``feature_names`` and ``DESCR``; n_samples as in
        :func:`fetch_mnist`.
    (X, y) : tuple of ndarray
        ``data`` and ``target`` alone, with ``return_X_y=True``.

    Raises
    ------
    ValueError
        For an unknown ``subset``, or a file on disk that is not a valid
        IDX file of the expected kind.
    OSError
        When a file is missing and ``download_if_missing=False``, or when
        no mirror gives a file with the published checksum.

    See Also
    --------
    fetch_mnist : The same for MNIST digits.
    get_data_home : Where the files are looked for.

    Examples
    --------
    >>> from sklearn_gwin.datasets import fetch_fashion_mnist
    >>> data = fetch_fashion_mnist(subset="test")  # doctest: +SKIP
    >>> data.images.shape, data.target_names[0]  # doctest: +SKIP
    ((10000, 28, 28), 'T-shirt/top')

    Without the files and without downloading, it raises:

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     fetch_fashion_mnist(data_home=folder, download_if_missing=False)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    OSError: fashion-mnist: ... is missing and download_if_missing=False. ...
    >>> fetch_fashion_mnist(subset="validation")
    Traceback (most recent call last):
    ...
    ValueError: subset must be one of ('train', 'test', 'all', 'paper_train', 'paper_validation'), got 'validation'.
    """
    return _fetch(
        "fashion-mnist", subset=subset, data_home=data_home,
        download_if_missing=download_if_missing, return_X_y=return_X_y,
    )
