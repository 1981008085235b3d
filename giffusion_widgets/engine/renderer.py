"""Plan -> pixels: the only place that calls a diffusers pipeline.

A render snapshots the project, plans every frame, takes what it can from the frame cache (frames are keyed by
everything that decides them), renders the rest in batches, writes each frame to the run folder the moment it
exists, and finally encodes the GIF or MP4 from the files on disk. Nothing is ever overwritten: a new run gets a
new folder, and a folder holding another project is refused.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import json
import os
import queue
import secrets
import shutil
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterator

import torch

from ..animation import Animation
from ..errors import PipelineError, ProjectError, RenderCancelled
from ..interpolate import interpolate, slerp
from ..project import Project
from ..schedule import FrameSpec, Plan, load_energy, schedule
from .events import EventHandler, RenderEvent
from .pipelines import call_parameters, load_pipeline, pipeline_info, set_scheduler

# encode_prompt returns a tuple; these are the __call__ arguments its items feed, by tuple length.
EMBED_NAMES = {
    2: ("prompt_embeds", "negative_prompt_embeds"),
    4: ("prompt_embeds", "negative_prompt_embeds", "pooled_prompt_embeds", "negative_pooled_prompt_embeds"),
}
FRAME_NAME = "{:05d}.png"


OUT_OF_MEMORY = getattr(torch, "OutOfMemoryError", torch.cuda.OutOfMemoryError)


def _free_memory() -> None:
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


class _Interrupted(Exception):
    """Raised from the step callback to stop a pipeline call mid-denoise."""


def new_run_dir(runs_dir: Path) -> Path:
    """A fresh, uniquely named run folder; never an existing one."""
    runs_dir.mkdir(parents=True, exist_ok=True)
    while True:
        path = runs_dir / f"{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(2)}"
        try:
            path.mkdir()
            return path
        except FileExistsError:
            continue


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:  # another file system, or links not allowed
        shutil.copyfile(src, dst)


def _file_digest(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:16]


def _file_identity(path: str) -> str:
    stat = os.stat(path)  # hashing a long video or song on every render would cost more than it saves
    return f"{os.path.abspath(path)}:{stat.st_size}:{stat.st_mtime_ns}"


class Renderer:
    """Renders projects with one pipeline, keeping prompt embeddings across renders.

    `runs_dir` holds the run folders and the frame cache (`<runs_dir>/.frame-cache`).
    """

    def __init__(self, pipeline: Any = None, runs_dir: str | os.PathLike = "runs") -> None:
        self._pipeline = pipeline
        self.runs_dir = Path(runs_dir)
        self._embeds: dict[tuple, dict[str, Any]] = {}
        self._embeds_fingerprint: str | None = None
        self._img2img: Any = None
        self._lock = threading.Lock()  # one render at a time per renderer: the pipeline is not re-entrant
        self.auto_batch: int | None = None  # learned by batch_size="auto" backing off on out-of-memory
        self._audio: tuple[str, Any] | None = None  # (file identity, AudioAnalysis) of the last audio used

    # ---------------------------------------------------------------- pipeline
    @property
    def pipeline(self) -> Any:
        if self._pipeline is None:
            self._pipeline = load_pipeline()
        return self._pipeline

    @pipeline.setter
    def pipeline(self, pipe: Any) -> None:
        self._pipeline, self._img2img = pipe, None

    def _pipe_for(self, needs_image: bool) -> Any:
        """The pipeline to call: with an initial image, an image-to-image pipeline sharing the same components."""
        pipe = self.pipeline
        if not needs_image or "image" in pipeline_info(pipe).accepts:
            return pipe
        if self._img2img is None:
            from diffusers import AutoPipelineForImage2Image

            try:
                self._img2img = AutoPipelineForImage2Image.from_pipe(pipe)
            except Exception as exc:
                raise PipelineError(f"{type(pipe).__name__} has no image-to-image form, so it cannot use an initial "
                                    f"image or video: {exc}") from exc
            self._img2img.set_progress_bar_config(disable=True)
            # Same weights, so the same identity and cache keys; only the class and its arguments differ.
            self._img2img._giffusion_info = replace(
                pipeline_info(pipe), pipeline_class=type(self._img2img).__name__,
                accepts=call_parameters(self._img2img))
        return self._img2img

    def audio_analysis(self, path: str) -> Any:
        """The analysis of an audio file, kept while the file is unchanged: re-renders skip the seconds it takes."""
        from ..media.audio import analyze_audio

        identity = _file_identity(path)  # path, size and modification time
        if self._audio is None or self._audio[0] != identity:
            self._audio = (identity, analyze_audio(path))
        return self._audio[1]

    def auto_batch_size(self, pipe: Any) -> int:
        """The batch size "auto" starts from: what worked last time, else a size that suits the device."""
        if self.auto_batch is None:
            self.auto_batch = 16 if str(pipeline_info(pipe).device).startswith("cuda") else 8
        return self.auto_batch

    # -------------------------------------------------------------- embeddings
    def _encode(self, pipe: Any, prompt: str, negative: str, cfg: bool) -> dict[str, Any]:
        info = pipeline_info(pipe)
        if self._embeds_fingerprint != info.fingerprint:
            self._embeds, self._embeds_fingerprint = {}, info.fingerprint
        key = (prompt, negative, cfg)
        if key not in self._embeds:
            params = inspect.signature(pipe.encode_prompt).parameters
            offered = dict(prompt=prompt, device=pipe._execution_device, num_images_per_prompt=1,
                           do_classifier_free_guidance=cfg, negative_prompt=negative or None)
            with torch.inference_mode():
                out = pipe.encode_prompt(**{k: v for k, v in offered.items() if k in params})
            names = EMBED_NAMES.get(len(out))
            if names is None:
                raise PipelineError(f"{type(pipe).__name__}.encode_prompt returned {len(out)} values; "
                                    f"set use_prompt_embeds=False to pass prompts as text")
            self._embeds[key] = {n: t for n, t in zip(names, out) if t is not None and n in info.accepts}
        return self._embeds[key]

    def _embeddings(self, pipe: Any, specs: list[FrameSpec], project: Project, cfg: bool) -> dict[str, Any]:
        parts: dict[str, list] = {}
        for spec in specs:
            a = self._encode(pipe, spec.prompts[0], spec.negatives[0], cfg)
            b = a if spec.embed_t == 0 else self._encode(pipe, spec.prompts[1], spec.negatives[1], cfg)
            for name in a:
                parts.setdefault(name, []).append(
                    interpolate(a[name], b[name], spec.embed_t, project.embedding_interpolation))
        return {name: torch.cat(ts) for name, ts in parts.items()}

    # ------------------------------------------------------------------ render
    def render(self, project: Project, run_dir: str | os.PathLike | None = None,
               on_event: EventHandler | None = None, cancel: threading.Event | None = None) -> Animation:
        """Render `project`; return its Animation. See the module docstring for what is kept and reused."""
        with self._lock:
            return _Run(self, project, run_dir, on_event or (lambda e: None), cancel or threading.Event()).execute()

    def preview(self, project: Project, *, every: int | None = None, steps: int | None = None,
                scale: float = 0.5, tiny_vae: Any = None, run_dir: str | os.PathLike | None = None,
                on_event: EventHandler | None = None, cancel: threading.Event | None = None) -> Animation:
        """A draft storyboard in seconds: only the keyframes (or every Nth frame), fewer steps, a smaller size.

        `steps` defaults to a quarter of the project's (at least 2); `scale` shrinks the size; `tiny_vae` (a local
        folder or hub id of an AutoencoderTiny such as TAESD, or the model itself) decodes faster still. Draft
        frames are cached under their own settings, so the full render afterwards reuses none of them.
        """
        draft = Draft.of(project, every=every, steps=steps, scale=scale, tiny_vae=tiny_vae)
        with self._lock, self._decoder(tiny_vae):
            return _Run(self, draft.project, run_dir, on_event or (lambda e: None), cancel or threading.Event(),
                        draft=draft).execute()

    @contextlib.contextmanager
    def _decoder(self, tiny_vae: Any) -> Iterator[None]:
        """Swap the pipeline's VAE for a tiny autoencoder for the length of a draft."""
        if tiny_vae is None:
            yield
            return
        pipe = self.pipeline
        if isinstance(tiny_vae, (str, os.PathLike)):
            from diffusers import AutoencoderTiny

            tiny_vae = AutoencoderTiny.from_pretrained(os.fspath(tiny_vae), torch_dtype=pipe.dtype).to(pipe.device)
        original = pipe.vae
        pipe.vae = tiny_vae
        try:
            yield
        finally:
            pipe.vae = original


@dataclass
class Draft:
    """What makes a preview differ from the full render."""

    project: Project
    frames: list[int]
    scale: float
    output_fps: float
    decoder: str | None

    @classmethod
    def of(cls, project: Project, every: int | None, steps: int | None, scale: float, tiny_vae: Any) -> Draft:
        if every is not None and every < 1:
            raise ProjectError(f"every must be at least 1, got {every}")
        if not 0 < scale <= 1:
            raise ProjectError(f"scale must be in (0, 1], got {scale}")
        last = project.num_frames - 1
        if every is None:
            frames, fps = sorted({k.frame for k in project.keyframes}), 2.0
        else:
            frames, fps = sorted(set(range(0, last + 1, every)) | {last}), max(1.0, project.fps / every)
        steps = steps or max(2, project.num_inference_steps // 4)
        decoder = None if tiny_vae is None else (os.fspath(tiny_vae) if isinstance(tiny_vae, (str, os.PathLike))
                                                 else type(tiny_vae).__name__)
        return cls(project.copy(num_inference_steps=steps), frames, scale, fps, decoder)


class _Run:
    """One render: its snapshot, plan, folder and bookkeeping."""

    def __init__(self, renderer: Renderer, project: Project, run_dir: Any, emit: EventHandler,
                 cancel: threading.Event, draft: Draft | None = None) -> None:
        self.renderer = renderer
        self.project = project.copy().validate()  # later edits to the live project do not reach this run
        self.emit = emit
        self.cancel = cancel
        self.draft = draft
        from ..media.files import check_file

        for path in (self.project.image_input, self.project.video_input, self.project.audio_input):
            if path:
                check_file(Path(path))  # fail before any folder is made, naming the file
        self.audio_keyframes = None
        energy = None
        if self.project.audio_input:  # one analysis serves the timing and the record of the audio's keyframes
            from ..errors import MediaError
            from ..media.audio import audio_keyframes

            analysis = renderer.audio_analysis(self.project.audio_input)
            energy = load_energy(self.project, analysis)
            try:
                self.audio_keyframes = audio_keyframes(analysis, self.project.fps, self.project.audio_component)
            except MediaError:  # silence: no keyframes to record, the render itself is fine
                pass
        self.plan: Plan = schedule(self.project, energy=energy)
        if draft is not None:
            keep = set(draft.frames)
            self.plan.frames = [f for f in self.plan.frames if f.index in keep]
        self.run_dir = self._prepare_dir(run_dir)
        self.cache_dir = (self.run_dir.parent if run_dir is not None else renderer.runs_dir) / ".frame-cache"
        self.frames_dir = self.run_dir / "frames"
        self.frames_dir.mkdir(exist_ok=True)
        self.manifest: dict[int, str] = {}
        self.rendered = self.reused = 0
        self.unique_rendered = self.left_to_render = 0
        self.render_started = time.perf_counter()

    # ------------------------------------------------------------------ folder
    def _prepare_dir(self, run_dir: Any) -> Path:
        if run_dir is None:
            path = new_run_dir(self.renderer.runs_dir)
        else:
            path = Path(run_dir)
            settings = path / "settings.json"
            if settings.exists():
                earlier = Project.from_json(settings)
                if earlier != self.project:
                    raise ProjectError(f"{path} holds a run of a different project; it is kept as it is. "
                                       f"Render into a new folder (run_dir=None), or resume it with "
                                       f"resume({str(path)!r})")
            elif path.exists() and any(path.iterdir()):
                raise ProjectError(f"{path} is not empty and is not a run folder; choose another folder")
            path.mkdir(parents=True, exist_ok=True)
        self.project.to_json(path / "settings.json")
        return path

    def _earlier_keys(self) -> dict[int, str]:
        try:
            data = json.loads((self.run_dir / "frames.json").read_text())
            return {int(i): k for i, k in data.get("frames", {}).items()}
        except (OSError, ValueError):
            return {}

    def _write_manifest(self, identity: dict) -> None:
        data = {"pipeline": identity, "draft": self.draft.frames if self.draft else None,
                "frames": {str(i): k for i, k in sorted(self.manifest.items())}}
        tmp = self.run_dir / "frames.json.tmp"
        tmp.write_text(json.dumps(data, indent=1))
        tmp.replace(self.run_dir / "frames.json")

    # ---------------------------------------------------------------- settings
    def _size(self, pipe: Any) -> tuple[int, int]:
        """(height, width): the project's, else the initial image's or video's, else the pipeline's default."""
        p = self.project
        h, w = p.height, p.width
        if not (h and w):
            dh, dw = self._default_size(pipe)
            h, w = h or dh, w or dw
        if self.draft is not None:
            h, w = (max(8, int(x * self.draft.scale) // 8 * 8) for x in (h, w))
        return h, w

    def _default_size(self, pipe: Any) -> tuple[int, int]:
        p = self.project
        from ..media.image import fit_size

        if p.image_input:
            from ..media.image import load_image

            w, h = fit_size(*load_image(p.image_input).size)
        elif p.video_input:
            from ..media.video import probe_video

            info = probe_video(p.video_input)
            w, h = fit_size(info.width, info.height)
        else:
            model = getattr(pipe, "unet", None) or getattr(pipe, "transformer", None)
            size = getattr(getattr(model, "config", None), "sample_size", 64) * getattr(pipe, "vae_scale_factor", 8)
            h = w = int(size)
        return h, w

    def _settings_key(self, pipe: Any, size: tuple[int, int], channels: int) -> dict:
        p = self.project
        has_init = bool(p.image_input or p.video_input)
        return {
            "pipeline": pipeline_info(pipe).identity(),
            "scheduler": [type(pipe.scheduler).__name__, dict(pipe.scheduler.config)],
            "steps": p.num_inference_steps, "guidance": p.guidance_scale, "size": size, "channels": channels,
            "embeds": [p.use_prompt_embeds, p.embedding_interpolation],
            "strength": p.strength if has_init else None,
            "image": _file_digest(p.image_input) if p.image_input else None,
            "video": [_file_identity(p.video_input), p.fps] if p.video_input else None,
            "decoder": self.draft.decoder if self.draft else None,
        }

    # ------------------------------------------------------------------- frames
    def _frame_path(self, index: int) -> Path:
        return self.frames_dir / FRAME_NAME.format(index)

    def _cached(self, key: str) -> Path:
        return self.cache_dir / key[:2] / f"{key}.png"

    def _cached_gif_frame(self, key: str) -> Path:
        """Where the frame's GIF-ready form (palette and dithered indices) is kept, beside the frame itself.

        The version in the name changes whenever gif_palette_frame does, so old forms are never mixed in.
        """
        return self.cache_dir / key[:2] / f"{key}.gif1.png"

    @property
    def writes_gif(self) -> bool:
        """A draft is always a GIF; a render is the project's output_format."""
        return self.draft is not None or self.project.output_format != "mp4"

    def _store(self, key: str, indices: list[int], image: Any = None, source: Path | None = None) -> None:
        """Put one picture at every frame index that shares its key, and into the cache."""
        first = self._frame_path(indices[0])
        if image is not None:
            tmp = first.with_suffix(".tmp")
            image.save(tmp, format="PNG", compress_level=4)
            tmp.replace(first)  # a frame file is complete or absent, even after a crash
        elif source is not None and source != first:
            if first.exists():
                first.unlink()
            _link_or_copy(source, first)
        for index in indices[1:]:
            target = self._frame_path(index)
            if target.exists():
                target.unlink()
            _link_or_copy(first, target)
        cached = self._cached(key)
        if not cached.exists():
            cached.parent.mkdir(parents=True, exist_ok=True)
            try:
                _link_or_copy(first, cached)
            except FileExistsError:
                pass
        for index in indices:
            self.manifest[index] = key

    def _emit_frames(self, indices: list[int], reused: bool) -> None:
        eta = None
        if self.unique_rendered:  # seconds per pipeline picture so far, times the pictures still to make
            eta = (time.perf_counter() - self.render_started) / self.unique_rendered * self.left_to_render
        for index in indices:
            if reused:
                self.reused += 1
            else:
                self.rendered += 1
            self.emit(RenderEvent("frame", run_id=self.run_dir.name, run_dir=self.run_dir, total=len(self.plan),
                                  done=self.rendered + self.reused, index=index, path=self._frame_path(index),
                                  reused=reused, eta=eta))

    # ------------------------------------------------------------------ execute
    def execute(self) -> Animation:
        renderer, p = self.renderer, self.project
        pipe = renderer.pipeline
        identity = pipeline_info(pipe).identity()
        output: _OutputStream | None = None
        try:
            set_scheduler(pipe, p.scheduler)
            pipe = renderer._pipe_for(bool(p.image_input or p.video_input))
            if pipe is not renderer.pipeline:
                set_scheduler(pipe, p.scheduler)
            size = self._size(pipe)
            model = getattr(pipe, "unet", None) or getattr(pipe, "transformer", None)
            native = int(getattr(getattr(model, "config", None), "in_channels", 4))
            channels = p.latent_channels or native
            if channels != native and "latents" in pipeline_info(pipe).accepts:
                raise ProjectError(f"latent_channels is {channels}, but this pipeline's {type(model).__name__} "
                                   f"takes {native}: leave latent_channels empty to follow the pipeline")
            settings = json.dumps(self._settings_key(pipe, size, channels), sort_keys=True, default=str)
            keys = {s.index: hashlib.sha256((settings + s.key).encode()).hexdigest()[:32] for s in self.plan.frames}
            groups: dict[str, list[int]] = {}
            for index, key in keys.items():
                groups.setdefault(key, []).append(index)
            self.emit(RenderEvent("started", run_id=self.run_dir.name, run_dir=self.run_dir, total=len(self.plan)))
            output = _OutputStream(self)
            earlier = self._earlier_keys()
            todo: list[str] = []
            for key, indices in groups.items():
                mine = [i for i in indices if earlier.get(i) == key and self._frame_path(i).exists()]
                if mine:  # resuming this very folder
                    self._store(key, indices, source=self._frame_path(mine[0]))
                elif self._cached(key).exists():
                    self._store(key, indices, source=self._cached(key))
                else:
                    todo.append(key)
                    continue
                self._emit_frames(indices, reused=True)
            output.offer(set(self.manifest))
            self.left_to_render = len(todo)
            self._write_manifest(identity)
            self.render_started = time.perf_counter()
            specs = {s.index: s for s in self.plan.frames}
            auto = p.batch_size == "auto"
            batch_size = renderer.auto_batch_size(pipe) if auto else p.batch_size
            start = 0
            while start < len(todo):
                if self.cancel.is_set():
                    raise RenderCancelled("cancelled")
                batch = todo[start:start + batch_size]
                try:
                    images = self._call(pipe, [specs[groups[k][0]] for k in batch], size, channels)
                except OUT_OF_MEMORY as exc:
                    _free_memory()
                    if not auto or batch_size == 1:
                        raise PipelineError(
                            f"out of memory rendering {len(batch)} frame(s) of {size[1]}x{size[0]} at once: use a "
                            f"smaller batch_size (or 'auto'), a smaller size, or load_pipeline(..., "
                            f"offload='model', vae_slicing=True). Finished frames are kept.") from exc
                    batch_size = renderer.auto_batch = max(1, len(batch) // 2)  # back off, keep what is done
                    continue
                start += len(batch)
                for key, image in zip(batch, images):
                    self._store(key, groups[key], image=image)
                self._write_manifest(identity)
                self.left_to_render -= len(batch)
                self.unique_rendered += len(batch)
                for key in batch:
                    self._emit_frames(groups[key], reused=False)
                output.offer(set(self.manifest))
            animation = self._animation(output.finish(), cancelled=False, identity=identity)
            self.emit(RenderEvent("finished", run_id=self.run_dir.name, run_dir=self.run_dir, total=len(self.plan),
                                  done=len(self.plan), animation=animation, eta=0.0))
            return animation
        except (RenderCancelled, _Interrupted, KeyboardInterrupt) as exc:
            if output is not None:
                output.abort()
            self._write_manifest(identity)
            animation = self._animation(None, cancelled=True, identity=identity)
            self.emit(RenderEvent("cancelled", run_id=self.run_dir.name, run_dir=self.run_dir, total=len(self.plan),
                                  done=len(self.manifest), animation=animation))
            if isinstance(exc, KeyboardInterrupt):
                raise
            return animation
        except Exception as exc:
            if output is not None:
                output.abort()
            self._write_manifest(identity)
            self.emit(RenderEvent("failed", run_id=self.run_dir.name, run_dir=self.run_dir, total=len(self.plan),
                                  done=len(self.manifest), error=exc, message=str(exc)))
            raise

    def _animation(self, output: Path | None, cancelled: bool, identity: dict) -> Animation:
        frames = [self._frame_path(i) for i in sorted(self.manifest) if self._frame_path(i).exists()]
        return Animation(run_dir=self.run_dir, project=self.project, frames=frames, path=output,
                         rendered=self.rendered, reused=self.reused, pipeline_identity=identity,
                         cancelled=cancelled, draft=self.draft is not None, audio_keyframes=self.audio_keyframes)

    def _encode(self, frames: Iterator[Any]) -> Path:
        """Write the output file from frames in order: a GIF, an MP4 (with the audio track), or a draft's GIF."""
        from ..media.video import write_gif, write_mp4

        p = self.project
        if not self.writes_gif:
            return write_mp4(frames, self.run_dir / "output.mp4", p.fps, audio_path=p.audio_input)
        return write_gif(frames, self.run_dir / "output.gif", self.draft.output_fps if self.draft else p.fps)

    # --------------------------------------------------------------- pipeline
    def _init_images(self, specs: list[FrameSpec], size: tuple[int, int]) -> list[Any] | None:
        p = self.project
        h, w = size
        if p.image_input:
            from ..media.image import load_image

            image = load_image(p.image_input)
            image = image if image.size == (w, h) else image.resize((w, h))
            return [image] * len(specs)
        if p.video_input:
            from ..media.video import VideoReader

            reader = getattr(self, "_video", None) or VideoReader(p.video_input)
            self._video = reader
            out = []
            for spec in specs:
                frame = reader.frame_at_time(spec.video_frame / p.fps)
                out.append(frame if frame.size == (w, h) else frame.resize((w, h)))
            return out
        return None

    def _call(self, pipe: Any, specs: list[FrameSpec], size: tuple[int, int], channels: int) -> list[Any]:
        p, info = self.project, pipeline_info(pipe)
        accepts = info.accepts
        h, w = size
        scale = getattr(pipe, "vae_scale_factor", 8)
        cfg = p.guidance_scale > 1
        kwargs: dict[str, Any] = dict(num_inference_steps=p.num_inference_steps, guidance_scale=p.guidance_scale,
                                      height=h, width=w, output_type="pil", num_images_per_prompt=1)
        kwargs["generator"] = [torch.Generator("cpu").manual_seed(s.sampler_seed) for s in specs]
        images = self._init_images(specs, size)
        if images is not None:
            kwargs.update(image=images, strength=p.strength)
            if "latents" not in accepts:  # img2img draws its noise from the generators: seed them like the latents
                kwargs["generator"] = [torch.Generator("cpu").manual_seed(s.latent_seeds[0 if s.latent_t < 0.5 else 1])
                                       for s in specs]
        if "latents" in accepts and images is None:
            noise = _NoiseCache((1, channels, h // scale, w // scale))
            latents = torch.cat([slerp(noise(s.latent_seeds[0]), noise(s.latent_seeds[1]), s.latent_t)
                                 for s in specs])
            kwargs["latents"] = latents.to(pipe.device, dtype=pipe.dtype)
        if p.use_prompt_embeds and "prompt_embeds" in accepts and hasattr(pipe, "encode_prompt"):
            kwargs.update(self.renderer._embeddings(pipe, specs, p, cfg))
        else:
            # Prompts as text. With prompt embeds off, the plan has already forward-filled both prompts of a spec;
            # for a pipeline that cannot take embeddings, the nearer keyframe's prompt stands in for the blend.
            near = [0 if s.embed_t < 0.5 else 1 for s in specs]
            kwargs["prompt"] = [s.prompts[n] for s, n in zip(specs, near)]
            kwargs["negative_prompt"] = [s.negatives[n] for s, n in zip(specs, near)]

        def on_step(pipeline: Any, step: int, timestep: Any, tensors: dict) -> dict:
            if self.cancel.is_set():
                raise _Interrupted()
            self.emit(RenderEvent("progress", run_id=self.run_dir.name, run_dir=self.run_dir, total=len(self.plan),
                                  done=self.rendered + self.reused, step=step + 1, steps=p.num_inference_steps))
            return tensors

        if "callback_on_step_end" in accepts:
            kwargs["callback_on_step_end"] = on_step
        call = {k: v for k, v in kwargs.items() if k in accepts}
        with torch.inference_mode():
            result = pipe(**call)
        return list(result.images)


class _OutputStream:
    """Encodes the GIF/MP4 in a background thread while frames are still being rendered.

    Frames are handed over in output order as soon as each next one is on disk, read back from their PNG files
    (so memory holds a frame or two, whatever the length); ffmpeg runs in its own process on another core.
    For a GIF, each frame's palette form is kept in the frame cache: quantising is most of a GIF's cost, and a
    re-render after an edit then quantises only the frames that changed.
    """

    _DONE, _ABORT = object(), object()

    def __init__(self, run: _Run) -> None:
        self.run = run
        self.order = [s.index for s in run.plan.frames]
        self.next = 0  # position in `order` of the next frame to hand over
        self.queue: queue.Queue = queue.Queue()
        self.result: Path | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._write, name="giffusion-output", daemon=True)
        self.thread.start()

    def offer(self, written: set[int]) -> None:
        """Hand over every frame that is next in order and on disk."""
        while self.next < len(self.order) and self.order[self.next] in written:
            index = self.order[self.next]
            self.queue.put((self.run._frame_path(index), self.run.manifest.get(index)))
            self.next += 1

    def finish(self) -> Path:
        self.queue.put(self._DONE)
        self.thread.join()
        if self.error is not None:
            raise self.error
        assert self.result is not None
        return self.result

    def abort(self) -> None:
        """Stop encoding and remove the partial output file."""
        self.queue.put(self._ABORT)
        self.thread.join()

    def _frames(self) -> Iterator[Any]:
        while True:
            item = self.queue.get()
            if item is self._DONE:
                return
            if item is self._ABORT:
                raise RenderCancelled("output abandoned")
            path, key = item
            yield self._gif_frame(path, key) if self.run.writes_gif else _open_rgb(path)

    def _gif_frame(self, path: Path, key: str | None) -> Any:
        from PIL import Image

        from ..media.video import gif_palette_frame

        kept = self.run._cached_gif_frame(key) if key else None
        if kept is not None:
            try:
                with Image.open(kept) as im:
                    im.load()
                    if im.mode == "P":
                        return im
            except OSError:  # not kept yet, or damaged: made (again) below
                pass
        frame = gif_palette_frame(_open_rgb(path))
        if kept is not None:
            tmp = kept.with_name(f"{kept.name}.{threading.get_ident()}.tmp")
            try:
                frame.save(tmp, format="PNG", compress_level=1)
                tmp.replace(kept)  # complete or absent, as the frames are
            except OSError:  # a read-only or full cache costs speed, never the render
                tmp.unlink(missing_ok=True)
        return frame

    def _write(self) -> None:
        try:
            self.result = self.run._encode(self._frames())
        except RenderCancelled:
            pass  # the writer removed its partial file
        except BaseException as exc:  # re-raised in the render's thread by finish(); the queue is unbounded,
            self.error = exc  # so the render never waits on a writer that has stopped


class _NoiseCache:
    """Unit Gaussian noise per seed, drawn on the CPU so every device starts from the same numbers."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape
        self._memo: dict[int, Any] = {}

    def __call__(self, seed: int) -> Any:
        if seed not in self._memo:
            self._memo[seed] = torch.randn(self.shape, generator=torch.Generator("cpu").manual_seed(seed))
        return self._memo[seed]


def _open_rgb(path: Path) -> Any:
    from PIL import Image

    with Image.open(path) as im:
        return im.convert("RGB")


def render(project: Project, pipeline: Any = None, run_dir: str | os.PathLike | None = None,
           on_event: EventHandler | None = None, cancel: threading.Event | None = None,
           runs_dir: str | os.PathLike = "runs") -> Animation:
    """Render a project to a run folder and return the Animation.

    With no pipeline, the project's checkpoint (or the embedded default) is loaded. `on_event` receives RenderEvents;
    setting `cancel` stops between batches and steps, keeping every finished frame.
    """
    if pipeline is None:
        pipeline = load_pipeline(project.checkpoint, project.pipeline_class)
    return Renderer(pipeline, runs_dir=runs_dir).render(project, run_dir=run_dir, on_event=on_event, cancel=cancel)


def preview(project: Project, pipeline: Any = None, *, every: int | None = None, steps: int | None = None,
            scale: float = 0.5, tiny_vae: Any = None, runs_dir: str | os.PathLike = "runs",
            on_event: EventHandler | None = None, cancel: threading.Event | None = None) -> Animation:
    """A draft storyboard of the project (see Renderer.preview)."""
    if pipeline is None:
        pipeline = load_pipeline(project.checkpoint, project.pipeline_class)
    return Renderer(pipeline, runs_dir=runs_dir).preview(project, every=every, steps=steps, scale=scale,
                                                         tiny_vae=tiny_vae, on_event=on_event, cancel=cancel)


def resume(run_dir: str | os.PathLike, pipeline: Any = None, on_event: EventHandler | None = None,
           cancel: threading.Event | None = None) -> Animation:
    """Finish a cancelled or interrupted run in its own folder, rendering only the frames it lacks."""
    run_dir = Path(run_dir)
    project = Project.from_json(run_dir / "settings.json")
    return render(project, pipeline, run_dir=run_dir, on_event=on_event, cancel=cancel)
