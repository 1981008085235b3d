"""Judge the embedded model's pictures: render a seeded sample of the colour x shape x background grid and score each
picture's colour, shape and background with giffusion_widgets.engine.embedded_judge.

    python scripts/judge_embedded.py                      # the shipped weights, 256 px, the embedded defaults
    python scripts/judge_embedded.py --weights runs/train-embedded --n 48 --size 128
    python scripts/judge_embedded.py --validate           # the judge itself, on the world's own drawings

Clashing pairs (a black shape at night, ...) are left out of the grid. Prints the accuracy table and writes the
pictures as one contact sheet and the verdicts as JSON when asked (--sheet, --json).
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # spinning OpenMP threads waste a shared CPU

import argparse
import json
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

from giffusion_widgets.engine.builtin import EMBEDDED_DEFAULTS, WEIGHTS, save_pipeline
from giffusion_widgets.engine.embedded_judge import judge
from giffusion_widgets.engine.embedded_world import SHAPES, Scene, draw, random_scene, visible_pairs

ASPECTS = ("colour", "shape", "background")


def grid_sample(n: int, seed: int) -> list[Scene]:
    """`n` (colour, shape, background) cells of the visible grid in a seeded order (all of them when n is larger)."""
    cells = [(c, s, b) for c, b in visible_pairs() for s in SHAPES]
    random.Random(seed).shuffle(cells)
    return [Scene(c, s, b) for c, s, b in cells[:n]]


def accuracy(truths: list[Scene], verdicts: list) -> dict[str, float]:
    return {a: float(np.mean([getattr(v, a) == getattr(t, a) for t, v in zip(truths, verdicts, strict=True)]))
            for a in ASPECTS}


def render(pipe, scenes: list[Scene], size: int, steps: int, guidance: float, seed: int, batch: int = 8) -> list:
    """One picture per scene's full prompt, each from its own seed."""
    import torch

    images = []
    for start in range(0, len(scenes), batch):
        chunk = scenes[start:start + batch]
        generators = [torch.Generator().manual_seed(seed + start + i) for i in range(len(chunk))]
        out = pipe(prompt=[s.prompt() for s in chunk], height=size, width=size, num_inference_steps=steps,
                   guidance_scale=guidance, generator=generators, output_type="np")
        images += [(np.clip(im, 0, 1) * 255).round().astype(np.uint8) for im in out.images]
    return images


def load(weights: Path | None):
    from giffusion_widgets.engine.pipelines import load_pipeline

    if weights is None:
        pipe = load_pipeline()
    else:  # a training run's folder: assembled and loaded the same way as the shipped weights
        folder = Path(tempfile.mkdtemp(prefix="judge-embedded-")) / "pipeline"
        pipe = load_pipeline(str(save_pipeline(folder, weights)))
    pipe.set_progress_bar_config(disable=True)
    return pipe


def validate(n: int, seed: int, sizes: tuple[int, ...]) -> dict:
    """The judge on random drawings of the world (varied size and place), as drawn and through the VAE."""
    import torch

    from giffusion_widgets.engine.builtin import build_components

    vae = build_components()["vae"]
    rng = random.Random(seed)
    scenes = [random_scene(rng) for _ in range(n)]
    results = {}
    for size in sizes:
        drawn = [draw(s, size) for s in scenes]
        x = torch.from_numpy(np.stack(drawn)).float().permute(0, 3, 1, 2) / 127.5 - 1
        with torch.no_grad():
            y = vae.decode(vae.encode(x).latent_dist.mean).sample
        through = list(((y.clamp(-1, 1) + 1) * 127.5).round().byte().permute(0, 2, 3, 1).numpy())
        results[f"drawn {size} px"] = accuracy(scenes, [judge(d) for d in drawn])
        results[f"through the VAE {size} px"] = accuracy(scenes, [judge(d) for d in through])
    return results


def contact_sheet(images: list[np.ndarray], path: Path, columns: int = 8) -> None:
    from PIL import Image

    size = images[0].shape[0]
    rows = -(-len(images) // columns)
    sheet = np.zeros((rows * size, columns * size, 3), np.uint8)
    for i, image in enumerate(images):
        r, c = divmod(i, columns)
        sheet[r * size:(r + 1) * size, c * size:(c + 1) * size] = image
    Image.fromarray(sheet).save(path)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--weights", type=Path, help="a training run's folder (default: the shipped weights)")
    cells = len(visible_pairs()) * len(SHAPES)
    p.add_argument("--n", type=int, default=96, help=f"grid cells to render (the grid has {cells})")
    p.add_argument("--size", type=int, default=256)
    p.add_argument("--steps", type=int, default=EMBEDDED_DEFAULTS["num_inference_steps"])
    p.add_argument("--guidance", type=float, default=EMBEDDED_DEFAULTS["guidance_scale"])
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--validate", action="store_true", help="score the judge on the world's drawings instead")
    p.add_argument("--sheet", type=Path, help="write the rendered pictures here as one PNG")
    p.add_argument("--json", type=Path, help="write the accuracy and each verdict here")
    p.add_argument("--record", action="store_true", help="record the accuracy in the shipped weights.json")
    args = p.parse_args(argv)

    import torch

    torch.set_num_threads(args.threads)
    if args.validate:
        results = validate(args.n, args.seed, (128, 256))
        for name, scores in results.items():
            print(f"{name:>24}: " + "  ".join(f"{a} {scores[a]:.1%}" for a in ASPECTS))
        if args.json:
            args.json.write_text(json.dumps(results, indent=2) + "\n")
        return 0

    scenes = grid_sample(args.n, args.seed)
    pipe = load(args.weights)
    images = render(pipe, scenes, args.size, args.steps, args.guidance, args.seed)
    verdicts = [judge(im) for im in images]
    scores = accuracy(scenes, verdicts)
    print(f"{len(scenes)} pictures at {args.size} px, {args.steps} steps, guidance {args.guidance}: "
          + "  ".join(f"{a} {scores[a]:.1%}" for a in ASPECTS))
    by_shape = {s: float(np.mean([v.shape == s for t, v in zip(scenes, verdicts, strict=True) if t.shape == s]))
                for s in SHAPES}
    print("shape accuracy by shape: " + "  ".join(f"{s} {a:.0%}" for s, a in by_shape.items()))
    mistakes = Counter((t.shape, v.shape) for t, v in zip(scenes, verdicts, strict=True) if t.shape != v.shape)
    if mistakes:
        print("shape mistakes (drawn as): " + ", ".join(f"{a}->{b} {n}" for (a, b), n in mistakes.most_common(6)))
    if args.sheet:
        contact_sheet(images, args.sheet)
    if args.record:
        manifest_path = WEIGHTS / "weights.json"
        manifest = json.loads(manifest_path.read_text())
        manifest.setdefault("quality", {})[f"{args.size}px"] = {
            "pictures": len(scenes), "steps": args.steps, "guidance": args.guidance, "seed": args.seed,
            "accuracy": {a: round(v, 4) for a, v in scores.items()}}
        manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    if args.json:
        args.json.write_text(json.dumps({
            "settings": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
            "accuracy": scores, "by_shape": by_shape,
            "verdicts": [{"prompt": t.prompt(), **{a: getattr(v, a) for a in ASPECTS}}
                         for t, v in zip(scenes, verdicts, strict=True)],
        }, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
