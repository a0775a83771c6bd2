import numpy as np
import pytest
import torch
from conftest import FAST_GAN
from sklearn.linear_model import LogisticRegression

from sklearn_gwin import GWINClassifier
from sklearn_gwin.wgan.augment import RandomAffine
from sklearn_gwin.wgan.modules import WarpGenerator


def _square(size=12):
    image = torch.zeros(1, size, size)
    image[0, 4:8, 4:8] = 1.0
    return image


def test_random_affine_without_range_is_the_identity():
    x = torch.rand(6, 1 * 12 * 12)
    still = RandomAffine((1, 12, 12), rotation=0, translation=0, scale=(1, 1), shear=0, proportion=1.0)
    torch.testing.assert_close(still(x), x, atol=1e-5, rtol=0)


def test_random_affine_moves_the_chosen_share_of_rows():
    x = _square().reshape(1, -1).repeat(400, 1)
    torch.manual_seed(0)
    out = RandomAffine((1, 12, 12), translation=0.2, proportion=0.25)(x)
    moved = (out - x).abs().amax(dim=1) > 1e-4
    assert 0.15 < moved.float().mean().item() < 0.35
    # moved, not erased: each warped square keeps most of its ink and stays in [0, 1]
    assert out.min() >= 0 and out.max() <= 1
    ink = out[moved].sum(dim=1) / x[0].sum()
    assert ink.min() > 0.6


def test_warp_generator_starts_at_the_identity_and_can_shift():
    generator = WarpGenerator((1, 12, 12), latent_dim=3, hidden=(8,))
    x = _square().reshape(1, -1).repeat(2, 1)
    z = torch.randn(2, 3)
    torch.testing.assert_close(generator(x, z), x, atol=2e-3, rtol=0)
    # a translation of theta moves the square by whole pixels (2 / 12 per pixel)
    with torch.no_grad():
        generator.localisation[-1].bias.copy_(torch.tensor([0.0, 0.0, 2 / 12, 0.0, 0.0, 0.0]))
    moved = generator.warp(x, z).reshape(2, 12, 12)
    torch.testing.assert_close(moved[0], torch.roll(_square()[0], shifts=-1, dims=1), atol=1e-5, rtol=0)


@pytest.mark.parametrize("architecture", ["mlp", "warp"])
def test_augmented_generator_fits_images(digits_images, architecture):
    X, y = digits_images
    gwin = GWINClassifier(
        LogisticRegression(max_iter=300), tau=1.0, tau_star=0.5, augmentation="affine",
        architecture=architecture, image_shape=(1, 8, 8), **FAST_GAN,
    ).fit(X[:200].reshape(200, -1), y[:200])
    assert gwin.regenerate(X[:4].reshape(4, -1)).shape == (4, 64)
    assert len(gwin.history_["transformation_loss"]) == FAST_GAN["n_iter"]


@pytest.mark.parametrize("params", [dict(augmentation="affine"), dict(architecture="warp")])
def test_image_only_settings_on_tabular_input_are_a_clear_error(iris, params):
    X, y = iris
    with pytest.raises(ValueError, match="image input"):
        GWINClassifier(LogisticRegression(), **params, **FAST_GAN).fit(X, y)


def test_augmentation_never_reaches_the_critic():
    from sklearn_gwin.wgan.modules import MLPCritic, MLPGenerator
    from sklearn_gwin.wgan.trainer import train_wgwin_gp

    X = torch.rand(10, 4)
    critic_rows = []

    class RecordingCritic(MLPCritic):
        def forward(self, x, y_onehot):
            critic_rows.append(x.detach().clone())
            return super().forward(x, y_onehot)

    def flip(rows):
        return 1 - rows

    train_wgwin_gp(
        MLPGenerator(4, 2), RecordingCritic(4, 2), lambda rows: torch.log_softmax(rows[:, :2], dim=1), X,
        torch.zeros(10, dtype=torch.int64), torch.arange(10), n_classes=2, n_iter=1, batch_size=8, n_critic=1,
        lambda_gp=10.0, lambda_loss=1.0, lr=1e-3, betas=(0.5, 0.9), latent_dim=2, augment=flip,
    )
    # the first call scores real rows of Pc: unchanged training rows, not flipped ones
    real = critic_rows[0]
    assert all(any(torch.allclose(row, x) for x in X) for row in real)
    # the generator's last call (its own step) saw flipped rows: G starts as the identity
    fake = critic_rows[-1]
    assert all(any(torch.allclose(row, 1 - x, atol=1e-3) for x in X) for row in fake)


def test_augmentation_is_off_by_default_and_affine_warps_images(digits_images, monkeypatch):
    import sklearn_gwin._fitting as fitting

    seen = []
    train = fitting.train_wgwin_gp
    monkeypatch.setattr(fitting, "train_wgwin_gp", lambda *a, **k: seen.append(k["augment"]) or train(*a, **k))
    X, y = digits_images
    X = X[:200].reshape(200, -1)
    for augmentation in (None, "affine"):
        GWINClassifier(LogisticRegression(max_iter=300), augmentation=augmentation, tau_star=0.5,
                       image_shape=(1, 8, 8), **FAST_GAN).fit(X, y[:200])
    assert GWINClassifier().augmentation is None and seen[0] is None
    assert isinstance(seen[1], RandomAffine) and seen[1].image_shape == (1, 8, 8)


def test_grid_search_chooses_the_augmentation_on_held_out_rows(digits_images, tmp_path):
    # no augmentation suits every dataset (docs/results.md), so users choose it
    # the scikit-learn way: a search scored on the rejected rows of each fold
    from sklearn.frozen import FrozenEstimator
    from sklearn.model_selection import GridSearchCV

    from sklearn_gwin.metrics import make_gwin_scorer

    X, y = digits_images
    X = X[:300].reshape(300, -1)
    fitted = LogisticRegression(max_iter=300).fit(X, y[:300])
    search = GridSearchCV(
        GWINClassifier(FrozenEstimator(fitted), tau=0.9, tau_star=0.5, image_shape=(1, 8, 8),
                       memory=str(tmp_path), **FAST_GAN),
        {"augmentation": [None, "affine"]},
        scoring=make_gwin_scorer("rejected_accuracy"),
        cv=2,
    ).fit(X, y[:300])
    assert search.best_params_["augmentation"] in (None, "affine")
    scores = search.cv_results_["mean_test_score"]
    assert scores.shape == (2,) and np.all((0 <= scores) & (scores <= 1))
    # the frozen classifier is never refitted, whatever the augmentation
    assert search.best_estimator_.estimator_.estimator is fitted
