"""What ControlNets and image keyframes cost a render, measured in one run on this machine (embedded pipeline, a
ControlNet made from its own UNet as the tests make it).

1. A 9-frame 64 px render without, then with one ControlNet (canny), then again with a new scale (the models and
   the conditioning image are kept: only the frames are made again).
2. Preparing the ControlNet pipeline the first time (load from its folder, from_pipe, fingerprint) vs later renders.
3. A render with two image keyframes vs the plain one (VAE encodings and image-to-image calls).

Prints ratios and writes benchmarks/results/control.json.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch
from PIL import Image, ImageDraw
from results_file import save_results

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from test_control import make_controlnet  # the same ControlNet the tests use

from giffusion_widgets import Keyframe, Project
from giffusion_widgets.engine.pipelines import load_pipeline
from giffusion_widgets.engine.renderer import Renderer


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> dict:
    torch.set_num_threads(os.cpu_count() or 1)
    pipe = load_pipeline()
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cn = make_controlnet(pipe.unet, tmp / "cn")
        square = Image.new("RGB", (64, 64), "black")
        ImageDraw.Draw(square).rectangle((16, 16, 47, 47), fill="white")
        square.save(tmp / "square.png")
        other = Image.new("RGB", (64, 64), (10, 120, 130))
        other.save(tmp / "teal.png")
        project = Project(keyframes=[Keyframe(0, "a red circle"), Keyframe(8, "a blue square")], height=64, width=64,
                          num_inference_steps=4, batch_size=9)
        renderer = Renderer(pipe, runs_dir=tmp / "runs")
        renderer.render(project.copy(seed=1))  # warm up
        plain_s = timed(lambda: renderer.render(project))
        control = [{"model": str(cn), "source": str(tmp / "square.png"), "preprocessor": "canny"}]
        first_s = timed(lambda: renderer.render(project.copy(controlnets=control)))
        again_s = timed(lambda: renderer.render(project.copy(controlnets=[{**control[0],
                                                                           "conditioning_scale": 0.7}])))
        print(f"9 frames, 64 px, 4 steps: plain {plain_s:.2f} s; with a ControlNet {first_s:.2f} s the first time "
              f"(load and from_pipe included), {again_s:.2f} s later (x{again_s / plain_s:.2f} of plain)")
        results["controlnet"] = {"plain_s": plain_s, "first_s": first_s, "later_s": again_s,
                                 "later_ratio": again_s / plain_s}
        images = project.copy(keyframes=[Keyframe(0, "a red circle", image=str(tmp / "square.png")),
                                         Keyframe(8, "a blue square", image=str(tmp / "teal.png"))], strength=0.5)
        image_s = timed(lambda: renderer.render(images))
        print(f"two image keyframes: {image_s:.2f} s (x{image_s / plain_s:.2f} of plain; image-to-image at strength "
              f"0.5 runs half the steps)")
        results["image_keyframes"] = {"render_s": image_s, "ratio": image_s / plain_s}
    save_results("control", results)
    return results


if __name__ == "__main__":
    main()
