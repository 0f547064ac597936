"""How many students a server holds: memory, CPU per slider move and start-up time, measured.

    python tests/hub/capacity.py [--students 5] [--moves 20]      (or `make capacity`)

Starts the course hub on 127.0.0.1 (tests/hub/loopback.py), gives every student a server and
the course through the class link, then per student runs notebooks 02 and 04 through their
server (two kernels, as a student who keeps both open). Memory is read from /proc through
psutil: RSS, and PSS, which splits shared pages between the processes sharing them, so PSS sums
to what the processes really take. One student then opens 04 in Chromium and presses an arrow key
on the Jacobian explorer's x₁ slider ``--moves`` times, waiting each time for the new figure;
CPU is the user + system time, over that stretch, of every hub-side process (hub, proxy,
culler, that student's server and kernel), divided by the moves. Prints a Markdown table.
"""

import argparse
import asyncio
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import loopback  # noqa: E402
import release  # noqa: E402

MIB = 2**20


def servers(hub):
    """``{student: process}`` of every single-user server below the hub."""
    found = {}
    for process in hub.processes():
        try:
            if any("jupyterhub-singleuser" in part for part in process.cmdline()):
                found[process.environ().get("JUPYTERHUB_USER")] = process
        except psutil.Error:
            continue
    return found


def memory(process):
    info = process.memory_full_info()
    return info.rss / MIB, info.pss / MIB


def cpu_seconds(processes):
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
            total += times.user + times.system + times.children_user + times.children_system
        except psutil.Error:
            pass
    return total


def slider_moves(hub, name, moves):
    """Per arrow-key move of the Jacobian explorer's x₁: CPU seconds of every hub-side process
    (less their idle baseline), of the kernel alone, and the median wall time to the new figure."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = loopback.launch_chromium(playwright)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1600})
            page.set_default_timeout(60_000)
            loopback.run_all_in_lab(page, hub, name, "notebooks/04_interactive_jacobian.ipynb")
            explorer = page.locator(".course-explorer").nth(1)
            image = explorer.locator(".widget-image").first
            handle = explorer.locator(".noUi-handle").first
            handle.scroll_into_view_if_needed()
            time.sleep(2)  # let the run-all settle before measuring
            everything = [psutil.Process(hub.process.pid), *hub.processes()]  # chromium is not among them
            kernels = servers(hub)[name].children(recursive=True)
            began = time.monotonic()
            idle_cpu = cpu_seconds(everything)
            time.sleep(10)  # the baseline: the same processes, nobody moving a slider
            baseline = (cpu_seconds(everything) - idle_cpu) / (time.monotonic() - began)
            before, before_kernels, began, walls = cpu_seconds(everything), cpu_seconds(kernels), \
                time.monotonic(), []
            for move in range(moves):
                src = image.get_attribute("src")
                start = time.monotonic()
                handle.focus()
                handle.press("ArrowLeft" if move % 2 == 0 else "ArrowRight")  # x₁ starts at its maximum
                deadline = start + 20
                while image.get_attribute("src") == src and time.monotonic() < deadline:
                    time.sleep(0.02)
                assert image.get_attribute("src") != src, "the figure did not change"
                walls.append(time.monotonic() - start)
            elapsed = time.monotonic() - began
            total = (cpu_seconds(everything) - before - baseline * elapsed) / moves
            kernel = (cpu_seconds(kernels) - before_kernels) / moves
            return total, kernel, statistics.median(walls)
        finally:
            browser.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=5)
    parser.add_argument("--moves", type=int, default=20)
    arguments = parser.parse_args(argv)
    names = [f"student{number}" for number in range(1, arguments.students + 1)]
    missing = loopback.missing_parts()
    if missing:
        raise SystemExit(f"missing: {', '.join(missing)}")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        release.build(folder / "release")
        repository, _work = loopback.course_repository(folder, folder / "release")
        hub = loopback.Hub(folder)
        try:
            hub.add_students(names)
            solo = hub.start_servers(names[:1])[names[0]]
            together = hub.start_servers(names[1:]) if len(names) > 1 else {}
            link = loopback.link_for(hub, repository)
            pull_times = []
            for name in names:
                began = time.monotonic()
                hub.pull(name, link)
                pull_times.append(time.monotonic() - began)
            idle = {name: memory(process) for name, process in servers(hub).items()}
            start_cpu = [cpu_seconds([process]) for process in servers(hub).values()]

            async def everyone(path):
                notebook = f"{loopback.COURSE_FOLDER}/{path}"
                code = [cell.source for cell in loopback.nbformat.read(
                    hub.course(names[0]) / path, as_version=4).cells if cell.cell_type == "code"]
                return await asyncio.gather(*(loopback.run_cells(hub, n, notebook, code) for n in names))

            for path in ("notebooks/02_symbolic_derivation.ipynb", "notebooks/04_interactive_jacobian.ipynb"):
                for _kernel, results in asyncio.run(everyone(path)):
                    assert all(status == "ok" for status, _ in results), path
            per_student = []
            for name, server in servers(hub).items():
                kernels = server.children(recursive=True)
                rss = sum(memory(p)[0] for p in [server, *kernels])
                pss = sum(memory(p)[1] for p in [server, *kernels])
                per_student.append((name, memory(server), [memory(k) for k in kernels], rss, pss))
            shared = [p for p in hub.processes() if "jupyterhub-singleuser" not in " ".join(p.cmdline())
                      and not any(p in s.children(recursive=True) for s in servers(hub).values())]
            hub_rss = sum(memory(p)[0] for p in [psutil.Process(hub.process.pid), *shared])
            cpu, kernel_cpu, wall_median = slider_moves(hub, names[0], arguments.moves)
        finally:
            hub.stop()

    print(f"\nMeasured {time.strftime('%Y-%m-%d %H:%M')} on {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; {len(names)} students.\n")
    print("| per student | median | range |\n|---|---|---|")
    rows = [
        ("server alone, idle (RSS MiB)", [v[0] for v in idle.values()]),
        ("server + kernels of 02 and 04 (RSS MiB)", [r for *_, r, _ in per_student]),
        ("server + kernels of 02 and 04 (PSS MiB)", [p for *_, p in per_student]),
        ("each kernel (RSS MiB)", [k[0] for *_, ks, _, _ in per_student for k in ks]),
    ]
    for label, values in rows:
        print(f"| {label} | {statistics.median(values):.0f} | {min(values):.0f}–{max(values):.0f} |")
    starts = [solo, *together.values()]
    at_once = statistics.median(together.values()) if together else 0.0
    print(f"| start-up: server ready (s), 1 alone / {len(together)} at once | {solo:.1f} / {at_once:.1f} | "
          f"{min(starts):.1f}–{max(starts):.1f} |")
    print(f"| first pull with the class link (s) | {statistics.median(pull_times):.1f} | "
          f"{min(pull_times):.1f}–{max(pull_times):.1f} |")
    print(f"| start-up: CPU of a server until ready and pulled (s) | {statistics.median(start_cpu):.1f} | "
          f"{min(start_cpu):.1f}–{max(start_cpu):.1f} |")
    print(f"| CPU per slider move: all hub-side processes less idle (ms) | {1000 * cpu:.0f} | kernel alone "
          f"{1000 * kernel_cpu:.0f} ms; key press to new figure {1000 * wall_median:.0f} ms (median) |")
    print(f"| hub + proxy + culler (RSS MiB, shared by all) | {hub_rss:.0f} | |")


if __name__ == "__main__":
    main()
