"""
Wrap a classifier you already trained
=====================================

Add a GWIN to a classifier that is already trained, without touching it.
"""

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

gwin = GWINClassifier(FrozenEstimator(bnn), tau=0.9, n_iter=N_ITER, random_state=0)
gwin.fit(X_train, y_train)  # trains the GAN only; bnn is not refitted or changed
assert gwin.estimator_.estimator is bnn

details = gwin.predict_details(X_test)
rejected = details.rejected
print(f"BNN alone: {np.mean(details.labels_before == y_test):.4f}; "
      f"with GWIN: {np.mean(details.labels == y_test):.4f}; {rejected.sum()} rows rejected")
if rejected.any():
    print(f"on the rejected rows: {np.mean(details.labels_before[rejected] == y_test[rejected]):.3f} "
          f"-> {np.mean(details.labels[rejected] == y_test[rejected]):.3f}")

# %%
# The rejected test digits (top) and what the generator made of them (bottom), with
# the classifier's label and certainty before and after: the paper's Figure 2.
import matplotlib.pyplot as plt  # noqa: E402

shown = np.flatnonzero(rejected)[:6]
if len(shown):
    fig, axes = plt.subplots(2, len(shown), figsize=(1.3 * len(shown) + 0.6, 3.2), squeeze=False,
                             layout="constrained")
    for col, row in enumerate(shown):
        # X_regenerated holds the first version of each rejected row, in order (the label after
        # pools all n_regen versions with the row itself): the col-th is shown[col]
        for r, (image, label, certainty) in enumerate((
            (X_test[row, 0], details.labels_before[row], details.certainty_before[row]),
            (details.X_regenerated[col, 0], details.labels[row], details.certainty[row]),
        )):
            axes[r, col].imshow(image, cmap="gray", vmin=0, vmax=1)
            axes[r, col].set_title(f"{label} ({certainty:.2f})", fontsize=8)
            axes[r, col].set_xticks([])
            axes[r, col].set_yticks([])
        axes[1, col].set_xlabel(f"true: {y_test[row]}", fontsize=8)
    axes[0, 0].set_ylabel("rejected x", fontsize=8)
    axes[1, 0].set_ylabel("regenerated x'", fontsize=8)
