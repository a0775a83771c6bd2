"""Models saved under a work directory, so that an interrupted benchmark resumes."""

import os
import time
from pathlib import Path

import joblib


class ModelStore:
    """Fit-or-load of named models, with the seconds each fit took.

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
        """
        path = self.path(name)
        if path.exists():
            model, seconds = joblib.load(path)
            self.log(f"  loaded {path} (fitted in {seconds:.0f} s)")
            self.loaded_seconds += seconds
            return model, seconds
        start = time.perf_counter()
        model = fit()
        seconds = time.perf_counter() - start
        # write then rename, so that Ctrl-C never leaves a half-written model behind
        partial = path.with_suffix(".partial")
        joblib.dump((model, seconds), partial)
        os.replace(partial, path)
        return model, seconds
