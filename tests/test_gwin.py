import os
import pickle

import joblib
import numpy as np
import pandas as pd
import pytest
import torch
from conftest import DEVICE, FAST_GAN
from sklearn.base import clone
from sklearn.ensemble import RandomForestClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler
from sklearn.svm import SVC

from sklearn_gwin import GWINClassifier
from sklearn_gwin.bnn import BayesianLeNet5


def _fitted(X, y, **params):
    settings = dict(FAST_GAN, tau=0.8, tau_star=0.9)
    settings.update(params)
    estimator = settings.pop("estimator", LogisticRegression(max_iter=1000))
    return GWINClassifier(estimator, **settings).fit(X, y)


def test_tau_zero_is_the_base_classifier_and_tau_one_regenerates_all(iris):
    X, y = iris
    gwin = _fitted(X, y)
    gwin.set_params(tau=0.0)
    assert not gwin.reject(X).any()
    np.testing.assert_array_equal(gwin.predict(X), gwin.estimator_.predict(X))
    np.testing.assert_allclose(gwin.predict_proba(X), gwin.estimator_.predict_proba(X))
    gwin.set_params(tau=1.0)
    details = gwin.predict_details(X)
    assert details.rejected.all()
    assert details.X_regenerated.shape == X.shape


def test_set_tau_changes_predictions_without_refit(iris):
    X, y = iris
    gwin = _fitted(X, y, n_iter=30, lambda_loss=50.0)
    generator = gwin.generator_
    counts = [gwin.set_params(tau=tau).reject(X).sum() for tau in (0.0, 0.6, 0.9, 1.0)]
    assert counts == sorted(counts) and counts[0] == 0 and counts[-1] == len(X)
    assert gwin.generator_ is generator


def test_only_rejected_rows_change(iris):
    X, y = iris
    gwin = _fitted(X, y, tau=0.9)
    details = gwin.predict_details(X)
    kept = ~details.rejected
    np.testing.assert_array_equal(details.labels[kept], details.labels_before[kept])
    assert len(details.X_regenerated) == details.rejected.sum()


def test_regenerate_returns_rows_in_the_input_scale(iris):
    X, y = iris
    X_big = X * 1000 + 50
    gwin = _fitted(X_big, y)
    regenerated = gwin.regenerate(X_big)
    assert regenerated.shape == X_big.shape
    assert regenerated.min() >= X_big.min() - 1e-3 and regenerated.max() <= X_big.max() + 1e-3
    # an identity-started generator stays near its input after a few iterations
    assert np.abs(regenerated - X_big).mean() < 0.2 * np.ptp(X_big)


def test_random_state_repeats_results(iris):
    X, y = iris
    first, second = _fitted(X, y, tau=0.95), _fitted(X, y, tau=0.95)
    np.testing.assert_array_equal(first.regenerate(X), second.regenerate(X))
    np.testing.assert_array_equal(first.history_["generator_loss"], second.history_["generator_loss"])
    # a row is regenerated the same way in any batch
    np.testing.assert_array_equal(first.regenerate(X[5:6]), first.regenerate(X)[5:6])


def test_history_records_each_iteration(iris):
    X, y = iris
    gwin = _fitted(X, y, n_iter=7)
    for key in ("critic_loss", "gradient_penalty", "wasserstein", "generator_loss", "transformation_loss"):
        assert gwin.history_[key].shape == (7,)
        assert np.isfinite(gwin.history_[key]).all()
    assert gwin.history_["n_iter"] == 7 and gwin.history_["interrupted"] is False


def test_no_critic_records_no_critic_terms(iris):
    X, y = iris
    gwin = _fitted(X, y, n_critic=0)
    assert np.isnan(gwin.history_["critic_loss"]).all()
    assert np.isfinite(gwin.history_["transformation_loss"]).all()


def test_transformation_penalty_is_learned(digits_images):
    X, y = digits_images
    X_flat = X.reshape(len(X), -1)
    gwin = _fitted(
        X_flat[:800], y[:800], estimator=LogisticRegression(max_iter=200, C=0.05),
        n_iter=150, n_critic=0, lr=1e-3, batch_size=64, latent_dim=8, tau_star=0.5,
    )
    loss = gwin.history_["transformation_loss"]
    assert loss[-20:].mean() < 0.7 * loss[:20].mean()


def test_keyboard_interrupt_keeps_a_usable_model(iris, monkeypatch):
    import sklearn_gwin.wgan.trainer as trainer

    calls = {"n": 0}
    original = trainer.gradient_penalty

    def interrupt_on_fourth_call(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt
        return original(*args, **kwargs)

    monkeypatch.setattr(trainer, "gradient_penalty", interrupt_on_fourth_call)
    X, y = iris
    with pytest.warns(RuntimeWarning, match="interrupted after 3 of 50"):
        gwin = _fitted(X, y, n_iter=50)
    assert gwin.history_["interrupted"] is True and gwin.history_["n_iter"] == 3
    assert gwin.predict(X).shape == (len(X),)


def test_frozen_estimator_is_neither_refitted_nor_mutated(iris):
    X, y = iris
    fitted = LogisticRegression(max_iter=1000).fit(X, y)
    before = pickle.dumps(fitted)
    gwin = _fitted(X, y, estimator=FrozenEstimator(fitted))
    assert gwin.estimator_.estimator is fitted
    assert pickle.dumps(fitted) == before


def test_frozen_skorch_net_is_not_mutated(digits_images):
    X, y = digits_images
    net = BayesianLeNet5(image_shape=(1, 8, 8), max_epochs=2, random_state=0, verbose=0, device=DEVICE)
    net.fit(X[:300], y[:300])
    weights = {k: v.clone() for k, v in net.module_.state_dict().items()}
    gwin = GWINClassifier(FrozenEstimator(net), tau_star=0.0, **FAST_GAN).fit(X[:300], y[:300])
    for key, value in net.module_.state_dict().items():
        torch.testing.assert_close(value, weights[key])
    assert all(p.requires_grad for p in net.module_.parameters())
    assert gwin.surrogate_agreement_ is None


def test_string_labels(iris):
    X, y = iris
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    gwin = _fitted(X, names, tau=0.9)
    assert set(gwin.predict(X)) <= set(names)
    assert list(gwin.classes_) == ["setosa", "versicolor", "virginica"]


def test_black_box_classifier_uses_a_surrogate(iris):
    X, y = iris
    gwin = _fitted(X, y, estimator=RandomForestClassifier(n_estimators=20, random_state=0))
    assert 0.8 <= gwin.surrogate_agreement_ <= 1.0


def test_custom_rejection_and_certainty(iris):
    X, y = iris

    def margin(estimator, X):
        proba = np.sort(estimator.predict_proba(X), axis=1)
        return proba[:, -1] - proba[:, -2]

    def reject_class_two(certainty, labels):
        return labels == 2

    gwin = _fitted(X, y, certainty=margin, rejection=reject_class_two, tau_star=0.5)
    details = gwin.predict_details(X)
    np.testing.assert_array_equal(details.rejected, details.labels_before == 2)


def test_auto_architecture_warps_images_and_is_fully_connected_for_tables(digits_images, iris):
    X, y = digits_images
    default = _fitted(X[:200], y[:200], tau_star=0.5, tau=1.0, estimator=make_pipeline_flat())
    assert type(default.generator_).__name__ == "WarpGenerator"
    assert default.regenerate(X[:4]).shape == (4, 1, 8, 8)
    paper = _fitted(X[:200], y[:200], tau_star=0.5, tau=1.0, estimator=make_pipeline_flat(), architecture="paper")
    assert type(paper.generator_).__name__ == "ConvGenerator"
    assert paper.regenerate(X[:4]).shape == (4, 1, 8, 8)
    assert type(_fitted(*iris).generator_).__name__ == "MLPGenerator"


def test_784_columns_around_a_table_classifier_stay_a_table():
    # a wide table is not an MNIST image: read as one, it would share one range over
    # columns of different scales and be warped, moving feature 0 far out of its range
    rng = np.random.RandomState(0)
    X = rng.normal(size=(80, 784))
    X[:, 1:] *= 100
    y = (X[:, 0] > 0).astype(int)
    gwin = _fitted(X, y, tau=1.0, n_critic=0, tau_star=0.5)
    assert type(gwin.generator_).__name__ == "MLPGenerator"
    assert gwin.scaler_.per_feature
    regenerated = gwin.regenerate(X)[:, 0]
    assert X[:, 0].min() - 1e-9 <= regenerated.min() and regenerated.max() <= X[:, 0].max() + 1e-9


def test_flat_rows_take_the_image_shape_of_the_classifier(digits_images):
    X, y = digits_images
    flat = X[:200].reshape(200, -1)
    net = BayesianLeNet5(image_shape=(1, 8, 8), max_epochs=1, random_state=0, verbose=0, device=DEVICE)
    net.fit(flat, y[:200])
    gwin = GWINClassifier(FrozenEstimator(net), tau_star=0.0, **FAST_GAN).fit(flat, y[:200])
    assert type(gwin.generator_).__name__ == "WarpGenerator"
    assert not gwin.scaler_.per_feature
    # images of another size: the frozen net's own message, not a torch error in training
    with pytest.raises(ValueError, match=r"takes images of shape \(1, 8, 8\)"):
        GWINClassifier(FrozenEstimator(net), **FAST_GAN).fit(np.zeros((20, 1, 28, 28), np.float32), np.arange(20) % 10)


class _ShapedLogisticRegression(LogisticRegression):
    """A third-party classifier whose image_shape is (height, width, channels)."""

    def __init__(self, image_shape=(8, 8, 1), max_iter=300):
        super().__init__(max_iter=max_iter)
        self.image_shape = image_shape


def test_flat_784_features_around_a_skorch_net_are_a_table_with_a_warning():
    from skorch import NeuralNetClassifier

    rng = np.random.RandomState(0)
    X, y = rng.rand(60, 784).astype(np.float32), np.arange(60) % 2
    net = NeuralNetClassifier(torch.nn.Linear, module__in_features=784, module__out_features=2,
                              criterion=torch.nn.CrossEntropyLoss, max_epochs=1, train_split=None, verbose=0)
    with pytest.warns(UserWarning, match=r"784 features, read as a table.*image_shape=\(1, 28, 28\)"):
        gwin = GWINClassifier(net, tau_star=0.0, **FAST_GAN).fit(X, y)
    assert gwin.image_shape_ is None


def test_only_the_default_classifier_reads_784_flat_features_as_mnist():
    assert GWINClassifier()._resolve_image_shape((784,)) == (1, 28, 28)
    assert GWINClassifier(LogisticRegression())._resolve_image_shape((784,)) is None
    assert GWINClassifier(LogisticRegression(), image_shape=(1, 28, 28))._resolve_image_shape((784,)) == (1, 28, 28)
    # a classifier's declared shape counts only when one row holds that many values
    lenet = FrozenEstimator(BayesianLeNet5(image_shape=(1, 8, 8)))
    assert GWINClassifier(lenet)._resolve_image_shape((64,)) == (1, 8, 8)
    assert GWINClassifier(lenet)._resolve_image_shape((65,)) is None
    assert GWINClassifier(make_pipeline(MinMaxScaler(), lenet))._resolve_image_shape((64,)) == (1, 8, 8)
    # another estimator's image_shape may mean (height, width, channels): not read
    assert GWINClassifier(_ShapedLogisticRegression())._resolve_image_shape((64,)) is None


def test_channels_last_images_warn_and_a_one_pixel_side_warps_in_float32(digits_images):
    X, y = digits_images
    channels_last = X[:100].reshape(100, 8, 8, 1)  # (n, height, width, channels) by mistake
    # read as 8 channels of 8 x 1 pixels: torch's affine_grid has no bfloat16 gradient for a side
    # of 1, so the warp generator trains in float32 there ("auto"), and "bfloat16" is refused
    net = BayesianLeNet5(image_shape=(8, 8, 1), max_epochs=1, random_state=0, verbose=0, device=DEVICE)
    with pytest.warns(UserWarning, match=r"channels-last.*X.transpose\(0, 3, 1, 2\)"):
        gwin = GWINClassifier(net, tau_star=0.0, **FAST_GAN).fit(channels_last, y[:100])
    assert type(gwin.generator_).__name__ == "WarpGenerator" and gwin.precision_ == "float32"
    with pytest.raises(ValueError, match="no bfloat16 gradient for an image 1 pixel high or wide"):
        GWINClassifier(net, precision="bfloat16", **FAST_GAN).fit(channels_last, y[:100])
    rgb_like = np.repeat(X[:100], 3, axis=1).reshape(100, 8, 8, 3)
    with pytest.warns(UserWarning, match="channels-last"):
        GWINClassifier(make_pipeline_flat(), tau_star=0.0, **FAST_GAN).fit(rgb_like, y[:100])


@pytest.mark.filterwarnings("error::UserWarning")
def test_channels_first_images_and_a_given_image_shape_do_not_warn(digits_images):
    X, y = digits_images
    GWINClassifier(make_pipeline_flat(), tau_star=0.0, **FAST_GAN).fit(X[:100], y[:100])
    rgb_like = np.repeat(X[:100], 3, axis=1).reshape(100, 8, 8, 3)
    GWINClassifier(make_pipeline_flat(), image_shape=(8, 8, 3), tau_star=0.0, **FAST_GAN).fit(rgb_like, y[:100])
    # a 1-D signal read as a 1 x 64 image is warped too, and warped with random affines
    signal = GWINClassifier(LogisticRegression(max_iter=300), image_shape=(1, 1, 64), augmentation="affine",
                            tau_star=0.0, **FAST_GAN).fit(X[:100].reshape(100, -1), y[:100])
    assert signal.image_shape_ == (1, 1, 64) and signal.regenerate(X[:3].reshape(3, -1)).shape == (3, 64)


def make_pipeline_flat():
    from sklearn.preprocessing import FunctionTransformer

    return make_pipeline(
        FunctionTransformer(lambda X: X.reshape(len(X), -1)), LogisticRegression(max_iter=300)
    )


def test_joblib_pickle_round_trip(iris, tmp_path):
    X, y = iris
    gwin = _fitted(X, y, tau=0.95)
    joblib.dump(gwin, tmp_path / "gwin.joblib")
    restored = joblib.load(tmp_path / "gwin.joblib")
    np.testing.assert_array_equal(restored.predict_proba(X), gwin.predict_proba(X))


def test_pickling_leaves_the_fitted_model_itself_untouched(iris):
    # scikit-learn's __getstate__ returns the live __dict__ for classes outside sklearn;
    # the CPU copies and the version stamp must go into the pickle only
    X, y = iris
    gwin = _fitted(X, y, tau=0.95)
    attributes = dict(vars(gwin))
    pickle.dumps(gwin)
    assert vars(gwin).keys() == attributes.keys()
    assert all(vars(gwin)[name] is value for name, value in attributes.items())


def test_grid_search_over_tau_trains_once_per_fold(iris, tmp_path):
    X, y = iris
    taus = [0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
    memory = str(tmp_path / "cache")
    gwin = GWINClassifier(LogisticRegression(max_iter=1000), tau_star=0.9, memory=memory, **FAST_GAN)
    search = GridSearchCV(gwin, {"tau": taus}, cv=3).fit(X, y)
    assert len(search.cv_results_["mean_test_score"]) == len(taus)
    entries = [d for d, _, files in os.walk(memory) if "output.pkl" in files and "fit_components" in d]
    # three folds and the refit on all rows: four trainings for eight taus
    assert len(entries) == 4


_PREDICT_CALLS = []


class _CountingLogisticRegression(LogisticRegression):
    """Records the rows of each ``predict`` call in a module-level list (outside any cache key)."""

    def predict(self, X):
        _PREDICT_CALLS.append(len(X))
        return super().predict(X)


def test_memory_shares_the_certainty_pass_between_gan_settings(iris, tmp_path):
    X, y = iris
    _PREDICT_CALLS.clear()
    frozen = FrozenEstimator(_CountingLogisticRegression(max_iter=1000).fit(X, y))
    memory = str(tmp_path / "cache")
    settings = dict(FAST_GAN, tau_star=0.9, memory=memory)
    first = GWINClassifier(frozen, **settings).fit(X, y)
    second = GWINClassifier(frozen, **{**settings, "n_iter": 7, "lr": 1e-3}).fit(X, y)
    # the certainty pass is the only predict over the training rows
    assert _PREDICT_CALLS == [len(X)]
    assert first.n_confident_ == second.n_confident_
    assert second.history_["n_iter"] == 7
    # a different classifier is a different pass
    other = FrozenEstimator(_CountingLogisticRegression(C=0.5, max_iter=1000).fit(X, y))
    GWINClassifier(other, **settings).fit(X, y)
    assert _PREDICT_CALLS == [len(X), len(X)]


def test_pipeline_and_dataframe_input(iris):
    X, y = iris
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    pipe = make_pipeline(MinMaxScaler(), GWINClassifier(LogisticRegression(), tau_star=0.8, **FAST_GAN))
    pipe.fit(frame, y)
    assert pipe.score(frame, y) > 0.8
    gwin = clone(pipe[-1]).fit(frame, y)
    np.testing.assert_array_equal(gwin.feature_names_in_, ["a", "b", "c", "d"])
    assert pipe[-1].regenerate(pipe[:-1].transform(frame)).shape == X.shape


# ------------------------------------------------------------- bad input
def test_nan_input_is_a_clear_error(iris):
    X, y = iris
    X = X.copy()
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        GWINClassifier(LogisticRegression(), **FAST_GAN).fit(X, y)


def test_wrong_width_at_predict_is_a_clear_error(iris):
    X, y = iris
    gwin = _fitted(X, y)
    with pytest.raises(ValueError, match="features"):
        gwin.predict(X[:, :3])


def test_estimator_without_predict_proba_is_a_clear_error(iris):
    X, y = iris
    with pytest.raises(ValueError, match="predict_proba"):
        GWINClassifier(SVC(), **FAST_GAN).fit(X, y)


def test_unseen_class_is_a_clear_error(iris):
    X, y = iris
    fitted = LogisticRegression(max_iter=1000).fit(X[y < 2], y[y < 2])
    with pytest.raises(ValueError, match="labels the classifier does not know: \\[2\\]"):
        GWINClassifier(FrozenEstimator(fitted), **FAST_GAN).fit(X, y)


def test_empty_confident_set_is_a_clear_error(iris):
    X, y = iris
    with pytest.raises(ValueError, match="confident set is empty"):
        GWINClassifier(LogisticRegression(), tau_star=1.0, **FAST_GAN).fit(X, y)


def test_default_estimator_needs_images(iris):
    X, y = iris
    with pytest.raises(ValueError, match="needs image input"):
        GWINClassifier(**FAST_GAN).fit(X, y)


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the error raised without CUDA")
def test_cuda_without_a_gpu_is_a_clear_error(iris):
    X, y = iris
    params = dict(FAST_GAN, device="cuda")
    with pytest.raises(ValueError, match="no CUDA device"):
        GWINClassifier(LogisticRegression(), **params).fit(X, y)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda_model_pickles_to_cpu_state(iris):
    X, y = iris
    gwin = _fitted(X, y, device="cuda", tau=0.95)
    state = gwin.__getstate__()
    assert next(state["generator_"].parameters()).device.type == "cpu"
    restored = pickle.loads(pickle.dumps(gwin))
    np.testing.assert_allclose(restored.predict_proba(X), gwin.predict_proba(X), atol=1e-5)


def test_default_estimator_is_the_bayesian_lenet5(digits_images, monkeypatch):
    from sklearn_gwin import _fitting

    original = _fitting.default_estimator
    # one epoch keeps the test fast; the default trains 30
    monkeypatch.setattr(
        _fitting, "default_estimator", lambda *a, **k: original(*a, **k).set_params(max_epochs=1)
    )
    X, y = digits_images
    gwin = GWINClassifier(tau_star=0.0, **FAST_GAN).fit(X[:200], y[:200])
    assert isinstance(gwin.estimator_, BayesianLeNet5)
    assert gwin.estimator_.image_shape == (1, 8, 8)
    assert gwin.estimator_.device == DEVICE
    assert gwin.estimator_.max_epochs == 1 and original((1, 8, 8), 0, 0).max_epochs == 30


def test_uncertain_sampling_weights_doubtful_and_wrong_rows():
    from sklearn_gwin._fitting import generator_row_weights

    y = np.array([0, 0, 1, 1])
    labels = np.array([0, 0, 1, 0])  # the last row is labelled wrong
    certainty = np.array([1.0, 0.6, 0.9, 0.99])
    assert generator_row_weights("uniform", labels, y, certainty) is None
    weights = generator_row_weights("uncertain", labels, y, certainty)
    assert weights.sum() == pytest.approx(1.0) and (weights > 0).all()
    assert np.argmax(weights) == 3 and weights[1] > weights[2] > weights[0]


def test_generator_batches_follow_the_row_weights():
    from sklearn_gwin.wgan.modules import MLPCritic, MLPGenerator
    from sklearn_gwin.wgan.trainer import train_wgwin_gp

    X = torch.linspace(0.1, 0.9, 5).repeat(3, 1).T.contiguous()  # 5 distinct rows, 3 features
    seen = []

    def log_proba(rows):
        seen.append(rows.detach().clone())
        return torch.log_softmax(rows[:, :2], dim=1)

    weights = torch.tensor([0.0, 0.0, 0.0, 1.0, 0.0])
    train_wgwin_gp(
        MLPGenerator(3, 2), MLPCritic(3, 2), log_proba, X, torch.zeros(5, dtype=torch.int64),
        torch.arange(5), n_classes=2, n_iter=1, batch_size=8, n_critic=0, lambda_gp=10.0,
        lambda_loss=1.0, lr=1e-3, betas=(0.5, 0.9), latent_dim=2, generator_weights=weights,
    )
    # the identity start makes G(x) = x on the first batch: every row is row 3
    torch.testing.assert_close(seen[0], X[3].expand(8, 3), atol=1e-5, rtol=0)


def test_uncertain_sampling_fits(iris):
    X, y = iris
    gwin = _fitted(X, y, generator_sampling="uncertain", n_critic=0)
    assert gwin.predict(X).shape == y.shape


def test_n_regen_pools_the_classifier_over_noise_draws(iris):
    X, y = iris
    gwin = _fitted(X, y, tau=1.0, n_regen=1, pool_input=False)
    single = gwin.predict_proba(X)
    gwin.set_params(n_regen=3)
    versions = [gwin.regenerate(X, draw=k) for k in range(3)]
    assert not np.allclose(versions[0], versions[1])
    # draw 0 is the single-draw version, so n_regen=1 results are unchanged
    np.testing.assert_allclose(gwin.estimator_.predict_proba(versions[0]), single)
    expected = np.mean([gwin.estimator_.predict_proba(v) for v in versions], axis=0)
    details = gwin.predict_details(X)
    np.testing.assert_allclose(details.proba, expected, rtol=1e-6)
    np.testing.assert_array_equal(details.labels, gwin.classes_[expected.argmax(axis=1)])
    np.testing.assert_allclose(details.certainty, expected.max(axis=1), rtol=1e-6)
    np.testing.assert_array_equal(details.X_regenerated, versions[0])


def test_pool_input_adds_the_rejected_row_to_its_regenerated_versions(iris):
    X, y = iris
    gwin = _fitted(X, y, tau=0.9, n_regen=2, pool_input=True)
    rejected = gwin.reject(X)
    assert 0 < rejected.sum() < len(X)
    rows = X[rejected]
    versions = [rows, gwin.regenerate(rows, draw=0), gwin.regenerate(rows, draw=1)]
    expected = np.mean([gwin.estimator_.predict_proba(v) for v in versions], axis=0)
    details = gwin.predict_details(X)
    np.testing.assert_allclose(details.proba[rejected], expected, rtol=1e-6)
    np.testing.assert_array_equal(details.labels[rejected], gwin.classes_[expected.argmax(axis=1)])
    # the rejected rows' own answers come from the pass that rejected them, not asked for again
    calls, original = [], type(gwin.estimator_).predict_proba
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(type(gwin.estimator_), "predict_proba",
                      lambda self, X: calls.append(len(X)) or original(self, X))
        gwin.predict(X)
    assert calls == [len(X), rejected.sum(), rejected.sum()]
    # accepted rows and the regenerated rows reported are those of pool_input=False
    without = gwin.set_params(pool_input=False).predict_details(X)
    np.testing.assert_array_equal(details.labels[~rejected], without.labels[~rejected])
    np.testing.assert_array_equal(details.X_regenerated, without.X_regenerated)
    # with one draw, the row and its one version are pooled
    gwin.set_params(n_regen=1, pool_input=True)
    expected = np.mean([gwin.estimator_.predict_proba(v) for v in versions[:2]], axis=0)
    np.testing.assert_allclose(gwin.predict_proba(X)[rejected], expected, rtol=1e-6)


def test_n_regen_pools_monte_carlo_draws_of_a_bayesian_net(digits_images):
    X, y = digits_images
    net = BayesianLeNet5(
        image_shape=(1, 8, 8), max_epochs=2, n_mc_samples=4, random_state=0, verbose=0, device=DEVICE
    )
    net.fit(X[:300], y[:300])
    gwin = GWINClassifier(FrozenEstimator(net), tau=1.0, tau_star=0.0, n_regen=2, pool_input=False, **FAST_GAN)
    gwin.fit(X[:300], y[:300])
    rows = X[300:340]
    logits = np.concatenate([net.sample_logits(gwin.regenerate(rows, draw=k)) for k in range(2)])
    assert logits.shape[0] == 8
    draws = np.exp(logits) / np.exp(logits).sum(axis=2, keepdims=True)
    labels = logits.mean(axis=0).argmax(axis=1)
    details = gwin.predict_details(rows)
    np.testing.assert_array_equal(details.labels, net.classes_[labels])
    np.testing.assert_allclose(
        details.certainty, np.median(draws[:, np.arange(len(rows)), labels], axis=0), rtol=1e-5
    )


    # with one draw, predict_proba takes labels, certainty and probabilities of
    # each set of rows from one Monte Carlo pass: two passes, not four
    gwin.set_params(n_regen=1)
    calls = []
    original = type(net).sample_logits
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(type(net), "sample_logits", lambda self, X: calls.append(len(X)) or original(self, X))
        details = gwin.predict_details(rows)
    assert calls == [len(rows), len(rows)]
    np.testing.assert_allclose(details.proba_before, net.predict_proba(rows), rtol=1e-6)
    np.testing.assert_array_equal(details.labels_before, net.predict(rows))
    np.testing.assert_allclose(details.proba, net.predict_proba(gwin.regenerate(rows)), rtol=1e-6)

    # with pool_input, a rejected row's own draws are those of the pass that rejected it, not drawn again
    gwin.set_params(n_regen=2, pool_input=True)
    calls = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(type(net), "sample_logits", lambda self, X: calls.append(len(X)) or original(self, X))
        details = gwin.predict_details(rows)
    assert calls == [len(rows)] * 3
    logits = np.concatenate([net.sample_logits(rows), logits])
    labels = logits.mean(axis=0).argmax(axis=1)
    np.testing.assert_array_equal(details.labels, net.classes_[labels])
    draws = np.exp(logits) / np.exp(logits).sum(axis=2, keepdims=True)
    np.testing.assert_allclose(details.proba, draws.mean(axis=0), rtol=1e-5)
    # only the rejected rows are pooled; the others keep the first pass's answers
    gwin.set_params(tau=float(np.median(details.certainty_before)))
    some = gwin.predict_details(rows)
    rejected = some.rejected
    assert 0 < rejected.sum() < len(rows)
    np.testing.assert_array_equal(some.labels[~rejected], details.labels_before[~rejected])
    pooled = np.concatenate([net.sample_logits(rows)[:, rejected]]
                            + [net.sample_logits(gwin.regenerate(rows[rejected], draw=k)) for k in range(2)])
    np.testing.assert_array_equal(some.labels[rejected], net.classes_[pooled.mean(axis=0).argmax(axis=1)])


def test_paper_settings_are_algorithm_1_and_fit(digits_images):
    from sklearn_gwin import PAPER_SETTINGS

    # Algorithm 1's defaults and Section 5's budget, as printed in the paper
    expected = dict(tau_star=0.95, n_iter=200_000, batch_size=128, n_critic=5, lambda_gp=10.0,
                    lambda_loss=10.0, lr=1e-4, betas=(0.5, 0.9), architecture="paper", identity_start=False,
                    augmentation=None, n_regen=1, pool_input=False, precision="float32")
    assert PAPER_SETTINGS == expected
    with pytest.raises(TypeError, match="read-only"):
        PAPER_SETTINGS["n_iter"] = 5  # shared by every user of the module
    # yet it travels like the dict it is: to joblib's workers, into configs
    assert pickle.loads(pickle.dumps(PAPER_SETTINGS)) == expected and isinstance(PAPER_SETTINGS, dict)
    X, y = digits_images
    settings = {**PAPER_SETTINGS, "n_iter": 3, "batch_size": 16, "tau_star": 0.5}
    gwin = GWINClassifier(LogisticRegression(max_iter=200), image_shape=(1, 8, 8), device=DEVICE, random_state=0,
                          **settings)
    gwin.fit(X[:200].reshape(200, -1), y[:200])
    assert len(gwin.history_["critic_loss"]) == 3
    # the paper's x': a rejected row is labelled by the classifier on G(x, z) alone
    rows = X[200:240].reshape(40, -1)
    details = gwin.set_params(tau=1.0).predict_details(rows)
    np.testing.assert_array_equal(details.labels, gwin.estimator_.predict(details.X_regenerated))


def test_bfloat16_trains_the_generator_in_reduced_precision_and_keeps_float32_weights(digits_images):
    X, y = digits_images
    X_flat = X.reshape(len(X), -1)[:400]
    fitted = {
        precision: GWINClassifier(LogisticRegression(max_iter=300), image_shape=(1, 8, 8), n_iter=20, batch_size=32,
                                  device=DEVICE, random_state=0, precision=precision).fit(X_flat, y[:400])
        for precision in ("float32", "bfloat16")
    }
    half = fitted["bfloat16"]
    assert all(p.dtype == torch.float32 for p in half.generator_.parameters())
    assert np.isfinite(half.history_["generator_loss"]).all()
    rows = X.reshape(len(X), -1)[400:440]
    regenerated = {precision: gwin.regenerate(rows) for precision, gwin in fitted.items()}
    assert regenerated["bfloat16"].dtype == rows.dtype
    # the same seed and data: only the arithmetic of training differs, and it shows
    assert not np.array_equal(regenerated["float32"], regenerated["bfloat16"])
    with pytest.raises(ValueError, match="precision"):
        GWINClassifier(LogisticRegression(), precision="float16").fit(X_flat, y[:400])


def test_computes_bfloat16_natively_reads_the_cpu_capabilities(monkeypatch):
    from sklearn_gwin import _device

    cpu = torch.device("cpu")
    for flags, native in (({"avx512_bf16": True}, True), ({"amx_bf16": True}, True),
                          ({"avx512_f": True, "avx2": True}, False)):
        monkeypatch.setattr(torch.cpu, "get_capabilities", lambda flags=flags: flags)
        assert _device.computes_bfloat16_natively(cpu) is native

    def unavailable():
        raise AttributeError("an older torch")

    monkeypatch.setattr(torch.cpu, "get_capabilities", unavailable)
    assert _device.computes_bfloat16_natively(cpu) is False
    # no GPU measurement of bfloat16 yet: "auto" keeps float32 on CUDA
    assert _device.computes_bfloat16_natively(torch.device("cuda")) is False
    assert _device.resolve_precision("auto", True, torch.device("cuda")) == "float32"
    assert _device.resolve_precision("float32", True, cpu) == "float32"
    assert _device.resolve_precision("bfloat16", False, cpu) == "bfloat16"
