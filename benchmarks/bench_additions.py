"""What LoRAs and prompt weighting cost a render, measured in one run on this machine (embedded pipeline).

1. The weight fingerprint each render computes, with and without a LoRA loaded (its layers add weights to read),
   and whether an in-place change (fuse_lora) changes it.
2. Lending a LoRA for a render (load_lora_weights + set_adapters, then unload) vs the 9-frame render around it.
3. Embedding a prompt through Compel vs the pipeline's own encode_prompt.

Prints ratios and writes benchmarks/results/additions.json.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch
from results_file import save_results

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from test_pipeline_additions import make_lora  # the same LoRA the tests use

from giffusion_widgets import Keyframe, Project
from giffusion_widgets.engine.loras import lent_loras
from giffusion_widgets.engine.pipelines import fingerprint, load_pipeline
from giffusion_widgets.engine.renderer import Renderer
from giffusion_widgets.engine.weighting import weighted_embeds


def median_s(fn, repeats: int = 7) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> dict:
    torch.set_num_threads(os.cpu_count() or 1)
    pipe = load_pipeline()
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        lora = make_lora(pipe.unet, Path(tmp) / "lora")
        loras = [{"path": str(lora), "weight": 1.0}]
        base_ms = median_s(lambda: fingerprint(pipe)) * 1000
        with lent_loras(pipe, loras):
            lora_ms = median_s(lambda: fingerprint(pipe)) * 1000
            before = fingerprint(pipe)
            pipe.fuse_lora()
            noticed = fingerprint(pipe) != before
            pipe.unfuse_lora()
        print(f"fingerprint: {base_ms:.1f} ms, {lora_ms:.1f} ms with a LoRA loaded (x{lora_ms / base_ms:.2f}); "
              f"fuse_lora in place noticed: {noticed}")
        results["fingerprint"] = {"base_ms": base_ms, "with_lora_ms": lora_ms, "fuse_lora_noticed": noticed}

        def lend():
            with lent_loras(pipe, loras):
                pass

        lend_s = median_s(lend, 5)
        project = Project(keyframes=[Keyframe(0, "a red circle"), Keyframe(8, "a blue square")], height=64,
                          width=64, num_inference_steps=4, batch_size=9)
        renderer = Renderer(pipe, runs_dir=Path(tmp) / "runs")
        start = time.perf_counter()
        renderer.render(project.copy(loras=loras))
        render_s = time.perf_counter() - start
        print(f"lending a LoRA (load, weight, unload): {lend_s * 1000:.0f} ms, {lend_s / render_s:.1%} of a 9-frame "
              f"64 px render with it ({render_s:.2f} s)")
        results["lend_lora"] = {"lend_s": lend_s, "render_s": render_s, "share": lend_s / render_s}

    prompt = "a red circle on a white background"
    with torch.inference_mode():
        plain_s = median_s(lambda: pipe.encode_prompt(prompt, pipe.device, 1, True, ""))
    weighted_s = median_s(lambda: weighted_embeds(pipe, "a (red)1.5 circle on a white background", "", True))
    print(f"embedding a prompt: encode_prompt {plain_s * 1000:.1f} ms, Compel {weighted_s * 1000:.1f} ms "
          f"(x{weighted_s / plain_s:.1f}); each prompt is embedded once per render")
    results["embedding"] = {"plain_ms": plain_s * 1000, "compel_ms": weighted_s * 1000}
    save_results("additions", results)
    return results


if __name__ == "__main__":
    main()
