"""Engine overhead, incremental re-render and draft preview, measured in one run on this machine.

1. The same 48 frames (embedded pipeline, 64x64, 4 steps): through `render` (prompt encoding, PNG saving and GIF
   encoding included) vs the pipeline called directly with precomputed latents and embeddings, at batch 8 and 1.
2. A 4-segment project rendered, then rendered again after editing its last keyframe.
3. A draft preview (keyframes only, a quarter of the steps, half size) vs the full render of the same project.
4. The weight fingerprint each render computes (so weights changed in place never reuse frames): its time for the
   embedded pipeline, as a share of the 48-frame render, and its rate in GB/s of weights on this machine.

Prints ratios and writes benchmarks/results/engine.json.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch
from results_file import save_results

from giffusion_widgets import Keyframe, Project
from giffusion_widgets.engine.embeddings import PromptEmbeddings
from giffusion_widgets.engine.inputs import NoiseCache
from giffusion_widgets.engine.pipelines import fingerprint, load_pipeline
from giffusion_widgets.engine.renderer import Renderer
from giffusion_widgets.interpolate import slerp
from giffusion_widgets.schedule import schedule

REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))


def project_48(batch: int = 8) -> Project:
    kfs = [Keyframe(0, "a red circle"), Keyframe(16, "a blue square"), Keyframe(32, "a green triangle"),
           Keyframe(47, "a yellow star")]
    return Project(keyframes=kfs, height=64, width=64, num_inference_steps=4, batch_size=batch, guidance_scale=7.5)


def raw_inputs(pipe, project: Project):
    """Latents and embeddings for every frame, made outside the timed part, exactly as the engine makes them."""
    plan = schedule(project)
    noise = NoiseCache((1, 4, 8, 8))
    latents = torch.cat([slerp(noise(s.latent_seeds[0]), noise(s.latent_seeds[1]), s.latent_t) for s in plan.frames])
    embeds = PromptEmbeddings().for_frames(pipe, plan.frames, project.embedding_interpolation, cfg=True)
    gens = [s.sampler_seed for s in plan.frames]
    return latents, embeds, gens


def run_raw(pipe, latents, embeds, seeds, batch: int = 8) -> float:
    start = time.perf_counter()
    for i in range(0, len(latents), batch):
        pipe(prompt_embeds=embeds["prompt_embeds"][i:i + batch],
             negative_prompt_embeds=embeds["negative_prompt_embeds"][i:i + batch],
             latents=latents[i:i + batch], num_inference_steps=4, guidance_scale=7.5, height=64, width=64,
             generator=[torch.Generator().manual_seed(s) for s in seeds[i:i + batch]], output_type="pil")
    return time.perf_counter() - start


def run_engine(pipe, project: Project) -> float:
    with tempfile.TemporaryDirectory() as tmp:  # a fresh renderer and folder: nothing cached
        start = time.perf_counter()
        Renderer(pipe, runs_dir=tmp).render(project)
        return time.perf_counter() - start


def incremental(pipe) -> tuple[float, float, int, int]:
    kfs = [Keyframe(0, "a red circle"), Keyframe(12, "a blue square"), Keyframe(24, "a green triangle"),
           Keyframe(36, "a yellow star"), Keyframe(48, "a purple moon")]
    project = Project(keyframes=kfs, height=64, width=64, num_inference_steps=4, batch_size=8)
    with tempfile.TemporaryDirectory() as tmp:
        renderer = Renderer(pipe, runs_dir=tmp)
        start = time.perf_counter()
        renderer.render(project)
        first = time.perf_counter() - start
        project.keyframes[-1].prompt = "a purple moon over the sea"
        start = time.perf_counter()
        again = renderer.render(project)
        second = time.perf_counter() - start
    return first, second, again.rendered, again.reused


def engine_vs_raw(pipe, batch: int) -> dict:
    project = project_48(batch)
    latents, embeds, seeds = raw_inputs(pipe, project)
    raws, engines = [], []
    for _ in range(REPEATS):  # interleaved, so drift in the machine's speed hits both alike
        raws.append(run_raw(pipe, latents, embeds, seeds, batch))
        engines.append(run_engine(pipe, project))
    raw, engine = statistics.median(raws), statistics.median(engines)
    print(f"engine vs raw diffusers, 48 frames 64x64, 4 steps, batch {batch}: raw {raw:.2f} s, engine {engine:.2f} s, "
          f"ratio {engine / raw:.3f} (target <= 1.10)")
    return {"frames": 48, "batch": batch, "raw_s": raw, "engine_s": engine, "ratio": engine / raw, "target": 1.10}


def preview_vs_full(pipe) -> dict:
    kfs = [Keyframe(0, "a red circle"), Keyframe(24, "a blue square"), Keyframe(48, "a green triangle")]
    project = Project(keyframes=kfs, height=128, width=128, num_inference_steps=20, batch_size=8)
    with tempfile.TemporaryDirectory() as tmp:
        renderer = Renderer(pipe, runs_dir=tmp)
        start = time.perf_counter()
        draft = renderer.preview(project)
        draft_s = time.perf_counter() - start
        start = time.perf_counter()
        full = renderer.render(project)
        full_s = time.perf_counter() - start
    print(f"draft preview ({len(draft.frames)} keyframes, 5 steps, 64 px) {draft_s:.2f} s vs full render "
          f"({len(full.frames)} frames, 20 steps, 128 px) {full_s:.2f} s: ratio {draft_s / full_s:.3f}; "
          f"the full render reused {full.reused} draft frames")
    return {"draft_s": draft_s, "full_s": full_s, "ratio": draft_s / full_s, "full_reused": full.reused}


def fingerprint_cost(pipe, engine_s: float) -> dict:
    times = []
    for _ in range(5):
        start = time.perf_counter()
        fingerprint(pipe)
        times.append(time.perf_counter() - start)
    embedded = statistics.median(times)
    big = torch.nn.Linear(8192, 8192)  # 256 MiB of float32 weights, as one more component would hold

    class Holder:
        components = {"big": big}

    start = time.perf_counter()
    fingerprint(Holder())
    rate = big.weight.numel() * 4 / 1e9 / (time.perf_counter() - start)
    print(f"weight fingerprint: {embedded * 1000:.1f} ms for the embedded pipeline, {embedded / engine_s:.3%} of the "
          f"48-frame render; {rate:.1f} GB/s of weights, so {1 / rate:.2f} s a render per GB of weights on this CPU")
    return {"embedded_ms": embedded * 1000, "share_of_render": embedded / engine_s, "gb_per_s": rate}


def main() -> dict:
    torch.set_num_threads(os.cpu_count() or 1)
    pipe = load_pipeline()
    run_engine(pipe, project_48().copy(keyframes=project_48().keyframes[:2]))  # warm up
    results = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__}",
        "engine_vs_raw": [engine_vs_raw(pipe, 8), engine_vs_raw(pipe, 1)],
    }
    first, second, rendered, reused = incremental(pipe)
    results["edit_last_keyframe"] = {"first_s": first, "again_s": second, "ratio": second / first, "target": 0.35,
                                     "rendered": rendered, "reused": reused}
    print(f"edit last keyframe of 4 segments: first {first:.2f} s, again {second:.2f} s ({rendered} rendered, "
          f"{reused} reused), ratio {second / first:.3f} (target <= 0.35)")
    results["preview_vs_full"] = preview_vs_full(pipe)
    results["fingerprint"] = fingerprint_cost(pipe, results["engine_vs_raw"][0]["engine_s"])
    save_results("engine", results)
    return results


if __name__ == "__main__":
    main()
    sys.exit(0)
