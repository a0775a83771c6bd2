"""GWINs around classifiers without gradients, through a differentiable surrogate."""

import os

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import SVC

from sklearn_gwin import GWINClassifier

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
    gwin = GWINClassifier(classifier, tau=0.9, tau_star=0.9, n_iter=N_ITER, random_state=0)
    details = gwin.fit(X_train, y_train).predict_details(X_test)
    rejected = details.rejected
    before = np.mean(details.labels_before[rejected] == y_test[rejected]) if rejected.any() else np.nan
    after = np.mean(details.labels[rejected] == y_test[rejected]) if rejected.any() else np.nan
    print(f"{name:18s} surrogate agreement {gwin.surrogate_agreement_:.3f}; "
          f"{rejected.sum():3d} rejected; their accuracy {before:.3f} -> {after:.3f}")
