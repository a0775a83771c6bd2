"""The ``gwin`` command (also ``python -m sklearn_gwin``)."""

import argparse
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(prog="gwin", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser(
        "demo", help="GWIN around a Bayesian LeNet-5 on scikit-learn's digits (no download)"
    )
    demo.add_argument("--n-iter", type=int, default=1500, help="generator iterations")
    demo.add_argument("--max-epochs", type=int, default=30, help="epochs of the BNN")
    demo.add_argument("--tau-star", type=float, default=0.9, help="confident-set threshold")
    demo.add_argument("--random-state", type=int, default=0)
    demo.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)

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
