"""Sharded renders on Dask: the same 48 frames at 128 px on 1 worker, on 2 workers (one torch thread each) and
locally with two threads, all in one run.

    python benchmarks/bench_cluster.py                 # 48 frames, 10 steps, the embedded pipeline
    python benchmarks/bench_cluster.py --steps 20

Each configuration renders into its own fresh runs folder (no frame comes from the cache). Each cluster is a
`distributed.LocalCluster` of worker processes with one thread each; its workers load the pipeline during a
two-frame warm-up render, timed apart ("start s": the cluster's start plus that warm-up), so the figures compare
the rendering itself. Also measured: whether the frames of 1 and 2 workers are equal bit for bit (same batch size,
device and thread count: they should be), and how far the two-thread local frames are from them (the largest
difference of any pixel channel, in 8-bit steps). Prints the figures and writes benchmarks/results/cluster.json.

The machine may be shared with other work while this runs: the ratios are from one run, each configuration timed
in turn, and the load on the machine at the start is recorded beside them.
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
from giffusion_widgets.engine.pipelines import load_pipeline
from giffusion_widgets.engine.renderer import render


def project(frames: int, steps: int, size: int) -> Project:
    prompts = ["a red circle on grass", "a blue square at night", "a yellow star in the sky", "a green triangle"]
    prompts = prompts[:max(2, min(len(prompts), frames // 4))]
    keys = [Keyframe(round(i * (frames - 1) / (len(prompts) - 1)), p) for i, p in enumerate(prompts)]
    return Project(keyframes=keys, height=size, width=size, num_inference_steps=steps, batch_size=8, fps=12)


def pixels(animation) -> list[np.ndarray]:
    return [np.asarray(Image.open(f).convert("RGB")).astype(np.int16) for f in animation.frames]


def on_cluster(pipe, workers: int, work: Project, warm: Project, root: Path) -> tuple[float, float, list]:
    """(start + warm-up seconds, render seconds, frames) on a fresh LocalCluster of `workers` processes."""
    import distributed

    started = time.perf_counter()
    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        render(warm, pipe, runs_dir=root / f"warm-{workers}", client=client)
        ready = time.perf_counter()
        animation = render(work, pipe, runs_dir=root / f"workers-{workers}", client=client)
        done = time.perf_counter()
    assert animation.rendered == len(animation.frames)  # nothing from the cache
    return ready - started, done - ready, pixels(animation)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=48)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--size", type=int, default=128)
    args = parser.parse_args()
    work = project(args.frames, args.steps, args.size)
    warm = project(2, 2, args.size)
    load = os.getloadavg()[0]
    pipe = load_pipeline()
    figures: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        start1, time1, frames1 = on_cluster(pipe, 1, work, warm, root)
        start2, time2, frames2 = on_cluster(pipe, 2, work, warm, root)
        torch.set_num_threads(2)
        render(warm, pipe, runs_dir=root / "warm-local")
        began = time.perf_counter()
        local = render(work, pipe, runs_dir=root / "local")
        time_local = time.perf_counter() - began
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
    }
    for name, value in figures.items():
        print(f"{name:>62}: {value}")
    note = ("one run on a machine shared with other work (see the load average); the cluster's start and the "
            "workers' pipeline loading are timed apart")
    print(save_results("cluster", {"note": note, "figures": figures}))


if __name__ == "__main__":
    main()
