"""The 2D feedback mode's per-frame cost: warp + colour match, in ms per frame, at 128, 256 and 512 px.

    python benchmarks/bench_motion.py                 # CPU, float32
    python benchmarks/bench_motion.py --device cuda   # and float16 on the GPU
    python benchmarks/bench_motion.py --threads 1     # on a busy machine: see below

Each figure is the median of several runs of one frame (batch 1), after a warm-up, with the reference's histograms
computed once for the chain as the renderer keeps them. Where kornia is importable (it is not a dependency), its
warp_affine and LAB round trip run in the same process for comparison, as ratios to ours. Prints the figures and
writes benchmarks/results/motion.json (motion-<device>.json for another device).

On a 2-core machine shared with other work, torch's two threads made every small operation wait on the other
(colour match at 128 px: 15 to 580 ms a frame with 2 threads, 4 to 5 ms with 1, measured in one session).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import torch
from results_file import save_results

from giffusion_widgets.engine.color_match import ColorReference, lab_to_rgb, match_colors, rgb_to_lab
from giffusion_widgets.engine.motion import MotionStep, warp

SIZES = (128, 256, 512)


def sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def median_ms(runs: dict[str, Callable[[], object]], device: torch.device, repeats: int) -> dict[str, float]:
    """Each run's median ms, the runs taken in turn so that a busy machine slows them all alike."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for attempt in range(repeats + 1):
        for name, run in runs.items():
            sync(device)
            start = time.perf_counter()
            run()
            sync(device)
            if attempt:  # the first round warms up
                times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) * 1000 for name, values in times.items()}


def frame(size: int, device: torch.device, dtype: torch.dtype) -> torch.Tensor:
    y, x = torch.meshgrid(torch.linspace(0, 6, size), torch.linspace(0, 6, size), indexing="ij")
    image = torch.stack((0.5 + 0.4 * torch.sin(x), 0.5 + 0.4 * torch.cos(y), 0.5 + 0.3 * torch.sin(x + y)))
    return image[None].to(device=device, dtype=dtype)


def kornia_runs(image: torch.Tensor, device: torch.device) -> dict[str, Callable[[], object]]:
    try:
        import kornia
    except ImportError:
        return {}
    size = image.shape[-1]
    centre = torch.tensor([[(size - 1) / 2, (size - 1) / 2]], device=device)
    matrix = kornia.geometry.transform.get_rotation_matrix2d(centre, torch.tensor([0.5], device=device),
                                                            torch.tensor([[1.02, 1.02]], device=device))
    source = image.float()
    return {
        "kornia warp_affine ms": lambda: kornia.geometry.transform.warp_affine(source, matrix, (size, size),
                                                                               padding_mode="border"),
        "kornia lab round trip ms": lambda: kornia.color.lab_to_rgb(kornia.color.rgb_to_lab(source)),
    }


def runs_for(image: torch.Tensor, device: torch.device, step: MotionStep) -> dict[str, Callable[[], object]]:
    reference = ColorReference(image)  # once for the chain, as the renderer keeps it
    return {
        "warp ms": lambda: warp(image, 1.02, 0.5, 1.5, -0.5),
        "warp wrap ms": lambda: warp(image, 1.02, 0.5, 1.5, -0.5, "wrap"),
        "match ms": lambda: match_colors(image, reference),
        "lab round trip ms": lambda: lab_to_rgb(rgb_to_lab(image.float())),
        "warp + match ms": lambda: step.apply(image, reference),
        **kornia_runs(image, device),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--threads", type=int, default=None,
                        help="torch's intra-op threads; 1 on a shared machine (two threads there wait on each other)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    dtypes = [torch.float32] + ([torch.float16] if device.type == "cuda" else [])
    step = MotionStep(zoom=1.02, angle=0.5, translation_x=1.5, translation_y=-0.5, border="replicate",
                      color_match=True)
    results: dict[str, dict] = {}
    print(f"threads {torch.get_num_threads()}, device {device}")
    for dtype in dtypes:
        for size in SIZES:
            row = median_ms(runs_for(frame(size, device, dtype), device, step), device, args.repeats)
            if "kornia warp_affine ms" in row:
                row["kornia warp / ours"] = row["kornia warp_affine ms"] / row["warp ms"]
                row["kornia lab / ours"] = row["kornia lab round trip ms"] / row["lab round trip ms"]
            name = f"{size} px {str(dtype).removeprefix('torch.')}"
            results[name] = {k: round(v, 3) for k, v in row.items()}
            print(f"{name:>16}: " + ", ".join(f"{k} {v:.2f}" for k, v in row.items()), flush=True)
    path = save_results("motion" if device.type == "cpu" else f"motion-{device.type}",
                        {"device": str(device), "threads": torch.get_num_threads(), "figures": results})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
