"""ControlNets and T2I adapters for a render: their models (a local folder, or a hub id downloaded once), the
pipeline that takes them (diffusers' `from_pipe`: the loaded pipeline's own modules, no reload), and the
conditioning image of each frame (its source through a preprocessor, made once per distinct input and kept).

The settings and their checks are `giffusion_widgets/control.py`; this module needs the pipeline.
"""

from __future__ import annotations

import hashlib
import os
import weakref
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch

from ..control import AUX_EXTRA, AUX_PREPROCESSORS, SOURCES, local_model, preprocessor_of, source_of
from ..errors import PipelineError, ProjectError
from ..project import Project
from ..schedule import FrameSpec, Plan
from .atomic import digest
from .pipelines import call_parameters, fingerprint, pipeline_info, quiet_loading, register_info

CANNY_THRESHOLDS = (100, 200)  # the ones lllyasviel's canny ControlNet was trained with
MAX_KEPT_CONDITIONS = 512  # conditioning images kept in memory (a 512 px RGB one is 0.75 MB)
WEIGHT_PATTERNS = ["*.json", "*.safetensors"]  # never pickle weights


# ----------------------------------------------------------------------------------------------- preprocessors
def canny(image: Any, thresholds: tuple[int, int] = CANNY_THRESHOLDS) -> Any:
    """White edges on black, as the canny ControlNets were trained on (OpenCV's Canny on the grey picture)."""
    try:
        import cv2
    except ImportError:
        raise ProjectError("the canny preprocessor needs OpenCV: pip install 'giffusion-widgets[control]' "
                           "(opencv-python-headless)") from None
    from PIL import Image

    grey = cv2.cvtColor(np.asarray(image.convert("RGB")), cv2.COLOR_RGB2GRAY)
    edges = cv2.Canny(grey, *thresholds)
    return Image.fromarray(np.stack([edges] * 3, axis=-1))


def aux_processor(name: str) -> Any:
    """A controlnet-aux processor (its weights come from the hub once); a clear error when it cannot be had."""
    try:
        from controlnet_aux.processor import Processor
    except ImportError:
        raise ProjectError(f"preprocessor {name!r} needs controlnet-aux: {AUX_EXTRA}") from None
    try:
        return Processor(name)
    except Exception as exc:  # the annotator weights could not be downloaded or read
        raise PipelineError(f"preprocessor {name!r} could not load its weights (controlnet-aux takes them from "
                            f"the hub, lllyasviel/Annotators, on first use): {exc}") from exc


def preprocess(image: Any, name: str, size: tuple[int, int], processors: dict | None = None) -> Any:
    """`image` (PIL) at `size` (height, width) through the preprocessor `name`, as an RGB PIL image."""
    h, w = size
    image = image.convert("RGB")
    if image.size != (w, h):
        image = image.resize((w, h))
    if name == "none":
        return image
    if name == "canny":
        return canny(image)
    if name not in AUX_PREPROCESSORS:
        raise ProjectError(f"unknown preprocessor {name!r}")
    processors = {} if processors is None else processors
    if name not in processors:
        processors[name] = aux_processor(name)
    out = processors[name](image, to_pil=True)
    return out.convert("RGB").resize((w, h))


class ConditionImages:
    """Conditioning images kept by (the source's pixels, preprocessor, size): a re-render, or frames that share
    an input, preprocess once."""

    def __init__(self, size: int = MAX_KEPT_CONDITIONS) -> None:
        self.size = size
        self._kept: OrderedDict[tuple, Any] = OrderedDict()
        self._processors: dict[str, Any] = {}
        self.made = 0  # how many were computed rather than taken from memory

    def __call__(self, image: Any, preprocessor: str, size: tuple[int, int]) -> Any:
        rgb = image.convert("RGB")
        key = (hashlib.blake2b(rgb.tobytes(), digest_size=16).hexdigest(), rgb.size, preprocessor, size)
        if key in self._kept:
            self._kept.move_to_end(key)
            return self._kept[key]
        out = preprocess(rgb, preprocessor, size, self._processors)
        self.made += 1
        self._kept[key] = out
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)
        return out


# ------------------------------------------------------------------------------------------------------ models
def model_folder(model: str, download: Any = None) -> Path:
    """A local folder as it is; a hub id downloaded (config and safetensors only) into the hub cache."""
    if local_model(model):
        folder = Path(model).expanduser()
        if not folder.is_dir():
            raise ProjectError(f"model folder {model!r} not found")
        return folder
    if download is None:
        from huggingface_hub import snapshot_download as download
    try:
        return Path(download(repo_id=model, allow_patterns=WEIGHT_PATTERNS))
    except Exception as exc:
        offline = " (HF_HUB_OFFLINE is set)" if os.environ.get("HF_HUB_OFFLINE") not in (None, "", "0") else ""
        raise PipelineError(f"cannot get model {model!r} from the hub{offline}: {exc}") from exc


def _folder_identity(folder: Path) -> str:
    """The weight files of a model folder by name, size and modification time."""
    parts = []
    for file in sorted(folder.rglob("*")):
        if file.is_file() and file.suffix in (".json", ".safetensors"):
            stat = file.stat()
            parts.append(f"{file.relative_to(folder)}:{stat.st_size}:{stat.st_mtime_ns}")
    return f"{folder.resolve()}|" + "|".join(parts)


def load_model(model: str, kind: str, download: Any = None) -> tuple[Any, str]:
    """(the ControlNetModel or T2IAdapter of `model`, its folder's identity); safetensors weights only."""
    folder = model_folder(model, download)
    if not any(folder.rglob("*.safetensors")):
        raise PipelineError(f"model {model!r} has no .safetensors weights in {folder} (pickled weights are never "
                            f"loaded)")
    from diffusers import ControlNetModel, T2IAdapter

    cls = ControlNetModel if kind == "controlnets" else T2IAdapter
    try:
        with quiet_loading():
            loaded = cls.from_pretrained(folder, use_safetensors=True)
    except Exception as exc:
        raise PipelineError(f"{model!r} is not a diffusers {cls.__name__} folder: {exc}") from exc
    return loaded.eval(), _folder_identity(folder)


# ------------------------------------------------------------------------------------------------- the pipeline
def _control_pipeline(base: Any, models: list[Any], kind: str, image_to_image: bool) -> Any:
    """A pipeline with the ControlNet(s) or adapter(s), sharing every other module with `base`."""
    xl = "XL" in type(base).__name__
    try:
        if kind == "controlnets":
            from diffusers import AutoPipelineForImage2Image, AutoPipelineForText2Image, MultiControlNetModel

            controlnet = models[0] if len(models) == 1 else MultiControlNetModel(models)
            auto = AutoPipelineForImage2Image if image_to_image else AutoPipelineForText2Image
            return auto.from_pipe(base, controlnet=controlnet)
        from diffusers import MultiAdapter, StableDiffusionAdapterPipeline, StableDiffusionXLAdapterPipeline

        adapter = models[0] if len(models) == 1 else MultiAdapter(models)
        cls = StableDiffusionXLAdapterPipeline if xl else StableDiffusionAdapterPipeline
        return cls.from_pipe(base, adapter=adapter)
    except Exception as exc:
        what = "ControlNet" if kind == "controlnets" else "T2I adapter"
        raise PipelineError(f"{type(base).__name__} has no {what} form: {exc}") from exc


def _check_fits(base: Any, models: list[Any], kind: str, entries: list[Mapping]) -> None:
    """A ControlNet or adapter made for another UNet is refused before any frame, naming both."""
    unet = getattr(base, "unet", None)
    if unet is None:
        raise PipelineError(f"{type(base).__name__} has no UNet, so it takes no ControlNet or T2I adapter")
    for entry, model in zip(entries, models, strict=True):
        if kind == "controlnets":
            mine = tuple(model.config.block_out_channels), model.config.cross_attention_dim
            theirs = tuple(unet.config.block_out_channels), unet.config.cross_attention_dim
            if mine != theirs:
                raise PipelineError(f"ControlNet {entry['model']!r} is made for a UNet with block_out_channels "
                                    f"{mine[0]} and cross_attention_dim {mine[1]}, this pipeline's has {theirs[0]} "
                                    f"and {theirs[1]}: use a ControlNet made for this model")
        else:
            blocks = list(unet.config.down_block_types)
            if any("CrossAttn" not in block for block in blocks[:-1]):
                # an adapter's features land inside cross-attention blocks, before their downsampling: a plain
                # block before the last one (the embedded model starts with one) gets them a level too small
                raise PipelineError(f"T2I adapter {entry['model']!r} cannot feed this UNet: its down blocks are "
                                    f"{', '.join(blocks)}, and adapters fit only Stable Diffusion's layout "
                                    f"(cross-attention blocks, with at most the last one plain); the embedded "
                                    f"model is not made that way: use a ControlNet, or a Stable Diffusion model")
            mine = tuple(model.config.channels)
            theirs = tuple(unet.config.block_out_channels)
            if mine != theirs[:len(mine)] or len(mine) != len(theirs):
                raise PipelineError(f"T2I adapter {entry['model']!r} has channels {mine}, but this pipeline's UNet "
                                    f"has block_out_channels {theirs}: an adapter fits only the UNet layout it was "
                                    f"trained for (the embedded model is too small for Stable Diffusion's)")


def control_kind(project: Project) -> str | None:
    """"controlnets", "adapters" or None: which controls a project has (one kind at a time)."""
    return "controlnets" if project.controlnets else "adapters" if project.adapters else None


def schedule_length(project: Project, plan: Plan) -> int:
    """How many frames the controls' scales are evaluated over (a plan may reach past num_frames)."""
    return max(project.num_frames, 1, *(spec.index + 1 for spec in plan.frames))


def control_scales(project: Project, frames: int, kind: str, entries: list[dict]) -> list[np.ndarray]:
    """Each entry's conditioning scale on each of `frames` frames (a number or schedule text)."""
    from ..schedules import evaluate_schedule

    return [evaluate_schedule(e.get("conditioning_scale", 1.0), frames, fps=project.fps,
                              setting=f"{kind}'s conditioning_scale") for e in entries]


def control_key(kind: str, entries: list[dict], sources: list[str], scales: list[np.ndarray]) -> dict:
    """The part of the settings key the controls decide (the models' weights are in the pipeline identity)."""
    out = []
    for entry, source, scale in zip(entries, sources, scales, strict=True):
        given = entry.get("conditioning_scale", 1.0)
        shown = [round(float(v), 9) for v in scale] if isinstance(given, str) else float(given)
        if source in SOURCES:
            identity = source  # the project's inputs, and the 2D chain's frames, are in the keys already
        else:
            identity = f"file:{digest(Path(source).expanduser())}"
        out.append({"model": entry["model"], "source": identity, "preprocessor": preprocessor_of(entry),
                    "scale": shown, "start": float(entry.get("guidance_start", 0.0)),
                    "end": float(entry.get("guidance_end", 1.0))})
    return {kind: out}


def planned_control_key(project: Project, plan: Plan) -> dict | None:
    """`ControlCall.key()` of a render of `project`, without loading a model (None without controls)."""
    kind = control_kind(project)
    if kind is None:
        return None
    entries = [dict(e) for e in getattr(project, kind)]
    return control_key(kind, entries, [source_of(project, e) for e in entries],
                       control_scales(project, schedule_length(project, plan), kind, entries))


@dataclass
class ControlCall:
    """What one render adds to each pipeline call: the pipeline with the models, and per frame the conditioning
    images and scales."""

    pipe: Any
    kind: str  # "controlnets" | "adapters"
    entries: list[dict]
    sources: list[str]
    scales: list[np.ndarray]  # per entry, one value per frame
    conditions: ConditionImages
    project: Project
    image_to_image: bool
    image_pipe: Any = None  # the 2D mode: the image-to-image form for the frames after the first

    def pipe_for(self, image_to_image: bool) -> Any:
        """The control pipeline of a call: the 2D mode calls its text-to-image form first, then the other."""
        return self.image_pipe if image_to_image and self.image_pipe is not None else self.pipe

    def batch_value(self, index: int) -> tuple:
        """What frames of one call must share: every entry's scale on the frame."""
        return tuple(float(s[index]) for s in self.scales)

    def key(self) -> dict:
        """The part of the settings key the controls decide (the models' weights are in the pipeline identity)."""
        return control_key(self.kind, self.entries, self.sources, self.scales)

    def _source_images(self, source: str, specs: list[FrameSpec], size: tuple[int, int],
                       previous: Any = None) -> list[Any] | None:
        from ..media.image import load_image

        p = self.project
        if source == "previous":  # the 2D mode's warped frame (a (1, 3, H, W) tensor in [0, 1]); none for frame 0
            if previous is None:
                return None
            from PIL import Image

            array = (previous[0].float().clamp(0, 1) * 255).round().to(torch.uint8).permute(1, 2, 0).cpu().numpy()
            return [Image.fromarray(array)]
        if source == "video":
            from ..media.video import VideoReader

            with VideoReader(p.video_input) as reader:
                return [reader.frame_at_time(s.video_frame / p.fps) for s in specs]
        image = load_image(p.image_input if source == "image" else Path(source).expanduser())
        return [image] * len(specs)

    def images(self, specs: list[FrameSpec], size: tuple[int, int], previous: Any = None) -> list[list[Any] | None]:
        """Per entry, the conditioning image of each spec (None: a "previous" frame there is not yet)."""
        out = []
        for entry, source in zip(self.entries, self.sources, strict=True):
            sources = self._source_images(source, specs, size, previous)
            out.append(None if sources is None else
                       [self.conditions(image, preprocessor_of(entry), size) for image in sources])
        return out

    def call_kwargs(self, specs: list[FrameSpec], size: tuple[int, int], image_to_image: bool | None = None,
                    previous: Any = None) -> dict:
        """The call arguments of one batch (its frames share their scales: see batch_value). `image_to_image`:
        whether the call has an initial image (the 2D mode's calls differ); `previous`: the 2D mode's frame."""
        images = self.images(specs, size, previous)
        scales = list(self.batch_value(specs[0].index))
        h, w = size
        for i, conditioning in enumerate(images):
            if conditioning is None:  # nothing to condition on yet: a blank image at scale 0 adds nothing
                from PIL import Image

                images[i] = [Image.new("RGB", (w, h))] * len(specs)
                scales[i] = 0.0
        one = len(self.entries) == 1
        if self.kind == "adapters":
            return {"image": images[0] if one else images,
                    "adapter_conditioning_scale": scales[0] if one else scales}
        starts = [float(e.get("guidance_start", 0.0)) for e in self.entries]
        ends = [float(e.get("guidance_end", 1.0)) for e in self.entries]
        # several ControlNets take each frame's images together: [[frame 1's for each net], [frame 2's], ...]
        per_frame = images[0] if one else [list(frame) for frame in zip(*images, strict=True)]
        image_to_image = self.image_to_image if image_to_image is None else image_to_image
        return {"control_image" if image_to_image else "image": per_frame,
                "controlnet_conditioning_scale": scales[0] if one else scales,
                "control_guidance_start": starts[0] if one else starts,
                "control_guidance_end": ends[0] if one else ends}

    def extra_for(self, size: tuple[int, int]) -> Any:
        """pipeline_call.FrameCalls' `extra`: each call's arguments, from its frames and the 2D mode's image."""
        image_input = bool(self.project.image_input or self.project.video_input)

        def extra(specs: list[FrameSpec], image: Any) -> dict:
            return self.call_kwargs(specs, size, image is not None or image_input, previous=image)

        return extra


class ControlModels:
    """Loaded ControlNets and adapters (kept while their folders are unchanged), the pipelines made with them, and
    the conditioning images: one per Renderer, so re-renders load and preprocess nothing again."""

    def __init__(self, download: Any = None) -> None:
        self.download = download  # huggingface_hub.snapshot_download when None
        self._models: dict[tuple, tuple[Any, str]] = {}
        self._pipes: weakref.WeakKeyDictionary[Any, dict] = weakref.WeakKeyDictionary()
        self.conditions = ConditionImages()

    def identities(self, project: Project) -> list[str] | None:
        """The identities of the models `project` names, as loaded here now; None when one is not loaded (or its
        folder changed since). Loads nothing."""
        kind = control_kind(project)
        if kind is None:
            return []
        out = []
        for entry in getattr(project, kind):
            kept = self._models.get((entry["model"], kind))
            if kept is None or (local_model(entry["model"]) and kept[1] != _folder_identity(
                    Path(entry["model"]).expanduser())):
                return None
            out.append(kept[1])
        return out

    def _model(self, model: str, kind: str, device: Any, dtype: Any) -> tuple[Any, str]:
        for (name, k), (_, identity) in list(self._models.items()):
            if (name, k) == (model, kind) and local_model(model) and identity != _folder_identity(
                    Path(model).expanduser()):
                del self._models[(name, k)]  # the folder changed since: load it again
        if (model, kind) not in self._models:
            loaded, identity = load_model(model, kind, self.download)
            if dtype is not None and loaded.dtype != dtype:
                loaded = loaded.to(dtype=dtype)
            self._models[(model, kind)] = (loaded.to(device=device), identity)
        return self._models[(model, kind)]

    def prepare(self, project: Project, base: Any, pipe: Any, frames: int,
                image_pipe: Any = None) -> ControlCall | None:
        """The render's ControlCall (None without controls): models loaded and checked against `base`, and the
        pipeline that takes them, made once per (pipeline, models) and fingerprinted afresh. `frames`: the scales'
        length (schedule_length); `image_pipe`: the 2D mode's image-to-image pipeline, whose control form is made
        too."""
        kind = control_kind(project)
        if kind is None:
            return None
        entries = [dict(e) for e in getattr(project, kind)]
        image_to_image = pipe is not base or bool(project.image_input or project.video_input)
        if kind == "adapters" and image_to_image:
            raise ProjectError("T2I adapters work text-to-image only: clear image_input and video_input")
        sources = [source_of(project, e) for e in entries]
        unet = getattr(base, "unet", None)
        device, dtype = (unet.device, unet.dtype) if unet is not None else ("cpu", None)
        loaded = [self._model(e["model"], kind, device, dtype) for e in entries]
        models = [m for m, _ in loaded]
        _check_fits(base, models, kind, entries)
        made = self._pipes.setdefault(base, {})
        ids = tuple(id(m) for m in models)
        if any(key[2] != ids or key[0] != kind for key in made):
            made.clear()  # the control forms of the last models used are kept, no others

        def form(image_form: bool) -> Any:
            control_pipe = made.get((kind, image_form, ids))
            if control_pipe is None:
                control_pipe = _control_pipeline(base, models, kind, image_form)
                control_pipe.set_progress_bar_config(disable=True)
                accepts = call_parameters(control_pipe)
                if image_form:  # the image-to-image forms take `latents` but ignore it: the noise is walked instead
                    accepts = accepts - {"latents"}
                register_info(control_pipe, replace(pipeline_info(base), pipeline_class=type(control_pipe).__name__,
                                                    accepts=accepts))
                made[(kind, image_form, ids)] = control_pipe
            pipeline_info(control_pipe).fingerprint = fingerprint(control_pipe)  # the models' weights as they are
            return control_pipe

        control_pipe = form(image_to_image)
        second = form(True) if image_pipe is not None and image_pipe is not pipe else None
        scales = control_scales(project, frames, kind, entries)
        return ControlCall(control_pipe, kind, entries, sources, scales, self.conditions, project, image_to_image,
                           second if second is not None else (control_pipe if image_pipe is not None else None))
