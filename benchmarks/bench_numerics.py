"""Speed of the numerical core, side by side with its peers in one process.

Every time is the median of interleaved repeats, reported as a ratio to ``np.copyto`` of the
same array (the memory-traffic floor: reading and writing every number once) and to
``scipy.special.softmax``. Run with ``make bench`` (one thread: the BLAS/OpenMP variables are
set before NumPy is imported by ``benchmarks/__main__.py``).
"""

import statistics
import time

import numpy as np
import scipy.special

import course_utils as cu

SHAPES = [(1, 3), (128, 10), (4096, 1000), (65536, 128), (1024, 32000)]
TARGET_SHAPES = [(65536, 128), (1024, 32000)]

try:  # optional peer: never a requirement of the course
    import torch
    import torch.nn.functional as F  # noqa: N812

    torch.set_num_threads(1)
except ImportError:
    torch = None


def median_seconds(functions, budget=0.6, max_repeats=200):
    """Median time of each function, calling them interleaved so noise hits all alike."""
    times = {name: [] for name in functions}
    started = time.perf_counter()
    while True:
        for name, function in functions.items():
            t0 = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - t0)
        repeats = len(next(iter(times.values())))
        if repeats >= max_repeats or (repeats >= 5 and time.perf_counter() - started > budget):
            break
    return {name: statistics.median(values) for name, values in times.items()}


def cases(shape, dtype, rng):
    logits = rng.normal(scale=3.0, size=shape).astype(dtype)
    probs = cu.softmax(logits)
    upstream = rng.normal(size=shape).astype(dtype)
    labels = rng.integers(0, shape[1], size=shape[0])
    copy_target = np.empty_like(logits)
    layer = cu.SoftmaxCrossEntropy()

    def fused():
        layer.forward(logits, labels)
        layer.backward()

    functions = {
        "copy": lambda: np.copyto(copy_target, logits),
        "softmax": lambda: cu.softmax(logits),
        "scipy": lambda: scipy.special.softmax(logits, axis=-1),
        "backward": lambda: cu.softmax_backward(probs, upstream),
        "ce_fused": fused,
        "ce_separate": lambda: (cu.cross_entropy(logits, labels),
                                cu.cross_entropy_backward(logits, labels)),
    }
    if torch is not None:
        torch_logits = torch.from_numpy(logits)
        torch_labels = torch.from_numpy(labels)

        def torch_ce():
            x = torch_logits.detach().requires_grad_()
            F.cross_entropy(x, torch_labels).backward()

        functions["torch_ce"] = torch_ce
    return functions


def run(shapes=SHAPES, dtypes=(np.float64, np.float32), budget=0.6):
    """Measure every case; return a list of result rows (dicts)."""
    rng = np.random.default_rng(0)
    rows = []
    for dtype in dtypes:
        for shape in shapes:
            medians = median_seconds(cases(shape, dtype, rng), budget=budget)
            rows.append({"shape": shape, "dtype": np.dtype(dtype).name, **medians})
    return rows


def table(rows):
    """The rows as a Markdown table of times and ratios."""
    has_torch = any("torch_ce" in row for row in rows)
    header = ("| shape | dtype | copy | softmax | scipy | scipy / softmax | softmax / copy "
              "| backward / copy | CE fwd+bwd / softmax | CE separate / softmax |")
    header += " torch CE / our CE |" if has_torch else ""
    lines = [header, "|" + "---|" * (header.count("|") - 1)]
    for row in rows:
        cells = [
            "×".join(map(str, row["shape"])), row["dtype"], _time(row["copy"]), _time(row["softmax"]),
            _time(row["scipy"]), f"{row['scipy'] / row['softmax']:.2f}",
            f"{row['softmax'] / row['copy']:.1f}", f"{row['backward'] / row['copy']:.1f}",
            f"{row['ce_fused'] / row['softmax']:.2f}", f"{row['ce_separate'] / row['softmax']:.2f}",
        ]
        if has_torch:
            cells.append(f"{row['torch_ce'] / row['ce_fused']:.2f}" if "torch_ce" in row else "–")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _time(seconds):
    return f"{seconds * 1e6:.1f} µs" if seconds < 1e-3 else f"{seconds * 1e3:.2f} ms"


def main():
    rows = run()
    print(table(rows))
    return rows


if __name__ == "__main__":
    main()
