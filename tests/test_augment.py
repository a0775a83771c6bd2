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


def test_augmentation_auto_without_held_out_rows_and_affine_warps_images(digits_images, monkeypatch):
    import sklearn_gwin._generator_training as training

    seen = []
    train = training.train_wgwin_gp
    monkeypatch.setattr(training, "train_wgwin_gp", lambda *a, **k: seen.append(k["augment"]) or train(*a, **k))
    X, y = digits_images
    X = X[:200].reshape(200, -1)
    gwins = [
        GWINClassifier(LogisticRegression(max_iter=300), augmentation=augmentation, tau_star=0.5,
                       image_shape=(1, 8, 8), **FAST_GAN).fit(X, y[:200])
        for augmentation in ("auto", "affine")
    ]
    # "auto" without X_val: the rows as they are, and it says why
    assert GWINClassifier().augmentation == "auto" and seen[0] is None
    assert gwins[0].augmentation_ is None and "X_val" in gwins[0].augmentation_choice_["reason"]
    assert isinstance(seen[1], RandomAffine) and seen[1].image_shape == (1, 8, 8)
    assert gwins[1].augmentation_ == "affine" and gwins[1].augmentation_choice_ is None


class _CountsInk:
    """Says class 1 with probability 0.9 unless an 8x8 image is whole (every pixel lit).

    A one-pixel shift or a rotation cuts into a whole image, so on whole
    images of class 1 small moves help and on whole images of class 0 they hurt.
    """

    classes_ = np.array([0, 1])

    def predict_proba(self, X):
        whole = X.reshape(len(X), -1).sum(axis=1) > 63.5
        p1 = np.where(whole, 0.4, 0.9)
        return np.column_stack([1 - p1, p1])


@pytest.mark.parametrize("label, chosen", [(1, "affine"), (0, None)])
def test_choose_augmentation_warps_only_where_small_moves_fix_doubtful_held_out_rows(label, chosen):
    from sklearn_gwin import choose_augmentation

    X_val = np.ones((6, 64), dtype=np.float32)
    augmentation, evidence = choose_augmentation(_CountsInk(), X_val, np.full(6, label), (1, 8, 8))
    assert augmentation == chosen
    assert evidence["n_doubtful"] == evidence["n_scored"] == 6
    assert (evidence["accuracy_as_is"], evidence["accuracy_moved"]) == ((0.0, 100.0) if label else (100.0, 0.0))


def test_choose_augmentation_has_nothing_to_warp_without_images_or_doubt():
    from sklearn_gwin import choose_augmentation

    X_val = np.zeros((4, 64), dtype=np.float32)  # never whole: class 1 with certainty 0.9
    assert choose_augmentation(_CountsInk(), X_val, np.ones(4), None)[0] is None
    augmentation, evidence = choose_augmentation(_CountsInk(), X_val, np.ones(4), (1, 8, 8), tau_star=0.8)
    assert augmentation is None and evidence["n_doubtful"] == 0 and "tau_star" in evidence["reason"]


def test_auto_trains_the_generator_its_choice_would(digits_images):
    # the benchmark loads the fixed choice's saved GWIN for "auto": the two fits must be one
    X, y = digits_images
    X, y = X.reshape(len(X), -1), y
    settings = dict(tau_star=0.9, image_shape=(1, 8, 8), **FAST_GAN)
    estimator = LogisticRegression(max_iter=300)
    auto = GWINClassifier(estimator, augmentation="auto", **settings).fit(
        X[:300], y[:300], X_val=X[300:600], y_val=y[300:600]
    )
    assert auto.augmentation_choice_["n_validation"] == 300
    fixed = GWINClassifier(estimator, augmentation=auto.augmentation_, **settings).fit(X[:300], y[:300])
    other = GWINClassifier(
        estimator, augmentation=None if auto.augmentation_ else "affine", **settings
    ).fit(X[:300], y[:300])
    for name, value in auto.generator_.state_dict().items():
        torch.testing.assert_close(value, fixed.generator_.state_dict()[name], rtol=0, atol=0)
    assert not all(
        torch.equal(value, other.generator_.state_dict()[name]) for name, value in auto.generator_.state_dict().items()
    )


@pytest.mark.parametrize(
    "held_out, message",
    [
        (dict(X_val=np.zeros((5, 64))), "X_val and y_val go together"),
        (dict(X_val=np.zeros((5, 63)), y_val=np.zeros(5)), "X_val has rows of shape"),
        (dict(X_val=np.full((5, 64), np.nan), y_val=np.zeros(5)), "X_val"),
        (dict(X_val=np.zeros((5, 64)), y_val=np.zeros(4)), "inconsistent numbers of samples"),
        (dict(X_val=np.zeros((5, 64)), y_val=np.full(5, 42)), "y_val has labels the classifier does not know"),
    ],
)
def test_bad_held_out_rows_are_clear_errors(digits_images, held_out, message):
    X, y = digits_images
    gwin = GWINClassifier(LogisticRegression(max_iter=300), image_shape=(1, 8, 8), tau_star=0.5, **FAST_GAN)
    with pytest.raises(ValueError, match=message):
        gwin.fit(X[:100].reshape(100, -1), y[:100], **held_out)


def test_grid_search_chooses_the_augmentation_on_held_out_rows(digits_images, tmp_path):
    # no augmentation suits every dataset (docs/lab/results.md), so users choose it
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
