"""Two fits of one GWIN, compared on the rows its classifier rejects (for the benchmark scripts)."""

import numpy as np

from sklearn_gwin.benchmark.scoring import compare_rows


def compared_on_rejected_rows(gwins, X, y_true, tau, minuend, subtrahend, difference_key="difference"):
    """Accuracy on the rows the classifier rejects at ``tau``, alone and with each GWIN, and minuend - subtrahend.

    ``gwins`` maps names to GWINs fitted around the same classifier with the
    same ``random_state``: its draws are seeded by it, so all reject the same
    rows. The difference, under ``difference_key``, is in points, with the
    95% paired bootstrap interval of the benchmark package.
    """
    labels, details = {}, None
    for name, gwin in gwins.items():
        details = gwin.set_params(tau=tau).predict_details(X)
        labels[name] = details.labels
    rejected = details.rejected
    y = y_true[rejected]
    correct = {name: (labels[name][rejected] == y).astype(float) for name in labels}
    return dict(
        n_rejected=int(rejected.sum()), rejected_accuracy_alone=float(np.mean(details.labels_before[rejected] == y)),
        rejected_accuracy={name: float(values.mean()) for name, values in correct.items()},
        **{difference_key: compare_rows(correct[minuend] - correct[subtrahend])},
    )
