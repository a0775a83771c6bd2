"""
A GWIN in a Pipeline, on a DataFrame
====================================

A GWIN as the last step of a Pipeline, on a DataFrame (needs pandas: pip install pandas).
"""

import os

import pandas as pd
from sklearn.datasets import load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_gwin import GWINClassifier

N_ITER = int(os.environ.get("SKLEARN_GWIN_EXAMPLE_N_ITER", 500))

wine = load_wine(as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(
    wine.data, wine.target, stratify=wine.target, random_state=0
)
pipe = make_pipeline(
    StandardScaler(),
    GWINClassifier(LogisticRegression(C=0.05), tau=0.8, tau_star=0.8, n_iter=N_ITER, random_state=0),
)
pipe.fit(X_train, y_train)
print(f"accuracy with GWIN: {pipe.score(X_test, y_test):.3f}")

# regenerate through the pipeline: transform with the first steps, then G
gwin = pipe[-1]
X_scaled = pipe[:-1].transform(X_test)
rejected = gwin.reject(X_scaled)
regenerated = pd.DataFrame(
    pipe[:-1].inverse_transform(gwin.regenerate(X_scaled[rejected])), columns=wine.data.columns
)
print(f"{rejected.sum()} of {len(X_test)} test rows rejected; first regenerated row:")
print(regenerated.head(1).round(2).to_string())
