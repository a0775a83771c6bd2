"""The rule that keeps GWINClassifierCV from regenerating on noise."""

import numpy as np
import pytest

import itertools

from sklearn_gwin._tau_choice import choose_tau, regeneration_evidence, sign_flip_pvalue


def test_evidence_counts_fixed_and_broken_rows_among_the_rejected():
    y = np.array([0, 0, 1, 1, 0])
    before = np.array([1, 0, 0, 1, 0])
    after = np.array([0, 0, 1, 0, 0])
    certainty = np.array([0.4, 0.9, 0.3, 0.5, 0.6])
    n_fixed, n_broken, p_value, n_changed, refit_gain = regeneration_evidence(
        y, before, after, certainty, [0.0, 0.45, 1.0]
    )
    np.testing.assert_array_equal(n_fixed, [0, 2, 2])
    np.testing.assert_array_equal(n_broken, [0, 0, 1])
    np.testing.assert_array_equal(n_changed, [0, 2, 3])
    # P(X >= 2) for X ~ Binomial(2, 1/2), then for Binomial(3, 1/2)
    np.testing.assert_allclose(p_value, [1.0, 0.25, 0.5])
    np.testing.assert_array_equal(refit_gain, [0, 0, 0])


def test_a_wrong_label_changed_to_another_wrong_label_is_neither_fixed_nor_broken():
    n_fixed, n_broken, p_value, n_changed, _ = regeneration_evidence([2], [0], [1], [0.1], [0.5])
    assert (n_fixed[0], n_broken[0], p_value[0], n_changed[0]) == (0, 0, 1.0, 1)


@pytest.mark.parametrize("seed", range(20))
def test_sign_flip_pvalue_is_the_share_of_sign_patterns_that_sum_as_high(seed):
    differences = np.random.default_rng(seed).integers(-3, 4, 9)
    nonzero = differences[differences != 0]
    sums = [np.dot(signs, np.abs(nonzero)) for signs in itertools.product([-1, 1], repeat=len(nonzero))]
    expected = np.mean(np.asarray(sums) >= nonzero.sum()) if len(nonzero) else 1.0
    assert sign_flip_pvalue(differences) == pytest.approx(expected, abs=1e-12)


def test_sign_flip_pvalue_of_large_samples_by_fft_agrees_with_the_direct_convolution(monkeypatch):
    import sklearn_gwin._tau_choice as tau_choice

    # 8,000 rows near the null: a tail neither tiny nor near 1, where FFT rounding would show
    differences = np.random.default_rng(0).choice([-2, -1, 0, 1, 2], size=8000, p=[0.2, 0.2, 0.2, 0.2, 0.2])
    differences[:150] = 2
    by_fft = sign_flip_pvalue(differences)
    monkeypatch.setattr(tau_choice, "DIRECT_CONVOLUTION_LIMIT", np.inf)
    direct = sign_flip_pvalue(differences)
    assert 0.01 < direct < 0.5
    assert by_fft == pytest.approx(direct, rel=1e-9, abs=0)


def test_a_negative_refit_gain_never_makes_the_test_looser():
    # the classifier on fewer rows is right exactly where the fold classifier is wrong: a gain of -4
    # would add evidence for regeneration on rows it never touched; the McNemar p-value bounds it
    y = np.zeros(8, dtype=int)
    before = np.array([1, 1, 1, 1, 0, 0, 0, 0])
    after = np.array([0, 0, 0, 1, 1, 0, 0, 0])
    fewer = np.array([0, 0, 0, 0, 0, 0, 0, 0])
    certainty = np.full(8, 0.1)
    _, _, plain_p, _, _ = regeneration_evidence(y, before, after, certainty, [0.5])
    n_fixed, n_broken, p_value, _, gain = regeneration_evidence(y, before, after, certainty, [0.5],
                                                               labels_fewer_rows=fewer)
    assert (n_fixed[0], n_broken[0], gain[0]) == (3, 1, -4)
    assert sign_flip_pvalue([1, 1, 1, 1, -1]) < plain_p[0] == p_value[0] == pytest.approx(5 / 16)


def test_the_refit_gain_is_subtracted_from_what_regeneration_fixed():
    # six rejected rows: regeneration fixes 4 and breaks 1 against the fold classifier (p = 6/32);
    # the classifier on fewer rows is wrong on 2 rows the fold classifier gets right: with the gap
    # scaled by 2, the refit is estimated to get 4 more right, and regeneration gains nothing beyond it
    y = np.zeros(6, dtype=int)
    before = np.array([1, 1, 1, 1, 0, 0])
    after = np.array([0, 0, 0, 0, 1, 0])
    fewer = np.array([1, 1, 1, 1, 1, 1])
    certainty = np.full(6, 0.1)
    plain = regeneration_evidence(y, before, after, certainty, [0.5])
    corrected = regeneration_evidence(y, before, after, certainty, [0.5], labels_fewer_rows=fewer, gap_scale=2)
    assert (plain[0][0], plain[1][0], plain[4][0]) == (4, 1, 0)
    assert plain[2][0] == pytest.approx(6 / 32)
    # same fixed and broken, a refit gain of 4, and 6 rows that count: +1, +1, +1, +1, -1 - 2, -2
    assert (corrected[0][0], corrected[1][0], corrected[4][0], corrected[3][0]) == (4, 1, 4, 6)
    assert corrected[2][0] == pytest.approx(sign_flip_pvalue([1, 1, 1, 1, -3, -2]))
    assert corrected[2][0] > 0.5


def test_never_when_no_test_is_significant():
    # 0.03 and 0.04 would pass alone; two distinct tests double them past 0.05
    best, adjusted = choose_tau([0.0, 0.5, 0.9], [0.80, 0.85, 0.86], [1.0, 0.04, 0.03], [0, 3, 6], alpha=0.05)
    assert best == 0
    assert np.isnan(adjusted[0])
    np.testing.assert_allclose(adjusted[1:], [0.08, 0.06])


def test_the_best_scoring_significant_tau_is_chosen():
    best, adjusted = choose_tau(
        [0.0, 0.5, 0.8, 0.9], [0.80, 0.85, 0.90, 0.88], [1.0, 0.001, 0.002, 0.001], [0, 10, 20, 30], alpha=0.05
    )
    assert best == 2
    np.testing.assert_allclose(adjusted[1:], [0.003, 0.006, 0.003])


def test_taus_with_the_same_changed_rows_are_one_test():
    # 0.03 stays significant when both taus test the same rows, not after doubling
    same = choose_tau([0.0, 0.7, 0.9], [0.8, 0.9, 0.9], [1.0, 0.03, 0.03], [0, 5, 5], alpha=0.05)
    distinct = choose_tau([0.0, 0.7, 0.9], [0.8, 0.9, 0.9], [1.0, 0.03, 0.03], [0, 4, 5], alpha=0.05)
    assert same[0] == 1 and distinct[0] == 0


def test_significant_but_not_better_than_the_classifier_alone_is_never():
    # regeneration may fix more than it breaks and still lose on the score, e.g. with a rejection cost
    best, _ = choose_tau([0.0, 0.9], [0.90, 0.89], [1.0, 0.001], [0, 12], alpha=0.05)
    assert best == 0


def test_without_alpha_the_best_mean_score_wins():
    best, _ = choose_tau([0.0, 0.5, 0.9], [0.80, 0.81, 0.79], [1.0, 0.9, 0.9], [0, 3, 6], alpha=None)
    assert best == 1


@pytest.mark.parametrize("alpha", [0.05, 0.2])
def test_regenerating_on_noise_is_rare(alpha):
    # the boundary of the null: every row whose correctness regeneration changes is a fair
    # coin between fixed and broken; over the taus, the family-wise error must stay near alpha
    rng = np.random.default_rng(0)
    taus = np.array([0.0, 0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99])
    n_trials, n_rows, chosen = 1000, 300, 0
    for _ in range(n_trials):
        y = rng.integers(0, 2, n_rows)
        certainty = rng.uniform(0.0, 1.0, n_rows)
        before = np.where(rng.random(n_rows) < 0.5, y, 1 - y)
        after = np.where(rng.random(n_rows) < 0.3, 1 - before, before)
        n_fixed, n_broken, p_value, n_changed, _ = regeneration_evidence(y, before, after, certainty, taus)
        scores = [np.mean(np.where(certainty < tau, after, before) == y) for tau in taus]
        best, _ = choose_tau(taus, scores, p_value, n_changed, alpha)
        chosen += best != 0
    # without the correction the rate is about twice alpha; 3 binomial standard errors of slack
    assert chosen / n_trials <= alpha + 3 * np.sqrt(alpha * (1 - alpha) / n_trials)


def test_the_gain_counted_test_stays_near_alpha_at_the_skewed_edge_of_its_null():
    # regeneration gains exactly what the refit gains, in the most skewed way: rows it fixes where the
    # refit gains nothing (+1), rows it breaks where the refit is taken to gain one (-2). The sign-flip
    # test is exact only for symmetric differences; here it must stay within sampling error of alpha
    rng = np.random.default_rng(0)
    n_trials, n_rows, alpha, q = 2000, 60, 0.05, 0.1
    y = np.zeros(n_rows, dtype=int)
    certainty = np.zeros(n_rows)
    rejections = 0
    for _ in range(n_trials):
        kind = rng.choice(3, size=n_rows, p=[q, 2 * q, 1 - 3 * q])
        before = np.where(kind == 1, 1, 0)  # fixed rows were wrong before
        after = np.where(kind == 0, 1, 0)  # broken rows are wrong after
        fewer = np.where(kind == 0, 1, before)  # the smaller classifier misses the broken rows too
        *_, p_value, _, gain = regeneration_evidence(y, before, after, certainty, [0.5], labels_fewer_rows=fewer)
        rejections += p_value[0] <= alpha
    assert rejections / n_trials <= alpha + 3 * np.sqrt(alpha * (1 - alpha) / n_trials)
