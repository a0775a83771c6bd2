"""Time and peak memory of ``predict`` on a million rows, chunked and in one piece.

    python benchmarks/predict_size.py                  # 1,000,000 x 64 rows, about 5 minutes on 2 cores
    python benchmarks/predict_size.py --n-rows 100000  # a quick look
    python benchmarks/predict_size.py --images         # 200,000 MNIST-shaped rows, tau 0.9 only

A GWIN around a logistic regression is fitted on 20,000 synthetic rows
(``make_classification``, 64 features, 10 classes, ``class_sep=4``), then
predicts ``--n-rows`` rows at tau 0.9 and 0.99 (about a fifth and a half of
the rows rejected). With ``--images`` the rows are 784 features in [0, 1]
(``make_classification``'s, squashed by a logistic function, float32) read
as 28x28 images (``image_shape=(1, 28, 28)``: the warp generator), 200,000 of
them by default, at tau 0.9. Each predict runs in a fresh process, under scikit-learn's
``working_memory`` of 1024 MiB (the default), 128 MiB, and 10**6 MiB (one
piece: the decision before it was chunked). Memory is the process's peak
resident set during predict minus the resident set before it (Linux
``VmHWM``, reset through ``/proc/self/clear_refs``): what predict adds on
top of X. The per-row noise is timed beside the loop it replaced (one numpy
Generator per row). Writes benchmarks/results/predict_size.json.
"""

import argparse
import hashlib
import multiprocessing
import time
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).parent / "results"
WORKING_MEMORY = {"default (1024 MiB)": 1024, "128 MiB": 128, "one piece": 10**6}
PREDICT_TIMEOUT_S = 1800


def _resident_kib(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


_N_TRAIN = 20_000


def _data(n_rows, images=False):
    """The first 20,000 rows to train on, then ``n_rows`` more of the same problem to predict."""
    from sklearn.datasets import make_classification

    X, y = make_classification(
        n_samples=_N_TRAIN + n_rows, n_features=784 if images else 64, n_informative=20, n_classes=10,
        class_sep=4.0, random_state=0,
    )
    if images:
        X = (1 / (1 + np.exp(-X))).astype(np.float32)  # pixels in [0, 1]
    return (X[:_N_TRAIN], y[:_N_TRAIN]), np.ascontiguousarray(X[_N_TRAIN:])


def _fit(path, n_rows, images):
    import joblib
    from sklearn.linear_model import LogisticRegression

    from sklearn_gwin import GWINClassifier

    (X, y), _ = _data(n_rows, images)  # make_classification's problem depends on n_samples: draw it whole
    gwin = GWINClassifier(LogisticRegression(max_iter=300), image_shape=(1, 28, 28) if images else None,
                          n_iter=300, random_state=0).fit(X, y)
    joblib.dump(gwin, path)


def _predict(path, n_rows, images, tau, working_memory, queue):
    import joblib
    import sklearn

    gwin = joblib.load(path).set_params(tau=tau)
    _, X = _data(n_rows, images)
    Path("/proc/self/clear_refs").write_text("5")  # the peak starts again from here
    before = _resident_kib("VmRSS")
    start = time.perf_counter()
    with sklearn.config_context(working_memory=working_memory):
        gwin.predict(X)
    seconds = time.perf_counter() - start
    peak_added_mib = (_resident_kib("VmHWM") - before) / 1024
    queue.put(dict(seconds=seconds, peak_added_mib=peak_added_mib, rejected=float(gwin.reject(X).mean())))


def _old_row_noise(rows, latent_dim, seed):
    """The per-row loop that row_noise replaced, for the side-by-side time."""
    noise = np.empty((len(rows), latent_dim), dtype=np.float32)
    for i, row in enumerate(np.ascontiguousarray(rows)):
        digest = hashlib.blake2b(row.tobytes(), digest_size=8).digest()
        noise[i] = np.random.default_rng([seed, int.from_bytes(digest, "little")]).standard_normal(latent_dim)
    return noise


def _noise_seconds(n_rows):
    from sklearn_gwin._seeding import row_noise

    rows = np.random.default_rng(0).random((n_rows, 64)).astype(np.float32)
    seconds = {}
    for name, draw in (("per-row Generator (before)", _old_row_noise), ("vectorised (row_noise)", row_noise)):
        start = time.perf_counter()
        draw(rows, 100, 0)
        seconds[name] = time.perf_counter() - start
    return seconds


def measure(n_rows, images, taus, working_memories):
    """Fit once, then time ``predict`` on ``n_rows`` rows per tau and working memory, each in a fresh process."""
    context = multiprocessing.get_context("spawn")
    path = RESULTS / "predict_size_model.joblib.tmp"
    process = context.Process(target=_fit, args=(path, n_rows, images))
    process.start()
    process.join()
    if process.exitcode != 0:
        raise RuntimeError(f"fitting the model to time failed in its process (exit code {process.exitcode})")
    runs = []
    try:
        for tau in taus:
            for name, working_memory in working_memories.items():
                queue = context.Queue()
                process = context.Process(target=_predict, args=(path, n_rows, images, tau, working_memory, queue))
                process.start()
                try:
                    # a predict that dies (say, out of memory) sends nothing: do not wait forever
                    answer = queue.get(timeout=PREDICT_TIMEOUT_S)
                except Exception as error:
                    process.kill()
                    raise RuntimeError(f"predict at tau {tau}, working memory {name}, sent nothing within "
                                       f"{PREDICT_TIMEOUT_S} s (exit code {process.exitcode})") from error
                run = dict(tau=tau, working_memory=name, **answer)
                process.join()
                print(f"tau {tau}, {name:>18}: {run['seconds']:6.1f} s, +{run['peak_added_mib']:6.0f} MiB peak, "
                      f"{100 * run['rejected']:.0f}% rejected", flush=True)
                runs.append(run)
    finally:
        path.unlink(missing_ok=True)
    return runs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-rows", type=int, help="rows to predict (default: 1,000,000, or 200,000 with --images)")
    parser.add_argument("--images", action="store_true", help="MNIST-shaped rows through the image path")
    args = parser.parse_args()
    if args.n_rows is None:
        args.n_rows = 200_000 if args.images else 1_000_000
    from sklearn_gwin.benchmark.runner import write_result

    started = time.perf_counter()
    runs = measure(args.n_rows, args.images, (0.9,) if args.images else (0.9, 0.99), WORKING_MEMORY)
    result = dict(n_rows=args.n_rows, n_features=784 if args.images else 64, image_shape=[1, 28, 28] if args.images
                  else None, runs=runs)
    if not args.images:
        noise = _noise_seconds(min(args.n_rows, 200_000))
        for name, seconds in noise.items():
            print(f"noise for {min(args.n_rows, 200_000)} rows, {name}: {seconds:.2f} s")
        result.update(noise_rows=min(args.n_rows, 200_000), noise_seconds=noise)
    command = "python benchmarks/predict_size.py" + (" --images" if args.images else "")
    if args.n_rows != (200_000 if args.images else 1_000_000):
        command += f" --n-rows {args.n_rows}"
    write_result(RESULTS / ("predict_size_images.json" if args.images else "predict_size.json"), started, command,
                 **result)

if __name__ == "__main__":
    main()
