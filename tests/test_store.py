"""ModelStore loads only the files it wrote itself (its manifest.json), else refits."""

import json
from types import SimpleNamespace

import joblib
import numpy as np
import pytest

from sklearn_gwin.benchmark import store as store_module
from sklearn_gwin.benchmark.store import ModelStore


class Fit:
    """A fit function that counts its calls and returns a small array."""

    def __init__(self, value=1.0):
        self.value = value
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return np.full(3, self.value)


class Planted:
    """Unpickling it creates ``marker``: proof that a planted file was loaded."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return open, (self.marker, "w")


def new_store(root):
    lines = []
    return ModelStore(root, log=lines.append), lines


@pytest.fixture
def planted(tmp_path):
    """A planted model file's bytes, and the marker its unpickling creates."""
    marker = tmp_path / "planted-code-ran"
    path = tmp_path / "planted.joblib"
    joblib.dump((Planted(marker), 0.0), path)
    # the payload is live: loading it as the store used to does create the marker
    joblib.load(path)[0].close()
    assert marker.exists()
    marker.unlink()
    return path.read_bytes(), marker


def test_saved_model_is_loaded_without_refitting(tmp_path):
    fit = Fit()
    store, _ = new_store(tmp_path / "work")
    model, seconds = store.get("m", fit)
    assert fit.calls == 1 and store.loaded_seconds == 0
    assert json.loads((tmp_path / "work" / "manifest.json").read_text()).keys() == {"m"}

    again, lines = new_store(tmp_path / "work")
    loaded, loaded_seconds = again.get("m", fit)
    assert fit.calls == 1
    np.testing.assert_array_equal(loaded, model)
    assert loaded_seconds == seconds
    assert lines == [f"  loaded {again.path('m')} (fitted in {seconds:.0f} s)"]


def test_planted_file_not_in_manifest_is_not_loaded(tmp_path, planted):
    content, marker = planted
    store, _ = new_store(tmp_path / "work")
    store.get("other", Fit())  # a manifest exists, but does not list "m"
    store.path("m").write_bytes(content)

    fit = Fit(2.0)
    store, lines = new_store(tmp_path / "work")
    model, _ = store.get("m", fit)
    assert not marker.exists()
    assert fit.calls == 1
    np.testing.assert_array_equal(model, np.full(3, 2.0))
    assert lines == [f"  ignoring {store.path('m')}: not written by this store (not in its manifest.json); not loaded"]

    # the refit overwrote the planted file, and is what the next run loads
    store, lines = new_store(tmp_path / "work")
    np.testing.assert_array_equal(store.get("m", fit)[0], np.full(3, 2.0))
    assert fit.calls == 1 and lines[0].startswith("  loaded")


def test_planted_file_without_any_manifest_is_not_loaded(tmp_path, planted):
    # a work dir from before the manifest, or a fresh folder with a planted file
    content, marker = planted
    store, lines = new_store(tmp_path / "work")
    store.path("m").write_bytes(content)
    fit = Fit()
    store.get("m", fit)
    assert not marker.exists()
    assert fit.calls == 1 and "not in its manifest.json" in lines[0]


def test_listed_file_replaced_by_a_planted_one_is_not_loaded(tmp_path, planted):
    content, marker = planted
    fit = Fit()
    store, _ = new_store(tmp_path / "work")
    store.get("m", fit)
    store.path("m").write_bytes(content)

    store, lines = new_store(tmp_path / "work")
    store.get("m", fit)
    assert not marker.exists()
    assert fit.calls == 2
    assert lines == [
        f"  ignoring {store.path('m')}: its contents changed since it was saved "
        "(sha256 mismatch; truncated or replaced?); not loaded"
    ]


def test_truncated_file_is_refitted(tmp_path):
    fit = Fit()
    store, _ = new_store(tmp_path / "work")
    store.get("m", fit)
    path = store.path("m")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])

    store, lines = new_store(tmp_path / "work")
    model, _ = store.get("m", fit)
    assert fit.calls == 2 and "sha256 mismatch" in lines[0]
    np.testing.assert_array_equal(model, np.full(3, 1.0))
    assert store.loaded_seconds == 0

    # the refit replaced the truncated file, and updated its hash
    store, lines = new_store(tmp_path / "work")
    store.get("m", fit)
    assert fit.calls == 2 and lines[0].startswith("  loaded")


def test_listed_file_that_does_not_load_names_it(tmp_path):
    # right hash, yet not loadable (as one saved under other library versions)
    store, _ = new_store(tmp_path / "work")
    store.path("m").write_bytes(b"not a pickle")
    store._write_manifest("m", store_module.hashlib.sha256(b"not a pickle").hexdigest())
    fit = Fit()
    with pytest.raises(ValueError, match="Delete it to refit") as error:
        store.get("m", fit)
    assert str(store.path("m")) in str(error.value)
    assert error.value.__cause__ is not None
    assert fit.calls == 0


def test_unreadable_manifest_refits(tmp_path):
    fit = Fit()
    store, _ = new_store(tmp_path / "work")
    store.get("m", fit)
    store.manifest.write_text("{not json")

    store, lines = new_store(tmp_path / "work")
    store.get("m", fit)
    assert fit.calls == 2
    assert lines[0].startswith(f"  ignoring {store.manifest}: unreadable")
    assert json.loads(store.manifest.read_text()).keys() == {"m"}


def test_stores_on_one_root_keep_each_others_entries(tmp_path):
    # runner.py opens two stores on the same folder
    first, _ = new_store(tmp_path / "work")
    second, _ = new_store(tmp_path / "work")
    first.get("a", Fit())
    second.get("b", Fit())
    assert json.loads(first.manifest.read_text()).keys() == {"a", "b"}


def test_loaded_seconds_counts_the_fit_time_of_loaded_models(tmp_path, monkeypatch):
    ticks = iter([0.0, 2.0, 10.0, 13.0])  # fits of 2 s and 3 s
    monkeypatch.setattr(store_module, "time", SimpleNamespace(perf_counter=lambda: next(ticks)))
    store, _ = new_store(tmp_path / "work")
    assert store.get("a", Fit())[1] == 2.0
    assert store.get("b", Fit())[1] == 3.0
    assert store.loaded_seconds == 0

    store, _ = new_store(tmp_path / "work")
    assert store.get("a", Fit())[1] == 2.0
    assert store.get("b", Fit())[1] == 3.0
    assert store.loaded_seconds == 5.0
