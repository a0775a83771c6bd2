import io
import pickle
import sys

import numpy as np
import pytest
import torch

from sklearn_gwin.bnn import (
    BayesianLeNet5,
    Conv2dFlipout,
    ImprovedBNN,
    ImprovedBNNModule,
    LeNet5Flipout,
    LinearFlipout,
    kl_divergence,
)
from sklearn_gwin.certainty import monte_carlo_certainty

from conftest import DEVICE


def test_linear_flipout_kl_matches_closed_form():
    layer = LinearFlipout(3, 2, prior_scale=2.0)
    mu, sigma = layer.weight_mu.detach(), layer.weight_sigma.detach()
    prior = torch.distributions.Normal(0.0, 2.0)
    expected = torch.distributions.kl_divergence(torch.distributions.Normal(mu, sigma), prior).sum()
    assert layer.kl_divergence().item() == pytest.approx(expected.item(), rel=1e-5)


def test_a_frozen_copys_scale_is_computed_once_per_value_of_rho_and_follows_visible_changes():
    from sklearn_gwin.bnn.flipout import freeze_posterior_scale

    layer = freeze_posterior_scale(Conv2dFlipout(2, 3, 3).requires_grad_(False))
    first = layer.weight_sigma
    assert layer.weight_sigma is first  # the frozen kernel's softplus, not recomputed
    assert layer._kernel_variance() is layer._kernel_variance()
    with torch.no_grad():
        layer.weight_rho.add_(1.0)  # an in-place change
    torch.testing.assert_close(layer.weight_sigma, torch.nn.functional.softplus(layer.weight_rho), rtol=0, atol=0)
    torch.testing.assert_close(layer._kernel_variance(), torch.nn.functional.softplus(layer.weight_rho).square())
    other = Conv2dFlipout(2, 3, 3)
    layer.load_state_dict(other.state_dict())
    torch.testing.assert_close(layer.weight_sigma, other.weight_sigma.detach(), rtol=0, atol=0)
    layer.double()  # new storage and dtype
    assert layer.weight_sigma.dtype == torch.float64
    assert "_frozen_sigma" not in pickle.loads(pickle.dumps(layer)).__dict__
    with torch.inference_mode():
        built_in_inference = freeze_posterior_scale(LinearFlipout(3, 2))
        torch.testing.assert_close(built_in_inference.weight_sigma,
                                   torch.nn.functional.softplus(built_in_inference.weight_rho))


def test_a_layer_being_trained_is_never_served_a_cached_scale():
    # fused optimiser steps write the parameters without moving their version counter, so
    # only the library's frozen copy caches; a user's net evaluated under no_grad between
    # fused steps must see each step
    torch.manual_seed(0)
    layer = LinearFlipout(3, 2)
    optimizer = torch.optim.Adam(layer.parameters(), lr=0.1, fused=True)
    for _ in range(3):
        with torch.no_grad():
            torch.testing.assert_close(layer.weight_sigma, torch.nn.functional.softplus(layer.weight_rho))
        optimizer.zero_grad()
        (layer(torch.ones(4, 3)).sum() + layer.kl_divergence()).backward()
        optimizer.step()
    with torch.no_grad():
        torch.testing.assert_close(layer.weight_sigma, torch.nn.functional.softplus(layer.weight_rho))
    assert layer.weight_sigma.requires_grad  # and a trainable layer keeps its gradient


def test_the_gwins_copy_of_a_bayesian_net_is_frozen_and_the_nets_own_layers_are_not(fitted_lenet):
    from sklearn_gwin._differentiable import SampledNetLogProba
    from sklearn_gwin.bnn.flipout import _FlipoutMixin

    copy_ = SampledNetLogProba(fitted_lenet, (1, 8, 8))
    flipout = lambda module: [m for m in module.modules() if isinstance(m, _FlipoutMixin)]  # noqa: E731
    assert flipout(copy_.module) and all(m._posterior_scale_frozen for m in flipout(copy_.module))
    assert not any(m._posterior_scale_frozen for m in flipout(fitted_lenet.module_))
    # its dense layers sample their outputs; the classifier's own keep Flipout, also after pickling
    dense = lambda module: [m for m in module.modules() if isinstance(m, LinearFlipout)]  # noqa: E731
    assert dense(copy_.module) and all(m._local_reparameterization for m in dense(copy_.module))
    assert not any(m._local_reparameterization for m in dense(fitted_lenet.module_))
    restored = pickle.loads(pickle.dumps(copy_))
    assert all(m._local_reparameterization for m in dense(restored.module))


@pytest.mark.parametrize("local", [False, True], ids=["flipout", "local reparameterization"])
def test_each_examples_output_has_the_law_of_a_weight_drawn_from_the_posterior(local):
    # per example, x @ W + b with W ~ N(mu, sigma^2): mean x @ mu + b, variance x^2 @ sigma^2;
    # rows of different sizes tell sigma^2 from sigma and x^2 from x
    from sklearn_gwin.bnn.flipout import use_local_reparameterization

    torch.manual_seed(0)
    layer = LinearFlipout(4, 3, posterior_scale_init=0.5)
    with torch.no_grad():
        layer.weight_rho.uniform_(-2.0, 1.0)  # a different scale per weight
        layer.bias.uniform_(-1.0, 1.0)
    if local:
        use_local_reparameterization(layer)
    rows = torch.tensor([[1.0, 0.0, 0.0, 0.0], [0.5, -2.0, 1.0, 3.0], [0.0, 0.0, 0.0, 0.0]])
    with torch.no_grad():
        if local:  # every example its own noise: one pass
            out = layer(rows.repeat(20_000, 1)).view(20_000, 3, 3)
        else:  # one weight draw per pass, shared by the batch: a pass per draw
            out = torch.stack([layer(rows) for _ in range(20_000)])
        expected_mean = torch.nn.functional.linear(rows, layer.weight_mu, layer.bias)
        expected_std = torch.nn.functional.linear(rows.square(), layer.weight_sigma.square()).sqrt()
    # 20,000 draws: the mean's error is under 1% of the std, the std's under 1%
    torch.testing.assert_close(out.mean(dim=0), expected_mean, atol=0.03 * expected_std.max().item(), rtol=0)
    torch.testing.assert_close(out.std(dim=0), expected_std, rtol=0.03, atol=1e-6)
    # and an example's outputs are independent of each other (their correlations' sd is 0.007)
    correlations = torch.corrcoef(out[:, 1].T)
    assert (correlations - torch.eye(3)).abs().max() < 0.04


def test_local_reparameterization_has_finite_gradients_on_zero_rows_and_runs_under_autocast():
    from sklearn_gwin.bnn.flipout import use_local_reparameterization

    torch.manual_seed(0)
    layer = use_local_reparameterization(LinearFlipout(5, 3)).requires_grad_(False)
    x = torch.zeros(4, 5)
    x[0] = 1.0
    x.requires_grad_(True)
    layer(x).square().sum().backward()
    assert torch.isfinite(x.grad).all() and x.grad[0].abs().sum() > 0
    x = torch.rand(8, 5)
    x[3] = 0.0
    x.requires_grad_(True)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        out = layer(x)
        loss = out.float().square().sum()
    loss.backward()
    assert out.dtype == torch.bfloat16 and torch.isfinite(out).all() and torch.isfinite(x.grad).all()


def test_local_reparameterization_keeps_flipout_where_it_would_not_give_the_same_law():
    from sklearn_gwin.bnn.flipout import use_local_reparameterization

    torch.manual_seed(0)
    layer = use_local_reparameterization(LinearFlipout(1, 3, posterior_scale_init=0.5)).requires_grad_(False)
    # positions of a 3-D input share one weight draw: with one input of 1 everywhere, every
    # position's noise is +-dW, the same size at all positions
    x = torch.ones(4, 5, 1)
    noise = (layer(x) - torch.nn.functional.linear(x, layer.weight_mu, layer.bias)).abs()
    torch.testing.assert_close(noise, noise[:1, :1].expand_as(noise))
    # float16 would overflow x**2 @ sigma**2 where Flipout stays finite
    wide = use_local_reparameterization(LinearFlipout(784, 3)).half().requires_grad_(False)
    assert torch.isfinite(wide(torch.full((4, 784), 255.0, dtype=torch.float16))).all()


def test_a_frozen_copy_first_used_under_inference_mode_still_trains_afterwards():
    # a scale cached under inference mode could not be saved for the backward pass of the
    # local reparameterization's variance
    from sklearn_gwin.bnn.flipout import freeze_posterior_scale, use_local_reparameterization

    layer = use_local_reparameterization(freeze_posterior_scale(LinearFlipout(5, 3))).requires_grad_(False)
    with torch.inference_mode():
        layer(torch.rand(2, 5))
    x = torch.rand(4, 5, requires_grad=True)
    layer(x).sum().backward()
    assert torch.isfinite(x.grad).all()


def test_frozen_layers_run_under_torch_func_vmap_as_an_ensemble():
    # torch.func's vmap over stacked parameters (model ensembling) passes batched tensors
    # without storage and without requires_grad: the cache must step aside, not fail
    from torch.func import functional_call, stack_module_state, vmap

    from sklearn_gwin.bnn.flipout import freeze_posterior_scale

    members = [freeze_posterior_scale(LinearFlipout(3, 2, posterior_scale_init=1e-9).requires_grad_(False))
               for _ in range(4)]
    x = torch.rand(5, 3)
    for ensemble in (members, members[::-1]):  # twice: nothing from the first call may serve the second
        params, _ = stack_module_state(ensemble)
        outputs = vmap(lambda params: functional_call(members[0], params, (x,)), randomness="different")(params)
        # a posterior scale of 1e-9: each member gives its mean's answer
        expected = torch.stack([torch.nn.functional.linear(x, member.weight_mu, member.bias) for member in ensemble])
        torch.testing.assert_close(outputs, expected)
    # and the layer used as itself afterwards has its own scale
    torch.testing.assert_close(members[0].weight_sigma, torch.nn.functional.softplus(members[0].weight_rho))


def test_flipout_noise_differs_per_example_and_averages_to_the_mean():
    torch.manual_seed(0)
    layer = LinearFlipout(5, 3, posterior_scale_init=0.5)
    x = torch.ones(20000, 5)
    out = layer(x)
    # the same input gets different, pseudo-independent perturbations per example
    assert out.std(dim=0).min() > 0.1
    mean = torch.nn.functional.linear(x[:1], layer.weight_mu, layer.bias)
    torch.testing.assert_close(out.mean(dim=0, keepdim=True), mean, atol=0.05, rtol=0)


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32, torch.bfloat16, torch.float16])
def test_random_signs_are_fair_plus_or_minus_one_and_keep_the_inputs_dtype(dtype):
    from sklearn_gwin.bnn.flipout import _random_signs

    x = torch.rand(200, 500, dtype=dtype) + 1
    torch.manual_seed(0)
    signs = _random_signs((200, 500), x)
    assert signs.shape == (200, 500)
    assert set(signs.unique().tolist()) == {-1, 1}
    assert abs(signs.float().mean().item()) < 0.01  # 100,000 draws: the mean's sd is 0.003
    flipped = x * signs
    assert flipped.dtype == dtype and torch.equal(flipped.abs(), x)


def test_random_signs_unpacked_from_bytes_are_fair_and_independent_at_every_bit():
    # eight signs come from one random byte: each bit position must be a fair coin,
    # and neighbours (bits of the same byte) must not agree more than chance
    from sklearn_gwin.bnn.flipout import _random_signs

    torch.manual_seed(0)
    signs = _random_signs((100_000, 8), torch.empty(0)).float()
    assert torch.all(signs.mean(dim=0).abs() < 0.015)  # 100,000 draws per position: sd 0.003
    neighbours = (signs[:, :-1] * signs[:, 1:]).mean(dim=0)
    assert torch.all(neighbours.abs() < 0.015)
    # a size that is not a multiple of eight; each call draws anew
    odd = _random_signs((3, 5, 1, 1), torch.empty(0))
    assert odd.shape == (3, 5, 1, 1) and set(odd.unique().tolist()) <= {-1, 1}
    assert not torch.equal(_random_signs((64,), torch.empty(0)), _random_signs((64,), torch.empty(0)))


def test_one_channel_conv_flipout_is_the_flipout_formula_with_the_input_sign_moved_out(monkeypatch):
    # one input channel: conv(x * s_in, dW) * s_out == conv(x, dW) * (s_in * s_out), so the
    # layer draws the product's signs directly and convolves x once with both kernels
    from sklearn_gwin.bnn import flipout

    torch.manual_seed(0)
    layer = Conv2dFlipout(1, 4, 3, padding=1)
    torch.nn.init.normal_(layer.bias)
    x = torch.rand(5, 1, 6, 6)
    dW = torch.randn_like(layer.weight_mu)
    s_in, s_out = (torch.randint(0, 2, shape).float() * 2 - 1 for shape in ((5, 1, 1, 1), (5, 4, 1, 1)))
    expected = (torch.nn.functional.conv2d(x, layer.weight_mu, layer.bias, padding=1)
                + torch.nn.functional.conv2d(x * s_in, dW, padding=1) * s_out)
    monkeypatch.setattr(layer, "_weight_perturbation", lambda: dW)

    def product_of_the_signs(shape, like):
        assert tuple(shape) == (5, 4, 1, 1)  # one sign per row and output channel: Flipout's s_out
        return s_in * s_out

    monkeypatch.setattr(flipout, "_random_signs", product_of_the_signs)
    torch.testing.assert_close(layer(x), expected)


def test_one_channel_conv_flipout_perturbs_each_output_channel_independently():
    # the same image in every row: what differs between rows is the sign noise alone,
    # which must be independent across output channels (not one sign per row)
    torch.manual_seed(0)
    layer = Conv2dFlipout(1, 2, 3, padding=1, posterior_scale_init=0.5)
    out = layer(torch.ones(4000, 1, 3, 3))[:, :, 1, 1]
    noise = out - out.mean(dim=0)
    correlation = torch.corrcoef(noise.T)[0, 1].item()
    assert abs(correlation) < 0.1  # 4,000 rows: about 0.016 sd when independent; 1 when one sign per row


def test_conv_flipout_draws_differ_between_passes():
    layer = Conv2dFlipout(1, 4, 3, padding=1)
    x = torch.rand(2, 1, 6, 6)
    assert not torch.allclose(layer(x), layer(x))


def test_lenet5_shapes_follow_table_3():
    module = LeNet5Flipout()
    assert module.net[10].in_features == 5880
    assert module(torch.rand(3, 784)).shape == (3, 10)
    assert module(torch.rand(3, 1, 28, 28)).shape == (3, 10)


def test_improved_bnn_shapes_follow_table_6():
    module = ImprovedBNNModule()
    flat = [m for m in module.modules() if isinstance(m, LinearFlipout)][0]
    assert flat.in_features == 1024
    assert len([m for m in module.modules() if isinstance(m, Conv2dFlipout)]) == 6
    assert len([m for m in module.modules() if isinstance(m, torch.nn.Dropout)]) == 3
    module.eval()
    assert module(torch.rand(2, 784)).shape == (2, 10)


def test_kl_divergence_sums_layers():
    module = LeNet5Flipout(image_shape=(1, 8, 8))
    layers = [m for m in module.modules() if hasattr(m, "weight_rho")]
    assert len(layers) == 5
    total = sum(layer.kl_divergence() for layer in layers)
    assert kl_divergence(module).item() == pytest.approx(total.item(), rel=1e-6)


@pytest.fixture(scope="module")
def fitted_lenet(digits_images):
    X, y = digits_images
    return BayesianLeNet5(image_shape=(1, 8, 8), max_epochs=3, random_state=0, verbose=0, device=DEVICE).fit(
        X[:600], y[:600]
    )


def test_predict_certainty_follows_s4(fitted_lenet, digits_images):
    X = digits_images[0][600:700]
    logits = fitted_lenet.sample_logits(X)
    assert logits.shape == (10, 100, 10)
    # the draws really differ
    assert np.abs(logits[0] - logits[1]).max() > 1e-3
    proba = fitted_lenet.sample_proba(X)
    label_index, certainty = monte_carlo_certainty(proba, logits)
    np.testing.assert_allclose(fitted_lenet.predict_certainty(X), certainty, rtol=1e-6)
    np.testing.assert_array_equal(fitted_lenet.predict(X), fitted_lenet.classes_[label_index])
    np.testing.assert_allclose(fitted_lenet.predict_proba(X), proba.mean(axis=0), rtol=1e-6)


def test_random_state_repeats_fit_and_predictions(digits_images):
    X, y = digits_images
    nets = [
        BayesianLeNet5(image_shape=(1, 8, 8), max_epochs=1, random_state=3, verbose=0, device=DEVICE).fit(
            X[:200], y[:200]
        )
        for _ in range(2)
    ]
    np.testing.assert_array_equal(nets[0].predict_proba(X[:50]), nets[1].predict_proba(X[:50]))
    state = torch.get_rng_state()
    nets[0].predict(X[:10])
    # local seeding leaves torch's global generator where it was
    assert torch.equal(state, torch.get_rng_state())


def test_string_labels_flat_float64_input_and_pickle(digits_images):
    X, y = digits_images
    X_flat = X[:200].reshape(200, -1).astype(np.float64)
    labels = np.array(["digit-%d" % v for v in y[:200]])
    net = BayesianLeNet5(image_shape=(1, 8, 8), max_epochs=1, random_state=0, verbose=0, device=DEVICE)
    net.fit(X_flat, labels)
    assert set(net.predict(X_flat)) <= set(labels)
    restored = pickle.loads(pickle.dumps(net))
    np.testing.assert_array_equal(restored.predict_proba(X_flat), net.predict_proba(X_flat))


def test_improved_bnn_trains_and_predicts():
    rng = np.random.RandomState(0)
    X = rng.rand(64, 784).astype(np.float32)
    y = np.arange(64) % 3
    net = ImprovedBNN(max_epochs=1, batch_size=32, random_state=0, verbose=0, device=DEVICE).fit(X, y)
    assert net.sample_proba(X[:5]).shape == (10, 5, 3)
    assert net.predict_certainty(X[:5]).shape == (5,)


def test_kl_term_enters_the_training_loss(digits_images):
    X, y = digits_images
    net = BayesianLeNet5(image_shape=(1, 8, 8), max_epochs=1, random_state=0, verbose=0, device=DEVICE)
    net.fit(X[:100], y[:100])
    y_pred = net.infer(torch.as_tensor(X[:8]))
    y_true = torch.as_tensor(y[:8])
    plain = net.get_loss(y_pred, y_true, training=False)
    elbo = net.get_loss(y_pred, y_true, training=True)
    expected = kl_divergence(net.module_) / net.n_train_samples_
    assert (elbo - plain).item() == pytest.approx(expected.item(), rel=1e-4)


def test_any_training_set_size_fits_despite_batch_norm():
    # 129 rows in batches of 128 would leave one row, which batch norm cannot normalise
    rng = np.random.RandomState(0)
    X = rng.rand(129, 1, 28, 28).astype(np.float32)
    y = np.arange(129) % 3
    net = ImprovedBNN(max_epochs=1, verbose=0, random_state=0).fit(X, y)
    assert net.predict(X[:5]).shape == (5,)
    dataset = net.get_dataset(X, y)
    assert net.get_iterator(dataset, training=True).drop_last
    assert not net.get_iterator(net.get_dataset(X[:128], y[:128]), training=True).drop_last
    assert not net.get_iterator(dataset, training=False).drop_last


@pytest.mark.parametrize(
    "X, shape", [(np.zeros((4, 16), np.float32), r"\(16,\)"), (np.zeros((4, 3, 8, 8), np.float32), r"\(3, 8, 8\)")]
)
def test_the_nets_say_which_image_size_they_take(X, shape):
    net = BayesianLeNet5(image_shape=(1, 8, 8), max_epochs=1, verbose=0, random_state=0)
    with pytest.raises(ValueError, match=rf"takes images of shape \(1, 8, 8\) \(its image_shape parameter: 64 values per row.*{shape}"):
        net.fit(X, np.arange(4) % 2)
    fitted = net.fit(np.zeros((4, 64), np.float32), np.arange(4) % 2)
    with pytest.raises(ValueError, match=shape):
        fitted.predict(X)


@pytest.mark.parametrize("settings", [{}, {"generator_sampling": "uncertain"}, {"n_critic": 1, "tau_star": 0.0}],
                         ids=["defaults", "uncertain sampling", "critic"])
def test_a_bayesian_net_is_asked_about_its_training_rows_only_when_something_needs_it(
    fitted_lenet, digits_images, monkeypatch, settings
):
    # with no critic and uniform sampling nothing uses the answers: the pass over every training
    # row (most of a short fit's time) is skipped, and the fitted model is the same as with it
    from sklearn.frozen import FrozenEstimator

    from sklearn_gwin import GWINClassifier, _fitting

    X, y = digits_images
    passes = []
    certainty_pass = _fitting.certainty_pass
    monkeypatch.setattr(_fitting, "certainty_pass", lambda *a, **k: passes.append(1) or certainty_pass(*a, **k))
    gwin = GWINClassifier(FrozenEstimator(fitted_lenet), n_iter=5, batch_size=32, device=DEVICE, random_state=0,
                          **settings).fit(X[:600], y[:600])
    needed = bool(settings)
    assert len(passes) == needed
    assert (gwin.n_confident_ is None) == (not needed) and (gwin.decides_by_argmax_ is None) == (not needed)
    assert gwin.predict(X[600:650]).shape == (50,)


def test_skipping_the_unneeded_pass_leaves_the_fitted_generator_as_it_was(fitted_lenet, digits_images, monkeypatch):
    from sklearn.frozen import FrozenEstimator

    from sklearn_gwin import GWINClassifier, _fitting

    X, y = digits_images

    def fitted():
        return GWINClassifier(FrozenEstimator(fitted_lenet), n_iter=5, batch_size=32, device=DEVICE,
                              random_state=0).fit(X[:600], y[:600])

    skipped = fitted()
    monkeypatch.setattr(_fitting, "draws_by_monte_carlo", lambda *args: False)  # forces the pass, as before
    with_pass = fitted()
    assert skipped.n_confident_ is None and with_pass.n_confident_ is not None
    for name, tensor in with_pass.generator_.state_dict().items():
        torch.testing.assert_close(skipped.generator_.state_dict()[name], tensor, rtol=0, atol=0)


class _Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("stream, coloured", [(io.StringIO, False), (_Terminal, True)])
def test_the_training_log_is_coloured_on_a_terminal_only(digits_images, monkeypatch, stream, coloured):
    X, y = digits_images
    out = stream()
    monkeypatch.setattr(sys, "stdout", out)
    BayesianLeNet5(image_shape=(1, 8, 8), max_epochs=2, batch_size=256, verbose=1, random_state=0, device=DEVICE).fit(X[:300], y[:300])
    log = out.getvalue()
    assert "train_loss" in log and len(log.splitlines()) >= 4  # header, rule, two epochs
    assert ("\x1b[" in log) == coloured
    # a sink of the user's own (a logger, a file) gets no codes, on a terminal or not
    lines = []
    BayesianLeNet5(image_shape=(1, 8, 8), max_epochs=2, batch_size=256, random_state=0, device=DEVICE,
                   callbacks__print_log__sink=lines.append).fit(X[:300], y[:300])
    assert len(lines) >= 3 and not any("\x1b[" in line for line in lines)
    # verbose=0 still prints nothing
    out.seek(0)
    out.truncate()
    BayesianLeNet5(image_shape=(1, 8, 8), max_epochs=1, batch_size=256, verbose=0, random_state=0, device=DEVICE).fit(
        X[:300], y[:300]
    )
    assert out.getvalue() == ""


@pytest.mark.parametrize("native", [True, False])
def test_auto_precision_is_bfloat16_through_a_net_on_bfloat16_hardware_only(fitted_lenet, digits_images, monkeypatch,
                                                                             native):
    from sklearn.frozen import FrozenEstimator
    from sklearn.linear_model import LogisticRegression

    from sklearn_gwin import GWINClassifier, _device

    monkeypatch.setattr(_device, "computes_bfloat16_natively", lambda device: native)
    X, y = digits_images
    rows = X[600:640]
    settings = dict(n_iter=5, batch_size=16, device=DEVICE, random_state=0)
    fits = {precision: GWINClassifier(FrozenEstimator(fitted_lenet), precision=precision, **settings).fit(
        X[:300], y[:300]) for precision in ("auto", "float32", "bfloat16")}
    expected = "bfloat16" if native else "float32"
    assert fits["auto"].precision_ == expected
    assert fits["float32"].precision_ == "float32" and fits["bfloat16"].precision_ == "bfloat16"
    # "auto" is the precision it resolved to, fit for fit
    np.testing.assert_array_equal(fits["auto"].regenerate(rows), fits[expected].regenerate(rows))
    # through a surrogate bfloat16 barely paid: "auto" stays float32 there
    tabular = GWINClassifier(LogisticRegression(max_iter=200), **settings).fit(X[:300].reshape(300, -1), y[:300])
    assert tabular.precision_ == "float32"


def test_a_gwin_pickled_before_auto_precision_trains_on_as_its_parameter_said(fitted_lenet, digits_images):
    from sklearn.frozen import FrozenEstimator

    from sklearn_gwin import GWINClassifier

    X, y = digits_images
    for precision in ("float32", "bfloat16"):
        gwin = GWINClassifier(FrozenEstimator(fitted_lenet), n_iter=3, batch_size=16, device=DEVICE,
                              precision=precision, random_state=0).fit(X[:200], y[:200])
        state = gwin.__getstate__()
        del state["precision_"]  # as a pickle made before precision_ existed
        old = GWINClassifier.__new__(GWINClassifier)
        old.__setstate__(state)
        assert old.precision_ == precision
    # before the parameter itself existed, every fit was float32; get_params and set_params work on it
    del state["precision"]
    older = GWINClassifier.__new__(GWINClassifier)
    older.__setstate__(state)
    assert older.precision_ == "float32" and older.get_params()["precision"] == "float32"
    assert older.set_params(tau=0.5).tau == 0.5
