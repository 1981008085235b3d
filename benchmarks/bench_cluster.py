"""Sharded renders on Dask: the same 48 frames at 128 px on 1 worker, on 2 workers (one torch thread each) and
locally with two threads, all in one run.

    python benchmarks/bench_cluster.py                 # 48 frames, 10 steps, the embedded pipeline
    python benchmarks/bench_cluster.py --steps 20

Each configuration renders into its own fresh runs folder (no frame comes from the cache). Each cluster is a
`distributed.LocalCluster` of worker processes with one thread each; its workers load the pipeline during a
two-frame warm-up render (again until every worker has loaded it), timed apart ("start s": the cluster's start
plus that warm-up), so the figures compare the rendering itself. Also measured: whether the frames of 1 and 2
workers are equal bit for bit (same batch size, device and thread count: they should be), and how far the
two-thread local frames are from them (the largest difference of any pixel channel, in 8-bit steps).

What explains the ratios is measured beside them: the batches each worker ran and the seconds all workers
computed at once (Dask's task stream), each worker's CPU seconds over the render's wall seconds ("core share": 1.0
is a core of its own, less is a core shared with other work), the client's own CPU seconds (it stores the frames
and writes the GIF, and runs the scheduler, on the same cores) and the load average.

The machine may be shared with other work while this runs: the ratios are from one run, each configuration timed
in turn. Prints the figures and writes benchmarks/results/cluster.json (`--results NAME`: NAME.json instead).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

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


def on_cluster(pipe, workers: int, work: Project, warm: Project, root: Path) -> tuple[float, float, list, dict]:
    """(start + warm-up seconds, render seconds, frames, what explains the time) on a fresh LocalCluster of
    `workers` processes."""
    import distributed

    started = time.perf_counter()
    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        for seed in range(3):  # until every worker has loaded the pipeline: none is loaded in the timed render
            render(warm.copy(seed=seed), pipe, runs_dir=root / f"warm-{workers}", client=client)
            if min(client.run(_loads).values()) >= 1:
                break
        loads = client.run(_loads)
        ready = time.perf_counter()
        cpu, client_cpu = client.run(_cpu_seconds), time.process_time()
        with distributed.get_task_stream(client) as stream:
            animation = render(work, pipe, runs_dir=root / f"workers-{workers}", client=client)
        done = time.perf_counter()
        cpu_after, client_cpu = client.run(_cpu_seconds), time.process_time() - client_cpu
        wall = done - ready
        batches = {w: sum(t["worker"] == w for t in stream.data) for w in cpu}
        why = {"pipeline loads per worker before the timed render": sorted(loads.values()),
               "batches per worker": sorted(batches.values()),
               "all workers computing at once s": round(_together(stream.data, workers), 2),
               "core share per worker": sorted(round((cpu_after[w] - cpu[w]) / wall, 2) for w in cpu),
               "client cpu s": round(client_cpu, 2)}
        assert min(loads.values()) >= 1, loads
        assert client.run(_loads) == loads  # nothing loaded while timed
    assert animation.rendered == len(animation.frames)  # nothing from the cache
    return ready - started, wall, pixels(animation), why


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=48)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--results", default="cluster", help="the results file's name (benchmarks/results/NAME.json)")
    args = parser.parse_args()
    work = project(args.frames, args.steps, args.size)
    warm = project(2, 2, args.size)
    load = os.getloadavg()[0]
    pipe = load_pipeline()
    figures: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        start1, time1, frames1, why1 = on_cluster(pipe, 1, work, warm, root)
        start2, time2, frames2, why2 = on_cluster(pipe, 2, work, warm, root)
        torch.set_num_threads(2)
        render(warm, pipe, runs_dir=root / "warm-local")
        began, cpu = time.perf_counter(), time.process_time()
        local = render(work, pipe, runs_dir=root / "local")
        time_local = time.perf_counter() - began
        share_local = (time.process_time() - cpu) / time_local
        frames_local = pixels(local)
    same = all(np.array_equal(a, b) for a, b in zip(frames1, frames2, strict=True))
    far = max(int(np.abs(a - b).max()) for a, b in zip(frames2, frames_local, strict=True))
    figures = {
        "frames": args.frames, "size": args.size, "steps": args.steps, "batch_size": work.batch_size,
        "load average at start": round(load, 2),
        "1 worker s": round(time1, 2), "2 workers s": round(time2, 2), "local 2 threads s": round(time_local, 2),
        "1 worker start s": round(start1, 2), "2 workers start s": round(start2, 2),
        "2 workers / 1 worker speed-up": round(time1 / time2, 2),
        "2 workers / local 2 threads speed-up": round(time_local / time2, 2),
        "1 and 2 workers equal bit for bit": same,
        "local 2 threads vs workers: largest pixel difference (8-bit)": far,
        "load average at end": round(os.getloadavg()[0], 2),
        "1 worker": why1, "2 workers": why2, "local 2 threads: cores used": round(share_local, 2),
    }
    for name, value in figures.items():
        print(f"{name:>62}: {value}")
    note = ("one run on a machine shared with other work (see the load average and each worker's core share); the "
            "cluster's start and the workers' pipeline loading are timed apart")
    print(save_results(args.results, {"note": note, "figures": figures}))


if __name__ == "__main__":
    main()
