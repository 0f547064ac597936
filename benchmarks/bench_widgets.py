"""Kernel-side latency of the explorers: from a slider's new value to a redrawn figure.

What is timed is ``slider.value = new``, which in the kernel runs the whole update: the
softmax (or its Jacobian), the artists' new data, the blitted redraw, the PNG encoding and
the new ``Image.value`` and readout. The browser's share (receiving ~25 kB and swapping
the picture) is not included. Target: median ≤ 30 ms for D = 10.

For comparison, "full savefig" is what re-displaying the same figure would cost (the
``Output`` + ``display`` design): a complete draw and PNG encoding.
"""

import io
import statistics
import time

import numpy as np

from course_utils.widgets import jacobian_explorer, softmax_explorer, stability_lab

TARGET_MS = 30.0
SIZES = (3, 10)


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


def slider_mover(slider, values):
    """A function that sets ``slider`` to the next of ``values`` (always a real change)."""
    position = iter(range(10**9))

    def move():
        slider.value = values[next(position) % len(values)]

    return move


def full_savefig(figure):
    def draw():
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")

    return draw


def rows():
    values = [round(value, 1) for value in np.linspace(-4.0, 4.0, 17)]
    for name, make in (("softmax explorer", softmax_explorer),
                       ("jacobian explorer", jacobian_explorer)):
        for size in SIZES:
            explorer = make(np.linspace(0.0, 2.0, size))
            update = median_ms(slider_mover(explorer.controls.logit_sliders[0], values))
            savefig = median_ms(full_savefig(explorer.live.figure), repeats=11)
            yield name, size, update, savefig
    lab = stability_lab(np.linspace(1.0, -1.0, 10))
    update = median_ms(slider_mover(lab.scale_slider, [50.0, 100.0, 500.0, 1000.0]), repeats=11)
    yield "stability lab (full draw)", 10, update, median_ms(full_savefig(lab.live.figure), 5)


def main():
    print("| widget | D | value change → redrawn figure (median ms) | full savefig (ms) |")
    print("|---|---|---|---|")
    results = list(rows())
    for name, size, update, savefig in results:
        print(f"| {name} | {size} | {update:.1f} | {savefig:.1f} |")
    worst = max(update for name, size, update, _ in results if size == 10 and "explorer" in name)
    verdict = "meets" if worst <= TARGET_MS else "MISSES"
    print(f"\nExplorers at D = 10: worst median {worst:.1f} ms, {verdict} the {TARGET_MS:.0f} ms "
          "target (kernel side; the stability lab redraws fully by design and has no target).")


if __name__ == "__main__":
    main()
