"""Run every benchmark and print its table: ``make bench`` or ``python -m benchmarks``.

One thread for NumPy's BLAS and for torch, so ratios compare the code, not the thread count.
The machine may be shared: each table interleaves its contenders and reports medians.
"""

import os

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

import importlib  # noqa: E402

BENCHMARKS = ["bench_numerics", "bench_widgets", "bench_symbolic", "bench_dashboard_starts"]


def main():
    for name in BENCHMARKS:
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"benchmarks.{name}":
                raise
            continue
        print(f"\n## {name}\n")
        module.main()


if __name__ == "__main__":
    main()
