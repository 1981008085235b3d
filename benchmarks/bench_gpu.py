"""GPU throughput at real Stable Diffusion size: engine vs the raw pipeline, by precision, compile and batch.

Builds a pipeline with Stable Diffusion 1.5's architecture from its config with random weights (nothing is
downloaded; speed does not depend on the weights' values), saves it, and loads it back through load_pipeline exactly
like a checkpoint. Then renders the same frames at 512x512, 20 steps, through `render` and through the pipeline
called directly with the same latents and embeddings, and prints frames per second and the ratio.

    python benchmarks/bench_gpu.py                 # on a machine with an NVIDIA GPU
    python benchmarks/bench_gpu.py --smoke         # a tiny run on the CPU that only checks the script works

Writes benchmarks/results/gpu.json (machine, versions and every figure).
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch
from results_file import save_results

from giffusion_widgets import Keyframe, Project
from giffusion_widgets.engine.builtin import _byte_level_tokenizer
from giffusion_widgets.engine.inputs import NoiseCache
from giffusion_widgets.engine.pipelines import load_pipeline
from giffusion_widgets.engine.renderer import Renderer
from giffusion_widgets.interpolate import slerp
from giffusion_widgets.schedule import schedule


def build_sd15(folder: Path, smoke: bool) -> None:
    """Stable Diffusion 1.5's UNet, VAE and CLIP text encoder shapes, random weights."""
    from diffusers import AutoencoderKL, PNDMScheduler, StableDiffusionPipeline, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel

    tokenizer = _byte_level_tokenizer()
    width = (32, 64, 64, 64) if smoke else (320, 640, 1280, 1280)
    unet = UNet2DConditionModel(
        sample_size=64, block_out_channels=width, layers_per_block=1 if smoke else 2,
        cross_attention_dim=32 if smoke else 768, attention_head_dim=8,
        norm_num_groups=32,
        down_block_types=("CrossAttnDownBlock2D",) * 3 + ("DownBlock2D",),
        up_block_types=("UpBlock2D",) + ("CrossAttnUpBlock2D",) * 3,
    )
    vae = AutoencoderKL(block_out_channels=(32, 32, 64, 64) if smoke else (128, 256, 512, 512),
                        down_block_types=("DownEncoderBlock2D",) * 4, up_block_types=("UpDecoderBlock2D",) * 4,
                        layers_per_block=1 if smoke else 2, latent_channels=4, sample_size=512)
    text = CLIPTextModel(CLIPTextConfig(vocab_size=49408, hidden_size=32 if smoke else 768,
                                        intermediate_size=64 if smoke else 3072,
                                        num_hidden_layers=2 if smoke else 12, num_attention_heads=4 if smoke else 12,
                                        max_position_embeddings=77, bos_token_id=0, eos_token_id=1, pad_token_id=1))
    scheduler = PNDMScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                              skip_prk_steps=True, steps_offset=1)
    StableDiffusionPipeline(unet=unet, vae=vae, text_encoder=text, tokenizer=tokenizer, scheduler=scheduler,
                            safety_checker=None, feature_extractor=None, requires_safety_checker=False,
                            ).save_pretrained(folder)


def project(frames: int, size: int, steps: int, batch: int) -> Project:
    kfs = [Keyframe(0, "a red circle"), Keyframe(frames // 2, "a blue square"), Keyframe(frames - 1, "a star")]
    return Project(keyframes=kfs, height=size, width=size, num_inference_steps=steps, batch_size=batch)


def sync() -> None:
    if torch.cuda.is_available():
        torch.cuda.synchronize()


def raw_fps(pipe, p: Project) -> float:
    plan = schedule(p)
    noise = NoiseCache((1, 4, p.height // 8, p.width // 8))
    latents = torch.cat([slerp(noise(s.latent_seeds[0]), noise(s.latent_seeds[1]), s.latent_t)
                         for s in plan.frames]).to(pipe.device, pipe.dtype)
    embeds = Renderer(pipe).embeddings.for_frames(pipe, plan.frames, p.embedding_interpolation, cfg=True)
    b = p.batch_size
    sync()
    start = time.perf_counter()
    for i in range(0, len(plan), b):
        pipe(prompt_embeds=embeds["prompt_embeds"][i:i + b], negative_prompt_embeds=embeds["negative_prompt_embeds"]
             [i:i + b], latents=latents[i:i + b], num_inference_steps=p.num_inference_steps, height=p.height,
             width=p.width, guidance_scale=p.guidance_scale, output_type="pil")
    sync()
    return len(plan) / (time.perf_counter() - start)


def engine_fps(pipe, p: Project) -> float:
    with tempfile.TemporaryDirectory() as runs:
        sync()
        start = time.perf_counter()
        Renderer(pipe, runs_dir=runs).render(p)
        sync()
        return len(schedule(p)) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true", help="tiny sizes on the CPU: checks the script, not speed")
    parser.add_argument("--frames", type=int, default=24)
    args = parser.parse_args()
    smoke = args.smoke
    size, steps, frames = (64, 2, 4) if smoke else (512, 20, args.frames)
    device = "cuda" if torch.cuda.is_available() and not smoke else "cpu"
    results = {"machine": {"gpu": torch.cuda.get_device_name() if device == "cuda" else None,
                           "cpu": platform.processor() or platform.machine(), "torch": torch.__version__},
               "size": size, "steps": steps, "frames": frames, "runs": []}
    dtypes = ["float32"] if smoke else ["float16", "float32"]
    compiles = [False] if smoke else [False, True]
    batches = [1, 2] if smoke else [1, 4, 8]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "sd15-random"
        build_sd15(folder, smoke)
        for dtype in dtypes:
            for compile_ in compiles:
                pipe = load_pipeline(str(folder), "StableDiffusionPipeline", device=device, dtype=dtype,
                                     compile=compile_, channels_last=compile_)
                for batch in batches:
                    p = project(frames, size, steps, batch)
                    engine_fps(pipe, project(max(batch, 3), size, steps, batch))  # warm-up (and compile) per shape
                    raw = raw_fps(pipe, p)
                    eng = engine_fps(pipe, p)
                    row = {"dtype": dtype, "compile": compile_, "batch": batch, "raw_fps": raw, "engine_fps": eng,
                           "engine_time_ratio": raw / eng}
                    results["runs"].append(row)
                    print(f"{dtype:8s} compile={compile_!s:5s} batch={batch}: raw {raw:.2f} frames/s, engine "
                          f"{eng:.2f} frames/s, engine time / raw time {raw / eng:.3f}")
                del pipe
                if device == "cuda":
                    torch.cuda.empty_cache()
    save_results("gpu-smoke" if smoke else "gpu", results)


if __name__ == "__main__":
    main()
