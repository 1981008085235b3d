"""Sharded renders on Dask: the same 48 frames at 128 px on 1 worker, on 2 workers (one torch thread each) and
locally with two threads, all in one run.

    python benchmarks/bench_cluster.py                 # 48 frames, 10 steps, the embedded pipeline
    python benchmarks/bench_cluster.py --steps 20

Each render goes into its own fresh runs folder (no frame comes from the cache). Each cluster is a
`distributed.LocalCluster` of worker processes with one thread each; both are started, and their workers load the
pipeline during two-frame warm-up renders (again until every worker has loaded it), before anything is timed
("start s": a cluster's start plus that warm-up). Then `--rounds` rounds each render the same frames on 1 worker,
on 2 workers and locally, in turn, so that a slower minute of a shared machine falls on all three; the figures are
the medians and each round's ratio. Also measured: whether the frames of 1 and 2 workers are equal bit for bit
(same batch size, device and thread count: they should be), and how far the two-thread local frames are from them
(the largest difference of any pixel channel, in 8-bit steps).

The ceiling is measured too: half the frames in one plain process with one torch thread (no Dask), alone and
with a second such process at once. Two renders sharing the machine's two cores (their caches and memory) each
run slower than one alone, so twice the lone time over the paired time is what any split of the work in two can
gain here.

What explains the ratios is measured beside them: the batches each worker ran and the seconds all workers
computed at once (Dask's task stream), each worker's CPU seconds over the render's wall seconds ("core share": 1.0
is a core of its own, less is a core shared with other work), the client's own CPU seconds (it stores the frames
and writes the GIF, and runs the scheduler, on the same cores) and the load average.

The machine may be shared with other work while this runs. Prints the figures and writes
benchmarks/results/cluster.json (`--results NAME`: NAME.json instead).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image
from results_file import save_results

from giffusion_widgets import Keyframe, Project
from giffusion_widgets.engine.cluster_worker import PLUGIN_NAME
from giffusion_widgets.engine.pipelines import load_pipeline
from giffusion_widgets.engine.renderer import render


def project(frames: int, steps: int, size: int) -> Project:
    prompts = ["a red circle on grass", "a blue square at night", "a yellow star in the sky", "a green triangle"]
    prompts = prompts[:max(2, min(len(prompts), frames // 4))]
    keys = [Keyframe(round(i * (frames - 1) / (len(prompts) - 1)), p) for i, p in enumerate(prompts)]
    return Project(keyframes=keys, height=size, width=size, num_inference_steps=steps, batch_size=8, fps=12)


def pixels(animation) -> list[np.ndarray]:
    return [np.asarray(Image.open(f).convert("RGB")).astype(np.int16) for f in animation.frames]


def _cpu_seconds() -> float:
    return time.process_time()


def _loads(dask_worker) -> int:
    return dask_worker.plugins[PLUGIN_NAME].loads


def _together(stream: list[dict], workers: int) -> float:
    """Seconds during which all `workers` computed at once, from Dask's task stream."""
    edges = sorted((t, +1 if action == "start" else -1) for task in stream for s in task["startstops"]
                   if s["action"] == "compute" for action, t in (("start", s["start"]), ("stop", s["stop"])))
    busy, total, since = 0, 0.0, 0.0
    for t, change in edges:
        if busy >= workers:
            total += t - since
        busy += change
        since = t
    return total


@contextlib.contextmanager
def warm_cluster(pipe, workers: int, warm: Project, root: Path) -> Iterator[tuple[Any, float]]:
    """(a client of a fresh LocalCluster of `workers` processes whose workers have all loaded the pipeline, the
    seconds that took: the cluster's start and the warm-up renders)."""
    import distributed

    started = time.perf_counter()
    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        for seed in range(3):  # until every worker has loaded the pipeline: none is loaded in the timed renders
            render(warm.copy(seed=seed), pipe, runs_dir=root / f"warm-{workers}", client=client)
            if min(client.run(_loads).values()) >= 1:
                break
        yield client, time.perf_counter() - started


def on_cluster(client, pipe, workers: int, work: Project, runs: Path) -> tuple[float, list, dict]:
    """(render seconds, frames, what explains the time) of `work` on `client`'s workers, into a fresh `runs`."""
    import distributed

    loads = client.run(_loads)
    cpu, client_cpu = client.run(_cpu_seconds), time.process_time()
    ready = time.perf_counter()
    with distributed.get_task_stream(client) as stream:
        animation = render(work, pipe, runs_dir=runs, client=client)
    wall = time.perf_counter() - ready
    cpu_after, client_cpu = client.run(_cpu_seconds), time.process_time() - client_cpu
    batches = {w: sum(t["worker"] == w for t in stream.data) for w in cpu}
    why = {"pipeline loads per worker before the timed render": sorted(loads.values()),
           "batches per worker": sorted(batches.values()),
           "all workers computing at once s": round(_together(stream.data, workers), 2),
           "core share per worker": sorted(round((cpu_after[w] - cpu[w]) / wall, 2) for w in cpu),
           "client cpu s": round(client_cpu, 2)}
    assert min(loads.values()) >= 1, loads
    assert client.run(_loads) == loads  # nothing loaded while timed
    assert animation.rendered == len(animation.frames)  # nothing from the cache
    return wall, pixels(animation), why


def on_this_process(pipe, work: Project, runs: Path) -> tuple[float, list, float]:
    """(render seconds, frames, cores used) of a local render with two torch threads."""
    torch.set_num_threads(2)
    began, cpu = time.perf_counter(), time.process_time()
    local = render(work, pipe, runs_dir=runs)
    wall = time.perf_counter() - began
    return wall, pixels(local), (time.process_time() - cpu) / wall


# the environment before any cluster starts: Dask's nanny sets OMP_NUM_THREADS=1 and MALLOC_TRIM_THRESHOLD_=65536
# in the environment of the process that starts it, and a plain process started with the second one allocates as
# slowly as a worker without PipelineHolder's fix (see engine/cluster_worker.py)
ENVIRONMENT = dict(os.environ)


def plain_process(frames: int, steps: int, size: int, seed: int, start: Path | None) -> None:
    """Run as a child process (--plain): render `frames` frames with one torch thread, once `start` exists (so two
    children start together), and print the render's seconds."""
    torch.set_num_threads(1)
    pipe = load_pipeline()
    work = project(frames, steps, size).copy(seed=seed)
    with tempfile.TemporaryDirectory() as tmp:
        render(project(2, 2, size), pipe, runs_dir=Path(tmp) / "warm")
        print("ready", flush=True)
        while start is not None and not start.exists():
            time.sleep(0.005)
        began = time.perf_counter()
        render(work, pipe, runs_dir=Path(tmp) / "runs")
        print(time.perf_counter() - began, flush=True)


def plain_processes(count: int, frames: int, steps: int, size: int, root: Path) -> list[float]:
    """Render seconds of `count` plain processes (no Dask) rendering `frames` frames each, all at once: what two
    cores give two independent renders, the ceiling of any split of the work."""
    import subprocess
    import sys

    start = root / f"start-{count}-{time.perf_counter_ns()}"
    children = [subprocess.Popen([sys.executable, __file__, "--plain", str(seed), "--frames", str(frames),
                                  "--steps", str(steps), "--size", str(size), "--start", str(start)],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=ENVIRONMENT)
                for seed in range(count)]
    for child in children:
        assert child.stdout.readline().strip() == "ready"
    start.touch()
    return [float(child.communicate()[0].strip()) for child in children]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=48)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the three renders, taken in turn")
    parser.add_argument("--results", default="cluster", help="the results file's name (benchmarks/results/NAME.json)")
    parser.add_argument("--plain", type=int, metavar="SEED", help=argparse.SUPPRESS)  # a child of plain_processes
    parser.add_argument("--start", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plain is not None:
        plain_process(args.frames, args.steps, args.size, args.plain, args.start)
        return
    work = project(args.frames, args.steps, args.size)
    warm = project(2, 2, args.size)
    load = os.getloadavg()[0]
    pipe = load_pipeline()
    times: dict[str, list[float]] = {"1": [], "2": [], "local": []}
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        root = Path(tmp)
        (one, start1), (two, start2) = (stack.enter_context(warm_cluster(pipe, n, warm, root)) for n in (1, 2))
        torch.set_num_threads(2)
        render(warm, pipe, runs_dir=root / "warm-local")
        for r in range(args.rounds):  # in turn, so a slower minute of the machine falls on all three alike
            time1, frames1, why1 = on_cluster(one, pipe, 1, work, root / f"{r}-1")
            time2, frames2, why2 = on_cluster(two, pipe, 2, work, root / f"{r}-2")
            time_local, frames_local, share_local = on_this_process(pipe, work, root / f"{r}-local")
            for name, value in (("1", time1), ("2", time2), ("local", time_local)):
                times[name].append(value)
        # the ceiling: half the frames each in one plain process alone, and in two at once (the clusters idle)
        half = args.frames // 2
        alone = [plain_processes(1, half, args.steps, args.size, root)[0] for _ in range(3)]
        paired = [max(plain_processes(2, half, args.steps, args.size, root)) for _ in range(3)]
    same = all(np.array_equal(a, b) for a, b in zip(frames1, frames2, strict=True))
    far = max(int(np.abs(a - b).max()) for a, b in zip(frames2, frames_local, strict=True))
    speed_ups = [a / b for a, b in zip(times["1"], times["2"], strict=True)]
    median = {name: statistics.median(values) for name, values in times.items()}
    figures = {
        "frames": args.frames, "size": args.size, "steps": args.steps, "batch_size": work.batch_size,
        "rounds": args.rounds, "load average at start": round(load, 2),
        "1 worker s (median)": round(median["1"], 2), "2 workers s (median)": round(median["2"], 2),
        "local 2 threads s (median)": round(median["local"], 2),
        "1 worker start s": round(start1, 2), "2 workers start s": round(start2, 2),
        "2 workers / 1 worker speed-up (of the medians)": round(median["1"] / median["2"], 2),
        "2 workers / 1 worker speed-up, each round": [round(x, 2) for x in speed_ups],
        "2 workers / 1 worker speed-up (median of the rounds)": round(statistics.median(speed_ups), 2),
        "2 workers / local 2 threads speed-up (of the medians)": round(median["local"] / median["2"], 2),
        "ceiling: a plain process's half alone s (median of 3)": round(statistics.median(alone), 2),
        "ceiling: two plain processes' halves at once s (median of 3)": round(statistics.median(paired), 2),
        "ceiling: two plain processes / one, speed-up": round(2 * statistics.median(alone) /
                                                               statistics.median(paired), 2),
        "1 and 2 workers equal bit for bit": same,
        "local 2 threads vs workers: largest pixel difference (8-bit)": far,
        "load average at end": round(os.getloadavg()[0], 2),
        "1 worker (last round)": why1, "2 workers (last round)": why2,
        "local 2 threads: cores used (last round)": round(share_local, 2),
    }
    for name, value in figures.items():
        print(f"{name:>62}: {value}")
    note = ("rounds of the three renders taken in turn, both clusters started (and their pipelines loaded) before the "
            "first; the cluster's start and the workers' pipeline loading are timed apart; see the load average and "
            "each worker's core share for what else the machine ran")
    print(save_results(args.results, {"note": note, "figures": figures}))


if __name__ == "__main__":
    main()
