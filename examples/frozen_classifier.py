"""Add a GWIN to a classifier that is already trained, without touching it."""

import os

import numpy as np
from sklearn.datasets import load_digits
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import train_test_split

from sklearn_gwin import GWINClassifier
from sklearn_gwin.bnn import BayesianLeNet5

N_ITER = int(os.environ.get("SKLEARN_GWIN_EXAMPLE_N_ITER", 1000))
EPOCHS = int(os.environ.get("SKLEARN_GWIN_EXAMPLE_EPOCHS", 30))

X, y = load_digits(return_X_y=True)
X = (X / 16.0).astype(np.float32).reshape(-1, 1, 8, 8)
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)

# a Bayesian LeNet-5 trained earlier, e.g. loaded with joblib
bnn = BayesianLeNet5(image_shape=(1, 8, 8), max_epochs=EPOCHS, random_state=0, verbose=0)
bnn.fit(X_train, y_train)

gwin = GWINClassifier(FrozenEstimator(bnn), tau=0.9, tau_star=0.0 if EPOCHS < 10 else 0.9,
                      architecture="mlp", n_iter=N_ITER, random_state=0)
gwin.fit(X_train, y_train)  # trains the GAN only; bnn is not refitted or changed
assert gwin.estimator_.estimator is bnn

details = gwin.predict_details(X_test)
rejected = details.rejected
print(f"BNN alone: {np.mean(details.labels_before == y_test):.4f}; "
      f"with GWIN: {np.mean(details.labels == y_test):.4f}; {rejected.sum()} rows rejected")
if rejected.any():
    print(f"on the rejected rows: {np.mean(details.labels_before[rejected] == y_test[rejected]):.3f} "
          f"-> {np.mean(details.labels[rejected] == y_test[rejected]):.3f}")
