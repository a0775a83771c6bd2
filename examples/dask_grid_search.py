"""
A grid search on a Dask cluster
===============================

A GWIN grid search on a Dask cluster (here a local one; needs the 'distributed' extra).
"""

import os

from dask.distributed import Client, LocalCluster
from joblib import parallel_config
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_gwin import GWINClassifier
from sklearn_gwin.distributed import cap_torch_threads

N_ITER = int(os.environ.get("SKLEARN_GWIN_EXAMPLE_N_ITER", 300))

if __name__ == "__main__":
    X, y = load_breast_cancer(return_X_y=True)
    pipe = make_pipeline(
        StandardScaler(),
        GWINClassifier(LogisticRegression(C=0.05), tau_star=0.9, n_iter=N_ITER, random_state=0),
    )
    grid = {"gwinclassifier__tau": [0.6, 0.8, 0.95], "gwinclassifier__lambda_loss": [1.0, 10.0]}
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            print("torch threads per worker:", cap_torch_threads(client))
            with parallel_config(backend="dask"):
                search = GridSearchCV(pipe, grid, cv=3, n_jobs=-1).fit(X, y)
    print(f"best {search.best_params_}, accuracy {search.best_score_:.4f}")
