"""
Classifiers without gradients, and the safe mode
================================================

GWINs around classifiers without gradients, and the safe mode that keeps them from hurting.

Around a random forest, gradient boosting, a calibrated SVC or k-NN, the
generator trains through a distilled surrogate, and on a table it may make
the rejected rows worse (docs/tabular.md measures where). ``GWINClassifierCV``
decides on the training rows' folds whether regenerating beats the
classifier's own labels; when it cannot show that, it keeps them (tau = 0)
and says so with a ``NoRegenerationWarning``.
"""

import copy
import os
import warnings

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import SVC

from sklearn_gwin import GWINClassifier, GWINClassifierCV
from sklearn_gwin.exceptions import NoRegenerationWarning

N_ITER = int(os.environ.get("SKLEARN_GWIN_EXAMPLE_N_ITER", 300))

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
classifiers = {
    "random forest": RandomForestClassifier(n_estimators=100, random_state=0),
    "gradient boosting": HistGradientBoostingClassifier(max_iter=50, random_state=0),
    # SVC(probability=True) is deprecated in scikit-learn 1.9; this is its replacement
    "calibrated SVC": CalibratedClassifierCV(SVC(), ensemble=False),
    "k-NN": KNeighborsClassifier(n_neighbors=15),
}
for name, classifier in classifiers.items():
    gwin = GWINClassifier(classifier, n_iter=N_ITER, random_state=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", NoRegenerationWarning)
        safe = GWINClassifierCV(gwin, cv=3).fit(X_train, y_train)
    safe_accuracy = np.mean(safe.predict(X_test) == y_test)
    # the refit is the plain GWIN's very fit (tau plays no part in fitting): look at a copy of it at
    # the default tau, leaving the search's own refit, which it rejects by, as it was
    plain = copy.copy(safe.best_estimator_).set_params(tau=gwin.tau)
    alone = np.mean(plain.estimator_.predict(X_test) == y_test)
    with_gwin = np.mean(plain.predict(X_test) == y_test)
    print(f"{name:18s} test accuracy alone {alone:.3f}, GWIN at tau={gwin.tau} {with_gwin:.3f}, "
          f"safe mode {safe_accuracy:.3f} ({safe.decision_}, tau {safe.best_tau_:g}, p={safe.pvalue_:.2g}"
          f"{', warned' if caught else ''})")
