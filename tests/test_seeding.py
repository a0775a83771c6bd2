import os

import numpy as np
import pytest
import torch

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
