"""Benchmark presets: how much to train, on what, for how many seeds.

Each preset names the datasets, the classifier C ("lenet5", the default, or
"improved") and its epochs, the seeds of the main GWIN and of its ablations,
the GWIN's settings (``gwin``) and the variants (overrides of ``gwin``) trained
beside it. The main variant gets the equal-compute second model and the GWIN +
alternative columns, and is also scored with ``n_regen`` noise draws pooled
per row when the preset sets it. ``bnn_seeds`` (optional) runs it all around
several fitted classifiers; the ablations only around the one of ``bnn_seed``.
"""

import copy

from ..paper import PAPER_SETTINGS

TAUS = (0.10, 0.30, 0.50, 0.70, 0.80, 0.90, 0.95, 0.99)
# the classifier C (and the equal-compute second model): the paper's two Bayesian nets
CLASSIFIER_NAMES = {"lenet5": "Bayesian LeNet-5", "improved": "improved BNN"}

# the generator that was the default before the warp generator: pixel-wise,
# trained on the rows as they are
PREVIOUS_DEFAULT = dict(architecture="mlp", augmentation=None)

PRESETS = {
    # both datasets on 2 CPU cores in at most 45 min (measured: docs/lab/results_pixel_generator.md)
    "cpu": dict(
        datasets=("mnist", "fashion-mnist"),
        taus=TAUS,
        bnn_epochs=30,
        bnn_seed=0,
        seeds=(0, 1, 2),
        ablation_seeds=(0,),
        # the library's defaults when this preset was measured
        gwin=dict(tau_star=0.95, n_iter=400, batch_size=128, n_critic=0, lr=1e-3, **PREVIOUS_DEFAULT),
        # the main GWIN is also scored with this many noise draws pooled per row
        n_regen=3,
        main_variant="GWIN",
        variants={
            "GWIN": {},
            "GWIN + critic (WGWIN-GP)": dict(n_critic=5),
            "critic only (no penalty)": dict(n_critic=5, lambda_loss=0.0),
            "GWIN, conv generator (Tables 4-5)": dict(architecture="paper"),
        },
    ),
    # the paper's recipe (Algorithm 1, Tables 4-5, 200k iterations, 10 runs): for a GPU
    "paper": dict(
        datasets=("mnist", "fashion-mnist"),
        taus=TAUS,
        bnn_epochs=30,
        bnn_seed=0,
        seeds=tuple(range(10)),
        ablation_seeds=(0, 1, 2),
        gwin=dict(PAPER_SETTINGS),
        main_variant="GWIN",
        variants={
            "GWIN": {},
            "no critic (penalty only)": dict(n_critic=0),
            "critic only (no penalty)": dict(lambda_loss=0.0),
        },
    ),
    # every step on scikit-learn's 8x8 digits (20 s on 2 CPU cores): for tests and a first look
    "smoke": dict(
        datasets=("digits",),
        taus=TAUS,
        bnn_epochs=30,
        bnn_seed=0,
        seeds=(0, 1),
        ablation_seeds=(0,),
        gwin=dict(tau_star=0.9, n_iter=30, batch_size=64, n_critic=0, lr=1e-3, architecture="warp",
                  augmentation=None),
        n_regen=3,
        main_variant="GWIN",
        variants={"GWIN": {}, "GWIN + critic (WGWIN-GP)": dict(n_critic=5)},
    ),
}

# The library's defaults (the warp-then-correct generator, chosen on
# validation rows by benchmarks/generator_design.py) against every
# alternative, with the critic, affine augmentation and the previous default
# as ablations: the cpu preset's data, classifier and seeds.
PRESETS["cpu-warp"] = {
    **PRESETS["cpu"],
    "gwin": dict(tau_star=0.95, n_iter=2000, batch_size=128, n_critic=0, lr=1e-3, architecture="warp",
                 augmentation=None),
    "variants": {
        "GWIN": {},
        "GWIN + critic (WGWIN-GP)": dict(n_critic=5),
        "GWIN + affine augmentation": dict(augmentation="affine"),
        "GWIN, pixel MLP (previous default)": PREVIOUS_DEFAULT,
    },
}

# The warp generator trained on warped rows (augmentation="affine"), which
# did best on MNIST's validation rows, as the main GWIN: its own seeds,
# equal-compute second models and verdicts against every alternative.
PRESETS["cpu-warp-affine"] = {
    **PRESETS["cpu-warp"],
    "datasets": ("mnist",),
    "gwin": {**PRESETS["cpu-warp"]["gwin"], "augmentation": "affine"},
    "variants": {"GWIN": {}},
}

# the same around the improved BNN (Table 6): does the warped-rows GWIN's
# win on MNIST hold around the other classifier of the paper?
PRESETS["cpu-warp-affine-improved"] = {**PRESETS["cpu-warp-affine"], "classifier": "improved"}

# The library's defaults as they are now: the warp generator, trained on
# warped rows where the classifier's doubtful validation rows say so
# (augmentation="auto"), scored with three draws and the row pooled in
# ("GWIN, n_regen=3 + input"). A GWIN whose choice matches an earlier
# preset's loads that preset's saved model.
PRESETS["cpu-auto"] = {
    **PRESETS["cpu-warp"],
    "gwin": {**PRESETS["cpu-warp"]["gwin"], "augmentation": "auto"},
    "variants": {"GWIN": {}},
}
PRESETS["cpu-auto-improved"] = {**PRESETS["cpu-auto"], "classifier": "improved"}

# the cpu preset's GWIN around the improved BNN (Table 6), without ablations.
# One dataset takes about as long as the cpu preset's two: run one at a time.
PRESETS["cpu-improved"] = {**PRESETS["cpu"], "classifier": "improved", "variants": {"GWIN": {}}}
# cpu-warp around the improved BNN, with the previous default as the one ablation
PRESETS["cpu-warp-improved"] = {
    **PRESETS["cpu-warp"],
    "classifier": "improved",
    "variants": {"GWIN": {}, "GWIN, pixel MLP (previous default)": PREVIOUS_DEFAULT},
}

# Does a longer-trained generator help? The GWINClassifier default (2,000
# iterations) is the main variant, so the second model gets its compute, and
# its verdicts include 400 (the cpu preset's GWIN, reloaded) and 6,000
# iterations, all for the same three seeds.
PRESETS["cpu-iterations"] = {
    **PRESETS["cpu"],
    "ablation_seeds": PRESETS["cpu"]["seeds"],
    "gwin": {**PRESETS["cpu"]["gwin"], "n_iter": 2000},
    "main_variant": "GWIN, 2000 iterations",
    "variants": {
        "GWIN, 2000 iterations": {},
        "GWIN, 400 iterations": dict(n_iter=400),
        "GWIN, 6000 iterations": dict(n_iter=6000),
    },
}


def resolve_preset(preset, *, datasets=None, seeds=None, bnn_seeds=None, ablations=True):
    """The preset's name and a copy of its settings, with overrides applied.

    ``bnn_seeds`` are the seeds of the classifiers C to run the benchmark
    around (default: the preset's ``bnn_seeds``, else its ``bnn_seed``);
    ``ablations=False`` keeps the main variant only.
    """
    if isinstance(preset, dict):
        name, settings = preset.get("name", "custom"), copy.deepcopy(preset)
    elif preset in PRESETS:
        name, settings = preset, copy.deepcopy(PRESETS[preset])
    else:
        raise ValueError(f"Unknown preset {preset!r}; choose from {sorted(PRESETS)} or pass a dict.")
    if datasets is not None:
        settings["datasets"] = tuple(datasets)
    if seeds is not None:
        settings["seeds"] = tuple(seeds)
        settings["ablation_seeds"] = tuple(seeds[:1])
    missing = {"datasets", "taus", "bnn_epochs", "bnn_seed", "seeds", "ablation_seeds", "gwin",
               "main_variant", "variants"} - set(settings)
    if missing:
        raise ValueError(f"The preset lacks {sorted(missing)}.")
    if bnn_seeds is not None:
        settings["bnn_seeds"] = tuple(bnn_seeds)
    settings["bnn_seeds"] = tuple(settings.get("bnn_seeds", (settings["bnn_seed"],)))
    if not settings["bnn_seeds"] or len(set(settings["bnn_seeds"])) < len(settings["bnn_seeds"]):
        raise ValueError(f"bnn_seeds must be distinct classifier seeds, got {settings['bnn_seeds']}.")
    if settings.setdefault("classifier", "lenet5") not in CLASSIFIER_NAMES:
        raise ValueError(f"classifier {settings['classifier']!r} is not one of {sorted(CLASSIFIER_NAMES)}.")
    if settings["main_variant"] not in settings["variants"]:
        raise ValueError(f"main_variant {settings['main_variant']!r} is not among the variants.")
    if not ablations:
        settings["variants"] = {settings["main_variant"]: settings["variants"][settings["main_variant"]]}
    return name, settings
