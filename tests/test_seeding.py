import os

import numpy as np
import pytest
import torch
from scipy import stats

from sklearn_gwin._seeding import deterministic_cuda, row_noise, torch_seeded


@pytest.fixture
def nondeterministic_torch():
    torch.use_deterministic_algorithms(False)
    yield
    torch.use_deterministic_algorithms(False)


def test_deterministic_cuda_restores_the_global_settings(nondeterministic_torch, monkeypatch):
    monkeypatch.delenv("CUBLAS_WORKSPACE_CONFIG", raising=False)
    with deterministic_cuda():
        assert torch.are_deterministic_algorithms_enabled()
        assert torch.is_deterministic_algorithms_warn_only_enabled()
        assert not torch.backends.cudnn.benchmark
    assert not torch.are_deterministic_algorithms_enabled()
    assert os.environ["CUBLAS_WORKSPACE_CONFIG"] == ":4096:8"


def test_deterministic_cuda_keeps_a_users_strict_setting(nondeterministic_torch):
    torch.use_deterministic_algorithms(True)
    with deterministic_cuda():
        assert not torch.is_deterministic_algorithms_warn_only_enabled()
    assert torch.are_deterministic_algorithms_enabled()


def test_seeded_cpu_block_repeats_and_leaves_global_settings(nondeterministic_torch):
    torch.manual_seed(123)
    expected_next = torch.rand(1)
    torch.manual_seed(123)
    draws = []
    for _ in range(2):
        with torch_seeded(7, "cpu"):
            assert not torch.are_deterministic_algorithms_enabled()
            draws.append(torch.rand(3))
    torch.testing.assert_close(draws[0], draws[1])
    torch.testing.assert_close(torch.rand(1), expected_next)  # the global generator did not move


def test_row_noise_depends_on_the_row_not_the_batch():
    rows = np.arange(12, dtype=np.float32).reshape(4, 3)
    np.testing.assert_array_equal(row_noise(rows, 5, seed=0)[2:], row_noise(rows[2:], 5, seed=0))
    assert not np.array_equal(row_noise(rows, 5, seed=0), row_noise(rows, 5, seed=0, draw=1))
    assert not np.array_equal(row_noise(rows, 5, seed=0), row_noise(rows, 5, seed=1))


def test_row_noise_is_standard_normal_and_independent_across_rows_draws_and_dimensions():
    # the vectorised counter-based draws must still be N(0, 1) noise, or the generator sees
    # other noise at inference than in training (torch.randn)
    rows = np.random.default_rng(0).random((4000, 7)).astype(np.float32)
    noise = row_noise(rows, 9, seed=3)  # odd latent_dim: the Box-Muller pairs are cut
    assert noise.shape == (4000, 9) and noise.dtype == np.float32
    for column in noise.T:
        assert stats.kstest(column, "norm").pvalue > 1e-3
    other_draw = row_noise(rows, 9, seed=3, draw=1)
    correlations = np.corrcoef(np.hstack([noise, other_draw]).T)
    off_diagonal = correlations[~np.eye(18, dtype=bool)]
    assert np.abs(off_diagonal).max() < 0.08  # about 5 standard errors at 4,000 rows


def test_row_noise_tells_apart_rows_that_differ_in_one_value():
    rows = np.zeros((3, 50), dtype=np.float64)
    rows[1, 49] = 1e-300
    rows[2, 0] = -0.0  # another byte pattern than 0.0
    noise = row_noise(rows, 4, seed=0)
    assert len({tuple(row) for row in noise}) == 3
