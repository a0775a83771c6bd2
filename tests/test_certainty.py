import numpy as np
import pytest

from sklearn_gwin.certainty import max_proba_certainty, monte_carlo_certainty, threshold_rejection


def test_monte_carlo_certainty_is_median_of_argmax_of_mean_logits():
    rng = np.random.RandomState(0)
    logits = rng.normal(size=(10, 50, 4))
    proba = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    label, certainty = monte_carlo_certainty(proba, logits)
    expected_label = logits.mean(0).argmax(1)
    np.testing.assert_array_equal(label, expected_label)
    for i in range(50):
        assert certainty[i] == pytest.approx(np.median(proba[:, i, expected_label[i]]))


def test_monte_carlo_certainty_uses_median_not_mean():
    draws = np.array([[[0.99, 0.01]], [[0.55, 0.45]], [[0.56, 0.44]]])
    _, certainty = monte_carlo_certainty(draws)
    assert certainty[0] == pytest.approx(0.56)


def test_monte_carlo_certainty_rejects_bad_shape():
    with pytest.raises(ValueError, match="n_draws, n_samples, n_classes"):
        monte_carlo_certainty(np.ones((3, 2)))


def test_max_proba_certainty():
    label, certainty = max_proba_certainty([[0.1, 0.9], [0.7, 0.3]])
    np.testing.assert_array_equal(label, [1, 0])
    np.testing.assert_allclose(certainty, [0.9, 0.7])


@pytest.mark.parametrize(
    "tau, expected",
    [(0.0, [False, False, False]), (0.5, [True, False, False]), (1.0, [True, True, True])],
)
def test_threshold_rejection_eq5(tau, expected):
    certainty = np.array([0.2, 0.5, 1.0])
    np.testing.assert_array_equal(threshold_rejection(certainty, None, tau), expected)


@pytest.mark.parametrize("shape", [(3, 2, 2), (2, 1, 2), (3, 1, 3), (3, 2)])
def test_monte_carlo_certainty_refuses_logits_shaped_unlike_the_probabilities(shape):
    proba = np.full((3, 1, 2), 0.5)
    with pytest.raises(ValueError, match="logit_draws must have the shape of proba_draws"):
        monte_carlo_certainty(proba, np.zeros(shape))


def test_tau_0_rejects_nothing_on_any_certainty_scale():
    # a certainty callable may return log-probabilities or margins: tau=0 is still the classifier alone
    np.testing.assert_array_equal(threshold_rejection(np.array([-3.0, -0.1, 2.0]), None, 0.0), [False] * 3)
