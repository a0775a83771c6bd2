"""scikit-learn's estimator checks, on the default configuration, with a critic, and on the safe mode."""

import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_gwin import GWINClassifier, GWINClassifierCV

from conftest import DEVICE

# The library's defaults (no critic, tau_star=0.95, three pooled draws), only
# shorter: the confident set may be empty on the checks' tiny random data.
DEFAULTS = GWINClassifier(
    LogisticRegression(max_iter=200), n_iter=30, batch_size=32, device=DEVICE, random_state=0
)
# Algorithm 1's critic (n_critic=1); tau_star=0 so that the checks' tiny
# random datasets always have a confident set for it.
WITH_CRITIC = GWINClassifier(
    LogisticRegression(),
    tau_star=0.0,
    n_iter=2,
    batch_size=16,
    n_critic=1,
    latent_dim=4,
    device=DEVICE,
    random_state=0,
)

# Row noise is a function of the row and the seed, so a row's regeneration does
# not depend on the batch; but the generator computes in float32, and BLAS sums
# in a different order for batches of other sizes, which moves probabilities by
# about 1e-8: sometimes above these checks' rtol of 1e-7. They are marked as
# non-strict expected failures (they pass in most runs).
FLOAT32_BATCHING = (
    "float32 generator: batch-composition-dependent rounding of ~1e-8 can exceed rtol=1e-7"
)
EXPECTED_FAILED_CHECKS = {
    "check_methods_sample_order_invariance": FLOAT32_BATCHING,
    "check_methods_subset_invariance": FLOAT32_BATCHING,
}


# The safe mode around a short default GWIN: two folds, one candidate tau;
# fitted fold GWINs relabel what its refit rejects (ensemble=True).
SAFE_MODE = GWINClassifierCV(
    GWINClassifier(LogisticRegression(max_iter=200), n_iter=10, batch_size=16, latent_dim=4, device=DEVICE,
                   random_state=0),
    taus=[0.5], cv=2,
)


@parametrize_with_checks(
    [DEFAULTS, WITH_CRITIC, SAFE_MODE], expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS, xfail_strict=False
)
def test_sklearn_compatible_estimator(estimator, check):
    if "array_api" in getattr(check, "func", check).__name__:
        # scikit-learn skips it with "SCIPY_ARRAY_API is not set", which says nothing to a newcomer
        pytest.skip(
            "array API input (CuPy arrays, torch tensors) is not supported: a GWIN takes numpy "
            "arrays and DataFrames (its tags say array_api_support=False)"
        )
    check(estimator)
