"""The distilled surrogate: its points made and labelled in chunks, as if made whole; its steps capped."""

import numpy as np
import pytest
import torch
from sklearn.utils import check_random_state
from torch.optim.optimizer import register_optimizer_step_post_hook

from sklearn_gwin import surrogate


def _whole_array_points(X_unit, rng, noise=0.05):
    # the points as one set of whole-array draws makes them: noise, then pairs, then weights
    n = len(X_unit)
    noisy = X_unit + noise * rng.standard_normal(X_unit.shape)
    pairs = rng.randint(n, size=(n, 2))
    weight = rng.uniform(size=(n, 1))
    mixed = weight * X_unit[pairs[:, 0]] + (1 - weight) * X_unit[pairs[:, 1]]
    return np.clip(np.vstack([X_unit, noisy, mixed]), 0, 1).astype(np.float32), pairs[:, 0]


def test_points_made_in_chunks_are_the_whole_array_points(monkeypatch):
    monkeypatch.setattr(surrogate, "_CHUNK", 7)  # several chunks, the last one short
    X_unit = check_random_state(0).uniform(size=(30, 5)).astype(np.float32)
    rows, source = surrogate.augment_rows(X_unit, check_random_state(1))
    expected, first_of_pair = _whole_array_points(X_unit, check_random_state(1))
    np.testing.assert_array_equal(rows, expected)
    np.testing.assert_array_equal(source, np.concatenate([np.arange(30), np.arange(30), first_of_pair]))
    assert rows.dtype == np.float32 and rows.min() >= 0 and rows.max() <= 1


def test_the_classifier_is_asked_in_chunks_with_each_points_source(monkeypatch):
    monkeypatch.setattr(surrogate, "_CHUNK", 7)
    asked = []

    def proba(rows, source):
        asked.append(len(rows))
        return np.column_stack([source % 2, 1 - source % 2]).astype(np.float64)

    rows, source = np.zeros((30, 2), np.float32), np.arange(30)
    answers = surrogate._in_chunks(proba, rows, source, dtype=np.float32)
    assert asked == [7, 7, 7, 7, 2] and answers.dtype == np.float32
    np.testing.assert_array_equal(answers[:, 0], source % 2)


@pytest.mark.parametrize("max_steps, expected_steps", [(None, 90), (1000, 90), (10, 10), (2, 2)])
def test_the_distillation_stops_at_max_steps(monkeypatch, max_steps, expected_steps):
    # 200 rows make 600 points: 3 steps per epoch of 256, 30 epochs; a cap stops
    # training mid-epoch, and one above 90 steps changes nothing
    monkeypatch.setattr(surrogate, "_MAX_STEPS", max_steps)
    steps = []
    handle = register_optimizer_step_post_hook(lambda optimizer, args, kwargs: steps.append(1))
    try:
        X_unit = check_random_state(0).uniform(size=(200, 3)).astype(np.float32)
        _, agreement = surrogate.fit_surrogate(
            lambda rows, source: np.column_stack([rows[:, 0], 1 - rows[:, 0]]), X_unit, check_random_state(0),
            device=torch.device("cpu"),
        )
    finally:
        handle.remove()
    assert len(steps) == expected_steps and 0 <= agreement <= 1
