"""Models saved under a work directory, so that an interrupted benchmark resumes."""

import hashlib
import io
import json
import os
import time
from pathlib import Path

import joblib


class ModelStore:
    """Fit-or-load of named models, with the seconds each fit took.

    Each model is saved as ``root/<name>.joblib``, and ``root/manifest.json``
    maps the name to the sha256 of the file the store wrote. A later run loads
    a file only when the manifest lists it with that hash; any other file of
    that name (left by an older version of the store, planted, truncated or
    replaced) is not loaded: a line in the log says why, and the model is
    fitted again and overwrites it. A work directory from before the manifest
    is therefore refitted once.

    A listed file with the right hash that still fails to load (saved under
    other versions of the libraries, say) raises a ValueError naming the
    file: deleting it refits that model. It is not refitted silently, as a
    refit can take hours and the cause is worth knowing.

    The work directory must be trusted: saved models are pickles, and loading
    one runs code. The manifest guards against stray, truncated or planted
    model files, not against someone who can write the manifest itself; and
    joblib's cache under ``root/cache`` (the certainty pass's
    ``joblib.Memory``) is loaded as it is.

    Parameters
    ----------
    root : str or Path
        Folder for the saved models; created when missing.
    log : callable, default=print
    """

    def __init__(self, root, log=print):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.log = log
        self.manifest = self.root / "manifest.json"
        # fit time of the models loaded instead of fitted: a resumed run's wall
        # time plus this is what a fresh run costs
        self.loaded_seconds = 0.0

    def path(self, name):
        return self.root / f"{name}.joblib"

    def get(self, name, fit):
        """The model saved as ``name``, else ``fit()``'s, saved before returning.

        Returns
        -------
        model : object
        seconds : float
            Wall time of the fit that made the model (also when loaded).

        Raises
        ------
        ValueError
            As :meth:`load`, for a vouched-for file that does not load.
        """
        saved = self.load(name)
        if saved is not None:
            return saved
        start = time.perf_counter()
        model = fit()
        seconds = time.perf_counter() - start
        # write then rename, so that Ctrl-C never leaves a half-written model behind
        path = self.path(name)
        partial = path.with_suffix(".partial")
        joblib.dump((model, seconds), partial)
        digest = hashlib.sha256(partial.read_bytes()).hexdigest()
        os.replace(partial, path)
        # the manifest only after the model is in place: an interruption in
        # between leaves an unlisted file, which the next run refits
        self._write_manifest(name, digest)
        return model, seconds

    def load(self, name):
        """The model saved as ``name`` and its fit's seconds, or None (with a log line why not).

        Only a file this store wrote, unchanged since (the manifest's hash),
        is loaded.

        Raises
        ------
        ValueError
            When the file the manifest lists for ``name`` has the right hash
            but does not load; deleting it refits the model.
        """
        path = self.path(name)
        if not path.exists():
            return None
        # read once, then hash and load these same bytes: what is loaded is
        # what was checked
        content = path.read_bytes()
        expected = self._read_manifest().get(name)
        if expected is None:
            self.log(f"  ignoring {path}: not written by this store (not in its {self.manifest.name}); not loaded")
            return None
        if hashlib.sha256(content).hexdigest() != expected:
            self.log(
                f"  ignoring {path}: its contents changed since it was saved "
                "(sha256 mismatch; truncated or replaced?); not loaded"
            )
            return None
        try:
            model, seconds = joblib.load(io.BytesIO(content))
        except Exception as exc:
            raise ValueError(
                f"cannot load {path} ({type(exc).__name__}: {exc}), though it is the file an "
                "earlier run saved; saved under other library versions? Delete it to refit that model"
            ) from exc
        self.log(f"  loaded {path} (fitted in {seconds:.0f} s)")
        self.loaded_seconds += seconds
        return model, seconds

    def _read_manifest(self):
        # read at each use, not kept: other stores on the same root (runner.py
        # opens two) add their entries too
        try:
            entries = json.loads(self.manifest.read_text())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            # an unreadable manifest vouches for nothing: every model is refitted
            self.log(f"  ignoring {self.manifest}: unreadable ({exc}); refitting its models")
            return {}
        return entries if isinstance(entries, dict) else {}

    def _write_manifest(self, name, digest):
        entries = {**self._read_manifest(), name: digest}
        # the same write then rename as the models: never a half-written manifest
        partial = self.manifest.with_name(self.manifest.name + ".partial")
        partial.write_text(json.dumps(entries, indent=1, sort_keys=True) + "\n")
        os.replace(partial, self.manifest)
