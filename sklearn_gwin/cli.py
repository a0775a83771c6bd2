"""The ``gwin`` command (also ``python -m sklearn_gwin``)."""

import argparse
import sys

# a folder of its own, not the repository's benchmarks/results: a run started
# inside a clone must not overwrite the tracked records
DEFAULT_OUT = "gwin-benchmark-results"


def main(argv=None):
    from . import __version__

    parser = argparse.ArgumentParser(prog="gwin", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s (sklearn-gwin) {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser(
        "demo",
        help="GWIN around a Bayesian LeNet-5 on scikit-learn's digits (no download)",
        description="A GWIN around a Bayesian LeNet-5 on scikit-learn's digits: nothing is "
        "downloaded, about 20 s on 2 CPU cores.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    demo.add_argument(
        "--n-iter", type=int, default=1500, help="generator iterations (GWINClassifier's default is 2000)"
    )
    demo.add_argument("--max-epochs", type=int, default=30, help="epochs of the Bayesian LeNet-5")
    demo.add_argument(
        "--tau-star", type=float, default=0.9,
        help="confident-set threshold; only a critic uses it, and the demo's default GWIN trains none",
    )
    demo.add_argument("--random-state", type=int, default=0, help="seed of the net, the generator and the split")
    demo.add_argument("--quiet", action="store_true", help="no progress bar")
    bench = commands.add_parser(
        "benchmark",
        help="the paper's Tables 1-2 and Figures 2-5, with TTA and second-model baselines",
        description="The paper's Tables 1-2 and Figures 2-5, with TTA and second-model baselines. "
        "The default preset trains Bayesian nets and GWINs on MNIST and Fashion-MNIST: over an hour "
        "on a CPU (models are saved in --work-dir, so an interrupted run resumes); "
        "--preset smoke runs on the bundled digits in minutes.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    bench.add_argument(
        "--preset",
        default="cpu-warp",
        help="cpu-auto and cpu-auto-improved (the library's default GWIN, its training rows "
        "chosen on the validation rows, against every alternative), "
        "cpu-warp (the previous default, the rows as they are, with ablations; both datasets), "
        "cpu-warp-improved (the same around the improved BNN; one dataset at a time), "
        "cpu-warp-affine and cpu-warp-affine-improved (the GWIN trained on warped rows, MNIST), "
        "cpu (the previous default, 400 iterations), cpu-improved, cpu-iterations (400, 2000 "
        "and 6000 iterations of the previous default), paper (GPU) or smoke (digits)",
    )
    bench.add_argument("--datasets", nargs="+", help="subset of mnist, fashion-mnist, digits")
    bench.add_argument("--seeds", type=int, nargs="+", help="GWIN seeds (ablations use the first)")
    bench.add_argument(
        "--bnn-seeds",
        type=int,
        nargs="+",
        help="seeds of the classifiers to run it all around (default: the preset's); with several, the "
        "verdicts are also pooled across them",
    )
    bench.add_argument("--no-ablations", action="store_true", help="fit the main GWIN variant only")
    bench.add_argument("--data-home", help="folder with mnist/ and fashion-mnist/ (default $SKLEARN_GWIN_DATA)")
    bench.add_argument(
        "--work-dir",
        help="where fitted models are saved and resumed from (default: benchmark/ in the data home). "
        "It must be trusted: the models and joblib's cache there are pickles, which run code when a "
        "resumed run loads them",
    )
    bench.add_argument(
        "--out",
        default=DEFAULT_OUT,
        help="where JSON and figures go, under the current folder unless absolute (the repository's "
        "own records are in benchmarks/results)",
    )
    bench.add_argument("--device", default="auto")
    bench.add_argument("--no-figures", action="store_true", help="skip the matplotlib figures")
    bench.add_argument("--quiet", action="store_true", help="no progress output")
    args = parser.parse_args(argv)

    if args.command == "benchmark":
        from .benchmark import run_benchmark

        try:
            run_benchmark(
                args.preset,
                datasets=args.datasets,
                seeds=args.seeds,
                bnn_seeds=args.bnn_seeds,
                ablations=not args.no_ablations,
                data_home=args.data_home,
                work_dir=args.work_dir,
                out_dir=args.out,
                device=args.device,
                figures=not args.no_figures,
                log=None if args.quiet else print,
            )
        except (ValueError, OSError, ImportError) as exc:
            parser.exit(2, f"gwin: error: {exc}\n")

    if args.command == "demo":
        from ._demo import run_demo

        try:
            run_demo(
                n_iter=args.n_iter,
                max_epochs=args.max_epochs,
                tau_star=args.tau_star,
                random_state=args.random_state,
                verbose=0 if args.quiet else 1,
            )
        except ValueError as exc:
            # bad settings (e.g. an empty confident set) are the user's to fix: no traceback
            parser.exit(2, f"gwin: error: {exc}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
