"""The paper's Tables 1-2 and Figures 2-5, with TTA and second-model baselines.

The same as ``gwin benchmark``; see ``sklearn_gwin/benchmark/`` and docs/lab/results.md.

    python benchmarks/paper_tables.py --preset cpu --data-home ../shared/data
    python benchmarks/paper_tables.py --preset paper --device cuda     # on a GPU
    python benchmarks/paper_tables.py --preset smoke                   # digits, ~1 min
"""

import sys

from sklearn_gwin.cli import main

if __name__ == "__main__":
    sys.exit(main(["benchmark", *sys.argv[1:]]))
