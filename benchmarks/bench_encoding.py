"""GIF and MP4 encoding speed: 300 frames of 256x256, streamed from PNG files as the renderer does.

Prints frames per second for each format and writes benchmarks/results/encoding.json.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image
from results_file import save_results

from giffusion_widgets.media.video import write_gif, write_mp4

FRAMES, SIZE = 300, 256


def make_frames(folder: Path) -> list[Path]:
    """Smooth moving gradients with some texture: closer to diffusion output than noise or flat colour."""
    y, x = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32) / SIZE
    rng = np.random.default_rng(0)
    texture = rng.normal(0, 12, (SIZE, SIZE, 3)).astype(np.float32)
    paths = []
    for i in range(FRAMES):
        t = i / FRAMES
        rgb = np.stack([np.sin(6 * x + 6 * t), np.cos(5 * y - 4 * t), np.sin(4 * (x + y) + 8 * t)], -1)
        image = np.clip((rgb * 0.5 + 0.5) * 255 + texture, 0, 255).astype(np.uint8)
        path = folder / f"{i:05d}.png"
        Image.fromarray(image).save(path)
        paths.append(path)
    return paths


def frames_from(paths: list[Path]):
    for path in paths:
        with Image.open(path) as im:
            yield im.convert("RGB")


def main() -> dict:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = make_frames(folder)
        for name, write in (("gif", write_gif), ("mp4", write_mp4)):
            start = time.perf_counter()
            out = write(frames_from(paths), folder / f"out.{name}", 24)
            seconds = time.perf_counter() - start
            results[name] = {"frames": FRAMES, "size": SIZE, "seconds": seconds, "fps": FRAMES / seconds,
                             "bytes": out.stat().st_size}
            print(f"{name}: {FRAMES} frames {SIZE}x{SIZE} in {seconds:.2f} s = {FRAMES / seconds:.0f} frames/s, "
                  f"{out.stat().st_size / 1024:.0f} KiB")
    save_results("encoding", results)
    return results


if __name__ == "__main__":
    main()
