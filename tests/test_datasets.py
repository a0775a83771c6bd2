import gzip
import hashlib
import struct

import numpy as np
import pytest

from sklearn_gwin import datasets
from sklearn_gwin.datasets import fetch_fashion_mnist, fetch_mnist, get_data_home

SHARED = get_data_home()


def _needs(folder, name):
    """Skip where the real IDX files are absent; marked "mnist", so that `pytest -m mnist` selects it."""
    skip = pytest.mark.skipif(
        not (SHARED / folder / "t10k-images-idx3-ubyte.gz").exists(),
        reason=f"{name} IDX files not found under {SHARED} (set SKLEARN_GWIN_DATA)",
    )
    return lambda test: pytest.mark.mnist(skip(test))


needs_mnist = _needs("mnist", "MNIST")
needs_fashion = _needs("fashion-mnist", "Fashion-MNIST")


def _write_idx(path, array):
    header = struct.pack(">HBB", 0, 8, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    with gzip.open(path, "wb") as stream:
        stream.write(header + array.astype(np.uint8).tobytes())


def _fake_dataset(folder, n_train=6, n_test=4):
    folder.mkdir(parents=True)
    rng = np.random.RandomState(0)
    for part, n in (("train", n_train), ("t10k", n_test)):
        _write_idx(folder / f"{part}-images-idx3-ubyte.gz", rng.randint(0, 256, (n, 28, 28)))
        _write_idx(folder / f"{part}-labels-idx1-ubyte.gz", rng.randint(0, 10, n))


def test_reads_idx_files_from_data_home(tmp_path):
    _fake_dataset(tmp_path / "mnist")
    bunch = fetch_mnist(data_home=tmp_path, subset="all", download_if_missing=False)
    assert bunch.data.shape == (10, 784) and bunch.data.dtype == np.float32
    assert 0 <= bunch.data.min() and bunch.data.max() <= 1
    assert bunch.target.dtype == np.int64 and bunch.images.shape == (10, 28, 28)
    X, y = fetch_mnist(data_home=tmp_path, subset="test", return_X_y=True)
    assert X.shape == (4, 784) and y.shape == (4,)


def test_environment_variable_sets_the_default_home(tmp_path, monkeypatch):
    _fake_dataset(tmp_path / "fashion-mnist")
    monkeypatch.setenv("SKLEARN_GWIN_DATA", str(tmp_path))
    X, _ = fetch_fashion_mnist(return_X_y=True, download_if_missing=False)
    assert X.shape == (6, 784)


def test_missing_files_offline_say_where_to_put_them(tmp_path):
    with pytest.raises(OSError, match="train-images-idx3-ubyte.gz.*SKLEARN_GWIN_DATA"):
        fetch_mnist(data_home=tmp_path, download_if_missing=False)


def test_download_verifies_the_checksum(tmp_path, monkeypatch):
    mirror = tmp_path / "mirror"
    _fake_dataset(mirror)
    md5 = {p.name: hashlib.md5(p.read_bytes()).hexdigest() for p in mirror.iterdir()}
    fake = dict(datasets.DATASETS["mnist"], mirrors=(mirror.as_uri() + "/",), md5=md5)
    monkeypatch.setitem(datasets.DATASETS, "mnist", fake)
    X, _ = fetch_mnist(data_home=tmp_path / "home", return_X_y=True)
    assert X.shape == (6, 784)

    bad = dict(fake, md5={name: "0" * 32 for name in md5})
    monkeypatch.setitem(datasets.DATASETS, "mnist", bad)
    with pytest.raises(OSError, match="checksum mismatch"):
        fetch_mnist(data_home=tmp_path / "other", return_X_y=True)
    # no stray file, and no empty dataset folder made by the failed download
    assert not (tmp_path / "other" / "mnist").exists()


def test_truncated_file_is_a_clear_error(tmp_path):
    _fake_dataset(tmp_path / "mnist")
    path = tmp_path / "mnist" / "t10k-images-idx3-ubyte.gz"
    content = gzip.open(path).read()
    with gzip.open(path, "wb") as stream:
        stream.write(content[:-100])
    with pytest.raises(ValueError, match="truncated"):
        fetch_mnist(data_home=tmp_path, subset="test")


def test_unknown_subset(tmp_path):
    with pytest.raises(ValueError, match="subset must be one of"):
        fetch_mnist(data_home=tmp_path, subset="validation")


@needs_mnist
def test_real_mnist_sizes_and_paper_split():
    X, y = fetch_mnist(subset="test", return_X_y=True, download_if_missing=False)
    assert X.shape == (10_000, 784) and set(np.unique(y)) == set(range(10))
    train, _ = fetch_mnist(subset="paper_train", return_X_y=True, download_if_missing=False)
    valid, _ = fetch_mnist(subset="paper_validation", return_X_y=True, download_if_missing=False)
    assert len(train) == 50_000 and len(valid) == 10_000


@needs_fashion
def test_real_fashion_mnist_test_set():
    bunch = fetch_fashion_mnist(subset="test", download_if_missing=False)
    assert bunch.data.shape == (10_000, 784) and bunch.target_names[9] == "Ankle boot"


@pytest.mark.parametrize(
    "content", [b"", b"not gzip at all", gzip.compress(b"\x00\x00\x08\x03" + b"\x00" * 5)[:-12], gzip.compress(b"\x00")],
    ids=["empty", "not gzip", "truncated gzip", "no header"],
)
def test_corrupt_files_name_themselves_and_the_fix(tmp_path, content):
    _fake_dataset(tmp_path / "mnist")
    path = tmp_path / "mnist" / "t10k-labels-idx1-ubyte.gz"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=r"t10k-labels-idx1-ubyte.gz is not a readable .* Delete it"):
        fetch_mnist(data_home=tmp_path, subset="test")


def test_images_and_labels_of_different_subsets_are_an_error(tmp_path):
    _fake_dataset(tmp_path / "mnist", n_train=6, n_test=4)
    folder = tmp_path / "mnist"
    (folder / "train-labels-idx1-ubyte.gz").write_bytes((folder / "t10k-labels-idx1-ubyte.gz").read_bytes())
    with pytest.raises(ValueError, match=r"holds 6 images but .*train-labels-idx1-ubyte.gz 4 labels"):
        fetch_mnist(data_home=tmp_path, subset="train")


def test_an_interrupted_download_leaves_no_temporary_file(tmp_path, monkeypatch):
    def interrupted(url, timeout):
        raise KeyboardInterrupt

    monkeypatch.setattr(datasets.urllib.request, "urlopen", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fetch_mnist(data_home=tmp_path, subset="test")
    assert not (tmp_path / "mnist").exists()


def test_a_failed_download_keeps_a_folder_the_user_made(tmp_path, monkeypatch):
    def unreachable(url, timeout):
        raise OSError("no network")

    monkeypatch.setattr(datasets.urllib.request, "urlopen", unreachable)
    (tmp_path / "mnist").mkdir()
    with pytest.raises(OSError, match="(?s)Could not download.*no network"):
        fetch_mnist(data_home=tmp_path, subset="test")
    assert (tmp_path / "mnist").is_dir()


def test_every_mirror_is_https():
    for dataset in datasets.DATASETS.values():
        assert all(mirror.startswith("https://") for mirror in dataset["mirrors"])
