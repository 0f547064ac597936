"""The explorers: what the kernel does per value received, then the browser benchmark.

Since the explorers draw in the browser, the kernel's share of a slider move is to
receive the new values (``explorer.logit_values = ...``, at most twice a second while
dragging) and, only when asked, to compute a readout or the PNG fallback. The frames,
latencies and kernel CPU a person sees are measured in Chromium by ``benchmarks.browser``,
side by side with an ``ipywidgets.interact`` peer; its table follows when Chromium is there.
"""

import statistics
import time

import numpy as np

from course_utils.widgets import jacobian_explorer, stability_lab

from . import browser


def median_ms(function, repeats=41):
    """Median of ``repeats`` calls (after 3 warm-up calls), in milliseconds."""
    for _ in range(3):
        function()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return 1e3 * statistics.median(times)


def main():
    explorer = jacobian_explorer(np.linspace(0.0, 2.0, 10))
    lab = stability_lab(np.linspace(1.0, -1.0, 10))
    values = [np.round(np.linspace(-4.0, 4.0, 10) + shift, 1).tolist() for shift in (0.0, 0.1)]
    position = iter(range(10**9))

    def receive():
        explorer.logit_values = values[next(position) % 2]

    print("| kernel work, D = 10 | median ms |")
    print("|---|---|")
    print(f"| receive new logits from the browser | {median_ms(receive):.3f} |")
    print(f"| Jacobian readout text (on request) | {median_ms(lambda: explorer.readout_text):.3f} |")
    print(f"| PNG fallback, Jacobian explorer (on display) | {median_ms(lambda: explorer.png, 7):.1f} |")
    print(f"| PNG fallback, stability lab (on display) | {median_ms(lambda: lab.png, 5):.1f} |")
    if browser.CHROMIUM.is_file():
        print()
        browser.main()
    else:
        print(f"\n(no Chromium at {browser.CHROMIUM}: browser benchmark skipped)")


if __name__ == "__main__":
    main()
