"""The 2D feedback mode: each frame grows from the previous one, warped, colour-matched, noised and re-diffused.

    chain = Chain.of(plan, settings)      # every frame's key, where it grows from, and the motion on the way
    FeedbackRender(plan.frames, plan.values, chain, ...).render(todo)

The first frame comes from the walked noise (text to image), or from the initial image (image to image at frame
0's strength). Every next rendered frame starts from the rendered frame before it, moved by each frame's motion on
the way (zoom, angle, translation: engine.motion.warp), then at its own frame colour-matched to the first frame
(when `color_match`), its contrast and noise applied, and re-diffused by the image-to-image form of the pipeline at
that frame's strength, guidance and interpolated prompt embeddings. A strength too small for one denoising step
keeps the moved frame as it is.

With `cadence` N only every Nth frame (and the last) is diffused; each frame between two of them is the earlier one
moved up to that frame, blended towards the later one by how far it lies between them (Deforum's cadence).

Everything between frames stays a tensor on the pipeline's device (the pipelines' `output_type="pt"`), quantised
to 8 bits as the frame files hold it, so a chain continued from a frame file (a resume, or an edit further on) is
bit for bit the chain continued in memory.

Keys chain: a rendered frame's key hashes the key of the frame it grows from, the motion of every frame on the way,
and its own spec and scheduled values; a frame between hashes its two rendered frames' keys and its motion. An
edit of a schedule at frame k changes the keys from k on only (from the rendered frame before k with a cadence),
so frames before it are taken from the cache as they are.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from ..schedule import FrameSpec, Plan
from .color_match import ColorReference
from .motion import MotionStep, cadence_blend, warp

KEY_VERSION = 1  # bump when the chain's result changes for equal keys


def _hash(content: Any) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()[:32]


def frame_seed(spec: FrameSpec, purpose: str) -> int:
    """A seed of frame `spec.index` for `purpose` ("sampler", "noise"), from its segment's seed: editing one frame
    never shifts another frame's noise."""
    digest = hashlib.blake2b(f"{spec.sampler_seed}:{spec.index}:{purpose}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "little") & 0x7FFFFFFF


@dataclass(frozen=True)
class ChainFrame:
    """One frame of the chain. A rendered frame grows from `source` (None: the first frame) through `steps` (the
    motion of each frame after the source up to this one); a frame between rendered ones (`target` set) is
    `source` moved through `steps`, blended towards `target` by `blend`."""

    index: int
    key: str
    source: int | None
    steps: tuple[MotionStep, ...]
    target: int | None = None
    blend: float = 0.0

    @property
    def rendered(self) -> bool:
        return self.target is None


def _step(plan: Plan, index: int, full: bool) -> MotionStep:
    """Frame `index`'s motion: only the warp on the way to a rendered frame, everything at the frame itself."""
    p, values = plan.project, plan.values
    spec = plan.frames[index]
    if not full:
        picked = {n: values[n][index] for n in ("zoom", "angle", "translation_x", "translation_y")}
        return MotionStep.from_values(picked, border=p.border_mode)
    return MotionStep.from_values({n: values[n][index] for n in values}, border=p.border_mode,
                                  color_match=p.color_match and index > 0, noise_seed=frame_seed(spec, "noise"))


@dataclass
class Chain:
    frames: dict[int, ChainFrame]  # frame index -> its place in the chain, in frame order

    @classmethod
    def of(cls, plan: Plan, settings: dict, rendered: Sequence[int] | None = None,
           outputs: Sequence[int] | None = None) -> Chain:
        """The chain of a plan's frames. `rendered`: the frames diffused (default: every `cadence`-th and the
        last); `outputs`: the frames wanted (default: all). A draft passes its frames as both."""
        p = plan.project
        count = len(plan.frames)
        if rendered is None:
            rendered = sorted(set(range(0, count, p.cadence)) | {count - 1})
        wanted = set(range(count) if outputs is None else outputs)
        shared = _hash({"chain": KEY_VERSION, "settings": settings})
        values = plan.values
        has_init = bool(p.image_input)
        frames: dict[int, ChainFrame] = {}
        keys: dict[int, str] = {}
        previous: int | None = None
        for b in rendered:
            spec = plan.frames[b]
            own = {"spec": spec.key, "guidance": float(values["guidance_scale"][b]),
                   "strength": float(values["strength"][b]) if previous is not None or has_init else None,
                   "sampler": frame_seed(spec, "sampler") if previous is not None else None}
            if previous is None:
                steps: tuple[MotionStep, ...] = ()
            else:
                steps = tuple(_step(plan, i, full=i == b) for i in range(previous + 1, b + 1))
            keys[b] = _hash([shared, keys.get(previous), [s.key() for s in steps], own])
            frames[b] = ChainFrame(b, keys[b], previous, steps)
            if previous is not None:
                for i in range(previous + 1, b):
                    if i in wanted:
                        way = tuple(_step(plan, j, full=False) for j in range(previous + 1, i + 1))
                        t = (i - previous) / (b - previous)
                        key = _hash([shared, keys[previous], keys[b], [s.key() for s in way], t])
                        frames[i] = ChainFrame(i, key, previous, way, target=b, blend=t)
            previous = b
        return cls({i: frames[i] for i in sorted(frames) if i in wanted or frames[i].rendered})

    def groups(self) -> dict[str, list[int]]:
        """key -> [index], as frame_keys gives them (every frame of a chain is its own)."""
        return {frame.key: [frame.index] for frame in self.frames.values()}


def quantised(images: torch.Tensor) -> torch.Tensor:
    """Images in [0, 1] as an 8-bit frame file holds them (diffusers rounds the same way to make PIL images)."""
    return (images.float() * 255).round().clamp(0, 255) / 255


def to_pil(image: torch.Tensor) -> Any:
    from PIL import Image

    array = (image.float() * 255).round().clamp(0, 255).to(torch.uint8).permute(1, 2, 0).cpu().numpy()
    return Image.fromarray(np.ascontiguousarray(array))


def from_pil(image: Any, device: Any) -> torch.Tensor:
    array = np.asarray(image.convert("RGB"), dtype=np.float32) / np.float32(255)
    return torch.from_numpy(array).permute(2, 0, 1).to(device)


class FeedbackRender:
    """Renders the chain's missing frames in order. `specs` and `values` (each scheduled setting) are indexed by
    frame number: a plan's, or (a cluster's piece of the chain) only the frames it makes.
    `diffuse(spec, image or None, strength, guidance, seed)` makes one frame (a (3, H, W) tensor in [0, 1] on the
    device); `load(index)` reads a frame already in place; `store` keeps a finished frame (its key, its PIL image);
    `check` raises when the render is cancelled."""

    def __init__(self, specs: Sequence[FrameSpec] | Mapping[int, FrameSpec], values: Mapping[str, Any],
                 chain: Chain, device: Any, diffuse: Callable[..., torch.Tensor],
                 load: Callable[[int], Any], store: Callable[[ChainFrame, Any], None], check: Callable[[], None],
                 init_image: Callable[[], Any] | None = None) -> None:
        self.specs, self.values, self.chain, self.device = specs, values, chain, device
        self.diffuse, self.load, self.store, self.check = diffuse, load, store, check
        self.init_image = init_image
        self._images: dict[int, torch.Tensor] = {}  # rendered frames still needed, quantised, on the device
        self._reference: ColorReference | None = None

    def image(self, index: int) -> torch.Tensor:
        if index not in self._images:
            self._images[index] = from_pil(self.load(index), self.device)
        return self._images[index]

    def reference(self) -> ColorReference:
        if self._reference is None:
            first = min(i for i, f in self.chain.frames.items() if f.rendered)
            self._reference = ColorReference(self.image(first))
        return self._reference

    def render(self, todo: set[str]) -> None:
        """Make every frame whose key is in `todo`, in frame order (a frame between waits for its target)."""
        frames = self.chain.frames
        waiting: list[ChainFrame] = []
        for index in sorted(frames):
            frame = frames[index]
            if not frame.rendered:
                if frame.key in todo:
                    waiting.append(frame)
                continue
            if frame.key in todo:
                self.check()
                self._images[index] = self._render_one(frame)
                self.store(frame, to_pil(self._images[index]))
            for between in [w for w in waiting if w.target == index]:
                self.check()
                moved = self._move(self.image(between.source), between.steps)
                self.store(between, to_pil(quantised(cadence_blend(moved, self.image(index), between.blend))))
                waiting.remove(between)
            for done in [i for i in self._images if i < index]:  # later frames grow from this one only
                del self._images[done]

    def _move(self, image: torch.Tensor, steps: tuple[MotionStep, ...]) -> torch.Tensor:
        for step in steps:
            image = warp(image, step.zoom, step.angle, step.translation_x, step.translation_y, border=step.border)
        return image

    def _render_one(self, frame: ChainFrame) -> torch.Tensor:
        spec = self.specs[frame.index]
        values = self.values
        strength = float(values["strength"][frame.index])
        guidance = float(values["guidance_scale"][frame.index])
        if frame.source is None:
            start = None if self.init_image is None else from_pil(self.init_image(), self.device)
            seed = spec.sampler_seed
        else:
            image = self._move(self.image(frame.source), frame.steps[:-1])
            last = frame.steps[-1]
            start = last.apply(image, self.reference() if last.color_match else None)
            seed = frame_seed(spec, "sampler")
        return quantised(self.diffuse(spec, start, strength, guidance, seed))


@dataclass(frozen=True)
class ChainPiece:
    """A stretch of a chain's missing frames, made in one go by another process (a cluster task). `chain` holds the
    frames it makes (keys in `todo`) and those it reads (`reads`: the frames they grow from, blend towards, and
    the colour reference), `specs` and `values` only what making them takes: picklable, and small."""

    chain: Chain
    todo: frozenset[str]
    reads: tuple[int, ...]
    specs: dict[int, FrameSpec]
    values: dict[str, dict[int, float]]  # guidance_scale and strength of the frames it diffuses

    @property
    def makes(self) -> list[int]:
        return [i for i, f in self.chain.frames.items() if f.key in self.todo]


def chain_pieces(chain: Chain, specs: Sequence[FrameSpec], values: Mapping[str, Any], todo: set[str],
                 size: int) -> list[ChainPiece]:
    """The frames of `chain` whose keys are in `todo`, in order, cut into pieces of `size` diffused frames each
    (with the frames between them that blend towards those), as FeedbackRender.render would make them."""
    frames = chain.frames
    rendered = [i for i in frames if frames[i].rendered]
    pieces: list[list[int]] = []
    count = size
    for b in rendered:
        between = [i for i in frames if frames[i].target == b and frames[i].key in todo]
        own = [b] if frames[b].key in todo else []
        if not own and not between:
            continue
        if count >= size and own:  # a new piece starts with a diffused frame
            pieces.append([])
            count = 0
        if not pieces:
            pieces.append([])
        pieces[-1] += own + between
        count += len(own)
    return [_piece(chain, specs, values, made, rendered[0]) for made in pieces]


def _piece(chain: Chain, specs: Sequence[FrameSpec], values: Mapping[str, Any], made: list[int],
           reference: int) -> ChainPiece:
    frames = chain.frames
    needs: set[int] = set()
    for i in made:
        frame = frames[i]
        if frame.source is not None:
            needs.add(frame.source)
        if frame.target is not None:
            needs.add(frame.target)
        if frame.rendered and frame.steps and frame.steps[-1].color_match:
            needs.add(reference)
    reads = needs - set(made)
    diffused = [i for i in made if frames[i].rendered]
    return ChainPiece(Chain({i: frames[i] for i in sorted(reads | set(made))}),
                      frozenset(frames[i].key for i in made), tuple(sorted(reads)),
                      {i: specs[i] for i in diffused},
                      {name: {i: float(values[name][i]) for i in diffused} for name in ("guidance_scale", "strength")})
