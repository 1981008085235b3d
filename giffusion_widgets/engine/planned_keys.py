"""The keys a render gives its frames, from one place: a render keys its frames with `key_frames`, and
`planned_keys(renderer, project)` asks the same question without rendering, so the studio can show which frames
an edit would re-render (`stale_frames`).

Without rendering means without side effects: the scheduler the render would lend is made and never put in; the
weights' fingerprint is the one recorded when the pipeline was loaded or last rendered with (weights changed in
place since are seen by the next render only); the identity of a pipeline with LoRAs or ControlNets lent is the one
the last render with the same files and models recorded (`Identities`). Nothing is loaded, downloaded or made on
disk. What cannot be known so (no pipeline loaded yet, LoRAs or models no render has used yet, audio not analysed
yet, an image-to-image form not made yet) is `Unknown`, with the reason, never a guess.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import GiffusionError, ProjectError
from ..project import Project
from ..schedule import Plan, load_energy, schedule, schedule_audio
from .feedback import Chain
from .frame_keys import file_identity, frame_keys, settings_key
from .inputs import denoiser, full_size
from .pipelines import pipeline_info

KEPT_IDENTITIES = 32  # pipeline identities kept per renderer, one per (weights, LoRAs, control models) rendered


class Unknown(GiffusionError):
    """A key that cannot be known without side effects (loading, downloading, analysing); the message says why."""


def plan_project(project: Project, analyse: Callable[[str], Any]) -> tuple[Plan, list | None]:
    """(the plan, the audio's keyframes or None): one audio analysis serves the timing and the record."""
    energy, keyframes, audio = None, None, None
    if project.audio_input:
        from ..errors import MediaError
        from ..media.audio import audio_keyframes

        analysis = analyse(project.audio_input)
        energy = load_energy(project, analysis)
        audio = schedule_audio(project, analysis)
        try:
            keyframes = audio_keyframes(analysis, project.fps, project.audio_component)
        except MediaError:  # silence: no keyframes to record, the render itself is fine
            pass
    return schedule(project, energy=energy, audio=audio), keyframes


def render_plans(project: Project, analyse: Callable[[str], Any],
                 keep: Sequence[int] | None = None) -> tuple[Plan, Plan, list | None]:
    """(the plan of the frames a render makes, the plan of every frame: the 2D chain's, the audio's keyframes);
    `keep`: a draft's or a range's frames (None: all)."""
    plan, audio_keyframes = plan_project(project, analyse)
    whole = Plan(plan.project, list(plan.frames), plan.energy, plan.values)
    if keep is not None:
        wanted = set(keep)
        plan.frames = [f for f in plan.frames if f.index in wanted]
    return plan, whole, audio_keyframes


def latent_channels(project: Project, pipe: Any) -> int:
    """Channels of the starting noise: the VAE's latent channels where there is a VAE (InstructPix2Pix's UNet
    takes 8, its 4 latent channels plus 4 of the input image, and the pipeline adds the image's itself), else
    what the denoiser takes."""
    vae = getattr(pipe, "vae", None)
    owner = vae if vae is not None and hasattr(vae.config, "latent_channels") else denoiser(pipe)
    native = int(getattr(getattr(owner, "config", None), "latent_channels", None)
                 or getattr(getattr(owner, "config", None), "in_channels", 4))
    channels = project.latent_channels or native
    if channels != native and "latents" in pipeline_info(pipe).accepts:
        raise ProjectError(f"latent_channels is {channels}, but this pipeline's {type(owner).__name__} makes "
                           f"latents of {native}: set latent_channels to {native}, or leave it empty to follow "
                           f"the pipeline")
    return channels


def output_settings(project: Project, draft: bool = False) -> dict:
    """What decides the output file besides its frames: a draft is always a GIF at its own rate."""
    mp4 = project.output_format == "mp4" and not draft
    return {"format": "mp4" if mp4 else "gif", "fps": project.fps, "boomerang": bool(project.boomerang),
            "audio": project.audio_input if mp4 else None}


@dataclass
class KeyInputs:
    """Everything a render's frame keys are made of."""

    project: Project
    plan: Plan  # the frames rendered
    chain_plan: Plan  # every frame: the 2D mode's chain runs through all of them
    pipe: Any  # the pipeline called (its size and latent channels)
    identity: dict  # its identity, weights' fingerprint included
    scheduler: Any  # the scheduler lent to it
    lora_files: list[Path] = field(default_factory=list)
    parts: list[dict] = field(default_factory=list)  # the controls' and image keyframes' parts of the settings
    decoder: str | None = None  # a draft's tiny VAE
    scale: Any = None  # a draft's size: full size -> its size
    rendered: list[int] | None = None  # a draft's frames (the 2D chain diffuses only these)
    outputs: list[int] | None = None  # a draft's or a range's frames


@dataclass
class Keyed:
    """A render's frames by key: `groups` key -> the frames it makes (frames with one key render once)."""

    groups: dict[str, list[int]]
    size: tuple[int, int]
    channels: int
    chain: Chain | None = None

    def by_frame(self) -> dict[int, str]:
        return {i: key for key, indices in self.groups.items() for i in indices}


def key_frames(inputs: KeyInputs) -> Keyed:
    """The keys of a render's frames: what `_Run.execute` renders by, and `planned_keys` predicts."""
    p, pipe = inputs.project, inputs.pipe
    size = full_size(p, pipe)
    size = inputs.scale(size) if inputs.scale is not None else size
    channels = latent_channels(p, pipe)
    settings = settings_key(p, pipe, size, channels, inputs.decoder, inputs.lora_files, identity=inputs.identity,
                            scheduler=inputs.scheduler)
    for part in inputs.parts:
        settings.update(part)
    if p.animation_mode == "2d":
        chain = Chain.of(inputs.chain_plan, settings, rendered=inputs.rendered, outputs=inputs.outputs)
        return Keyed(chain.groups(), size, channels, chain)
    return Keyed(frame_keys(inputs.plan, settings), size, channels)


# ----------------------------------------------------------------------------------------- identities lent
def setup_key(base_identity: dict, pipe: Any, lora_files: list[Path], project: Project,
              control_models: list[str]) -> str:
    """What the identity of a pipeline with LoRAs or control models lent follows from: the base weights (as
    recorded before lending), the form called, each LoRA file and weight, each control model."""
    loras = [[file_identity(f), float(lora.get("weight", 1.0)), lora.get("adapter")]
             for lora, f in zip(project.loras, lora_files, strict=True)]
    form = pipeline_info(pipe).pipeline_class
    return json.dumps([base_identity, form, loras, control_models, bool(project.image_input or project.video_input)],
                      sort_keys=True, default=str)


class Identities:
    """Pipeline identities of renders with LoRAs or ControlNets, by `setup_key`: the fingerprint of lent weights
    is known only once a render has lent them, and is the same whenever the same ones are lent."""

    def __init__(self, size: int = KEPT_IDENTITIES) -> None:
        self.size = size
        self._kept: OrderedDict[str, dict] = OrderedDict()

    def record(self, key: str, identity: dict) -> None:
        self._kept[key] = dict(identity)
        self._kept.move_to_end(key)
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)

    def get(self, key: str) -> dict | None:
        return self._kept.get(key)


def known_lora_files(project: Project) -> list[Path]:
    """The project's LoRA files without downloading: local ones, or hub ones already in the local hub cache."""
    from .loras import LORA_FILE, _looks_like_path, lora_file

    files = []
    for lora in project.loras:
        source = str(lora["path"])
        if Path(source).expanduser().exists() or _looks_like_path(source):
            files.append(lora_file(lora))
            continue
        from huggingface_hub import try_to_load_from_cache

        found = try_to_load_from_cache(source, lora.get("file") or LORA_FILE)
        if not isinstance(found, str):
            raise Unknown(f"LoRA {source!r} is not downloaded yet: the render fetches it")
        files.append(Path(found))
    return files


# ----------------------------------------------------------------------------------------- without rendering
def _kept_analysis(renderer: Any) -> Callable[[str], Any]:
    def analyse(path: str) -> Any:
        cache = renderer.audio
        analysis = cache.get(path) if hasattr(cache, "get") else None
        if analysis is None:
            raise Unknown("the audio is not analysed yet (the render or the panel's waveform analyses it)")
        return analysis

    return analyse


def _call_pipe(renderer: Any, project: Project, base: Any) -> Any:
    """The pipeline a render of `project` calls for its keys, as `_Run` picks it, if it is made already."""
    p = project
    if p.animation_mode == "2d" and not p.image_input:
        return base  # frame 0 by the pipeline itself: its identity keys the chain
    if not (p.image_input or p.video_input):
        return base
    variant = renderer.resolver.made_variant(base)
    if variant is None:
        raise Unknown("the image-to-image form of the pipeline is made by the first render that uses it")
    return variant


def planned_keys(renderer: Any, project: Project) -> Keyed:
    """The keys a full render of `project` by `renderer` would give its frames (Unknown when they cannot be known
    without side effects; a project the render would refuse is Unknown too, with the render's words)."""
    from .keyframe_images import KeyframeImages
    from .resolve import lent_scheduler

    try:
        p = project.copy().validate()
        resolver = renderer.resolver
        base = resolver.current
        if base is None or not resolver.is_ready_for(p):
            raise Unknown("the pipeline is not loaded yet")
        if getattr(renderer, "lending_weights", False):
            raise Unknown("the running render has LoRAs loaded into the pipeline; known when it ends")
        plan, chain_plan, _ = render_plans(p, _kept_analysis(renderer))
        pipe = _call_pipe(renderer, p, base)
        scheduler = lent_scheduler(pipe, base, p.scheduler, p.scheduler_kwargs)
        lora_files = known_lora_files(p) if p.loras else []
        parts = []
        from .control import planned_control_key

        control = planned_control_key(p, plan)
        if p.loras or control is not None:
            models = renderer.controls.identities(p)
            if models is None:
                raise Unknown("the ControlNets or adapters are loaded by the first render that uses them")
            identity = renderer.identities.get(setup_key(pipeline_info(base).identity(), pipe, lora_files, p, models))
            if identity is None:
                raise Unknown("these LoRAs or control models have not been rendered with yet: the render loads them "
                              "and fingerprints the weights")
        else:
            identity = pipeline_info(pipe).identity()
        if control is not None:
            parts.append(control)
        key_images = KeyframeImages.of(p, plan, base)
        if key_images is not None:
            parts.append(key_images.key())
        return key_frames(KeyInputs(p, plan, chain_plan, pipe, identity, scheduler, lora_files, parts))
    except Unknown:
        raise
    except (GiffusionError, OSError, ValueError) as exc:
        raise Unknown(str(exc) or type(exc).__name__) from exc


@dataclass
class StaleFrames:
    """Which frames a render of a project would make anew: `frames` (None: unknown, `reason` says why) out of
    `total`; `keys` frame -> key where known."""

    total: int
    frames: list[int] | None
    keys: dict[int, str] | None = None
    reason: str = ""


def stale_frames(renderer: Any, project: Project, run_dir: str | Path | None = None) -> StaleFrames:
    """The frames of a full render of `project` that neither the frame cache nor `run_dir` (a folder being resumed)
    holds: the ones it would render. Reads the cache's names only (a render checks each file's bytes)."""
    from .frame_cache import FrameCache

    total = max(0, project.num_frames) if project.keyframes else 0
    try:
        keyed = planned_keys(renderer, project)
    except Unknown as exc:
        return StaleFrames(total, None, None, str(exc))
    keys = keyed.by_frame()
    held = FrameCache(Path(renderer.runs_dir) / ".frame-cache").holds(set(keys.values()))
    if run_dir is not None:
        held |= set(_manifest_keys(Path(run_dir)).values())
    return StaleFrames(len(keys), sorted(i for i, k in keys.items() if k not in held), keys)


def _manifest_keys(run_dir: Path) -> dict[int, str]:
    from .run_folder import MANIFEST

    try:
        data = json.loads((run_dir / MANIFEST).read_text())
        return {int(i): str(k) for i, k in (data.get("frames") or {}).items()}
    except (OSError, ValueError, AttributeError, TypeError):
        return {}


def run_keys(run_dir: str | Path) -> dict[int, str]:
    """frame -> key of the frames a run folder holds (its frames.json)."""
    return _manifest_keys(Path(run_dir))
