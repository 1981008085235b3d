"""Train the embedded pipeline's UNet and text encoder on pictures of the embedded world, on a CPU.

The data is drawn on the fly by giffusion_widgets.engine.embedded_world, deterministically from the seed and the step.
Latents come straight from the pictures: the hand-set VAE encodes each 8x8 patch to its mean colour and luma, so
there is no need to run its encoder. Epsilon prediction on the DDIM scheduler's noise schedule; AdamW with a short
warm-up and cosine decay; an exponential moving average of the weights is what gets saved.

    python scripts/train_embedded.py --steps 3000 --out runs/train-embedded

Writes into --out: loss.csv (the loss curve), unet.safetensors and text_encoder.safetensors (the averaged weights,
saved every --save-every steps, so a partial run is usable) and training.json (the settings).

    python scripts/train_embedded.py --ship runs/train-embedded

copies a run's weights into the package (giffusion_widgets/engine/embedded/) with weights.json beside them: each
file's sha256, the training settings and the loss curve's end.
"""

from __future__ import annotations

import os

# OpenMP's threads spin while they wait for work; on a shared 2-core machine that burns most of the CPU (measured:
# 6.6 s of CPU a step instead of 0.7). Set before torch starts its thread pool.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse
import copy
import csv
import json
import math
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import load_file, save_file

from giffusion_widgets.engine.builtin import TRAINED_PARTS, VAE_SCALING_FACTOR, WEIGHTS, build_components, sha256
from giffusion_widgets.engine.embedded_world import describe, draw, random_scene


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=Path("runs/train-embedded"))
    p.add_argument("--steps", type=int, default=7000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--batch", type=int, default=64, help="pictures per step at 128 px")
    p.add_argument("--big-batch", type=int, default=16, help="pictures per step at 256 px (same pixel count)")
    p.add_argument("--big-every", type=int, default=4, help="every Nth step draws 256 px pictures")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--final-lr-fraction", type=float, default=0.05)
    p.add_argument("--empty-prompts", type=float, default=0.12, help="share of empty prompts (for guidance)")
    p.add_argument("--ema", type=float, default=0.999)
    p.add_argument("--offset-noise", type=float, default=0.3,
                   help="std of a per-picture, per-channel constant added to the noise (see noise_for)")
    p.add_argument("--min-snr", type=float, default=5.0, help="min-SNR loss weighting's gamma (0: plain MSE)")
    p.add_argument("--foreground-weight", type=float, default=2.0,
                   help="extra loss weight on the shape and its rim (see foreground_weights; 0: uniform)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--log-every", type=int, default=25)
    p.add_argument("--save-every", type=int, default=500)
    p.add_argument("--init", type=Path, metavar="RUN",
                   help="start from RUN's weights (a continuation: give it another --seed for new pictures)")
    p.add_argument("--ship", type=Path, metavar="RUN", help="copy RUN's weights into the package instead of training")
    return p.parse_args(argv)


def ship(run: Path, target: Path = WEIGHTS) -> dict:
    """Copy a run's weights into the package and record their hashes, the settings and the loss curve's end."""
    target.mkdir(parents=True, exist_ok=True)
    files = {}
    for name in TRAINED_PARTS:
        # Half precision halves the package's size; the pipeline loads the weights back into float32.
        weights = load_file(run / f"{name}.safetensors")
        tensors = {k: v.half() if v.is_floating_point() else v for k, v in weights.items()}
        save_file(tensors, str(target / f"{name}.safetensors"))
        files[f"{name}.safetensors"] = sha256(target / f"{name}.safetensors")
    with open(run / "loss.csv") as log:
        rows = list(csv.DictReader(log))
    previous = {}
    if (target / "weights.json").exists():
        previous = json.loads((target / "weights.json").read_text())
    manifest = {
        "files": files,
        "training": json.loads((run / "training.json").read_text()),
        "loss_end": {"step": int(rows[-1]["step"]), "loss": float(rows[-1]["loss"]),
                     "mean_of_last_200_steps": round(sum(float(r["loss"]) for r in rows[-8:]) / len(rows[-8:]), 5)},
        "quality": previous.get("quality", {}),  # written by scripts/judge_embedded.py --record
    }
    (target / "weights.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def picture_latents(pictures: np.ndarray) -> torch.Tensor:
    """What the hand-set VAE's encoder gives (its mean, scaled): 8x8 patch means of R, G, B and luma in [-1, 1]."""
    x = torch.from_numpy(pictures).float().permute(0, 3, 1, 2) / 127.5 - 1
    rgb = F.avg_pool2d(x, 8)
    return torch.cat([rgb, rgb.mean(1, keepdim=True)], 1) * VAE_SCALING_FACTOR


def batch_for(step: int, args: argparse.Namespace) -> tuple[torch.Tensor, list[str]]:
    """The step's pictures (as latents) and prompts; the same step and seed always give the same batch."""
    rng = random.Random(args.seed * 1_000_003 + step)
    big = args.big_every > 0 and step % args.big_every == args.big_every - 1
    size, n = (256, args.big_batch) if big else (128, args.batch)
    scenes = [random_scene(rng) for _ in range(n)]
    prompts = ["" if rng.random() < args.empty_prompts else describe(s, rng) for s in scenes]
    return picture_latents(np.stack([draw(s, size) for s in scenes])), prompts


def noise_for(latents: torch.Tensor, offset: float, generator: torch.Generator) -> torch.Tensor:
    """Gaussian noise plus a constant per picture and channel ("offset noise").

    The world's pictures are mostly background, so their latents have large means (white is +2.8 everywhere), and
    the noise schedule leaves a trace of that mean even at its last step. Trained on plain noise, the model learns to
    read the background from that trace, which pure noise at sampling time does not have: backgrounds come out as
    muddy mid-tones. With the offset, the noise's own mean hides the trace, so the background comes from the prompt.
    """
    noise = torch.randn(latents.shape, generator=generator)
    return noise + offset * torch.randn((*latents.shape[:2], 1, 1), generator=generator)


def loss_weights(alphas: torch.Tensor, min_snr: float) -> torch.Tensor:
    """Min-SNR weighting (Hang et al. 2023) for epsilon prediction: min(SNR, gamma) / SNR per timestep, which spends
    less of the training on nearly clean pictures and converges faster."""
    snr = alphas / (1 - alphas)
    return torch.clamp(snr, max=min_snr) / snr if min_snr > 0 else torch.ones_like(snr)


def foreground_weights(latents: torch.Tensor, weight: float) -> torch.Tensor:
    """Per-position loss weights, 1 + `weight` on the shape and a one-latent-pixel rim around it, scaled to mean 1.

    A shape covers a small part of each picture and its colour is learnt early, so a uniform loss is soon dominated
    by the background and the shape's outline is what the model learns last. The world's backgrounds are vertical
    gradients, so the foreground is where a latent pixel stands apart from its row's border pixels.
    """
    border = latents[..., [0, -1]].mean(-1, keepdim=True)  # (B, C, H, 1): the row's background
    apart = (latents - border).abs().amax(1, keepdim=True) > 0.25 * VAE_SCALING_FACTOR
    rim = F.max_pool2d(apart.float(), 3, stride=1, padding=1)
    w = 1 + weight * rim
    return w / w.mean((2, 3), keepdim=True)


def learning_rate(step: int, args: argparse.Namespace) -> float:
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    progress = (step - args.warmup) / max(1, args.steps - args.warmup)
    floor = args.final_lr_fraction
    return args.lr * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress)))


def save(models: dict[str, torch.nn.Module], out: Path) -> None:
    for name, model in models.items():
        tensors = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
        tmp = out / f".{name}.safetensors"
        save_file(tensors, str(tmp))
        tmp.rename(out / f"{name}.safetensors")  # a reader never sees half a file


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.ship:
        print(json.dumps(ship(args.ship), indent=2))
        return
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)
    args.out.mkdir(parents=True, exist_ok=True)

    parts = build_components(seed=args.seed)
    unet, text_encoder, tokenizer = parts["unet"], parts["text_encoder"], parts["tokenizer"]
    alphas = parts["scheduler"].alphas_cumprod.float()
    weights = loss_weights(alphas, args.min_snr)
    trained = {"unet": unet, "text_encoder": text_encoder}
    if args.init:
        for name, model in trained.items():
            model.load_state_dict(load_file(args.init / f"{name}.safetensors"))
    averaged = {name: copy.deepcopy(model).requires_grad_(False) for name, model in trained.items()}
    params = [p for model in trained.values() for p in model.parameters()]
    optimizer = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    settings = {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items() if k != "ship"}
    if args.init:  # the whole recipe: this run's settings and those of the run it continues
        settings["init"] = json.loads((args.init / "training.json").read_text())
    settings["parameters"] = {name: sum(p.numel() for p in m.parameters()) for name, m in trained.items()}
    (args.out / "training.json").write_text(json.dumps(settings, indent=2) + "\n")
    print(json.dumps(settings), flush=True)

    noise_gen = torch.Generator().manual_seed(args.seed + 1)
    with open(args.out / "loss.csv", "w", newline="") as log:
        writer = csv.writer(log)
        writer.writerow(["step", "loss", "lr", "seconds"])
        start, window = time.time(), []
        unet.train()
        text_encoder.train()
        for step in range(args.steps):
            latents, prompts = batch_for(step, args)
            ids = tokenizer(prompts, padding="max_length", max_length=tokenizer.model_max_length, truncation=True,
                            return_tensors="pt").input_ids
            noise = noise_for(latents, args.offset_noise, noise_gen)
            t = torch.randint(0, len(alphas), (len(latents),), generator=noise_gen)
            a = alphas[t].view(-1, 1, 1, 1)
            noisy = a.sqrt() * latents + (1 - a).sqrt() * noise
            lr = learning_rate(step, args)
            for group in optimizer.param_groups:
                group["lr"] = lr
            where = foreground_weights(latents, args.foreground_weight)
            error = ((unet(noisy, t, text_encoder(ids)[0]).sample - noise).pow(2) * where).mean((1, 2, 3))
            loss = (weights[t] * error).mean()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            decay = min(args.ema, (1 + step) / (10 + step))
            with torch.no_grad():
                for name, model in trained.items():
                    for avg, p in zip(averaged[name].parameters(), model.parameters(), strict=True):
                        avg.lerp_(p, 1 - decay)
            window.append(loss.item())
            if (step + 1) % args.log_every == 0 or step + 1 == args.steps:
                elapsed = time.time() - start
                mean = sum(window) / len(window)
                writer.writerow([step + 1, f"{mean:.5f}", f"{lr:.6f}", f"{elapsed:.1f}"])
                log.flush()
                print(f"step {step + 1}/{args.steps} loss {mean:.4f} lr {lr:.2e} {elapsed / (step + 1):.2f} s/step "
                      f"elapsed {elapsed / 60:.1f} min", flush=True)
                window = []
            if (step + 1) % args.save_every == 0 or step + 1 == args.steps:
                save(averaged, args.out)
    settings["seconds"] = round(time.time() - start, 1)
    (args.out / "training.json").write_text(json.dumps(settings, indent=2) + "\n")
    print(f"done in {settings['seconds'] / 60:.1f} min", flush=True)


if __name__ == "__main__":
    sys.exit(main())
