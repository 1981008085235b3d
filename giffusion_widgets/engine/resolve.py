"""Which pipeline renders a project, and in what form.

The one rule, used by `render()`, `Renderer` and the studio alike: a pipeline given by the caller wins; else the
project's checkpoint and pipeline class are loaded; else the embedded default. With an initial image or video, the
image-to-image form of that pipeline (same components) is called. A render borrows the pipeline: the project's
scheduler and a draft's decoder are lent to it for the render's length, and the caller's are put back.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from ..errors import PipelineError
from ..project import Project
from .pipelines import call_parameters, load_pipeline, pipeline_info, register_info, scheduler_for


@dataclass(frozen=True)
class PipelineSource:
    """Where a pipeline comes from: given by the caller, or loaded from (checkpoint, pipeline class)."""

    given: bool = False
    checkpoint: str | None = None  # None: the embedded default
    pipeline_class: str | None = None
    custom_pipeline: str | None = None  # a community pipeline's name, or a local pipeline.py (or its folder)
    trust_remote_code: bool = False

    @classmethod
    def of(cls, project: Project) -> PipelineSource:
        return cls(False, project.checkpoint or None, project.pipeline_class or None,
                   project.custom_pipeline or None, project.trust_remote_code is True)

    def options(self) -> dict:
        """The loader's keyword arguments for custom code, only those set."""
        options: dict = {"custom_pipeline": self.custom_pipeline} if self.custom_pipeline else {}
        if self.trust_remote_code:
            options["trust_remote_code"] = True
        return options

    def describe(self) -> str:
        return "the given pipeline" if self.given else (self.checkpoint or "the embedded pipeline")


class PipelineResolver:
    """Holds the pipeline a project renders with: the given one, or the project's, loaded when missing or changed.

    Thread-safe: a panel's "Load" and a render may ask at once; a load happens once.
    """

    def __init__(self, pipeline: Any = None, loader: Callable[..., Any] = load_pipeline) -> None:
        self._loader = loader
        self._pipeline = pipeline
        self._source: PipelineSource | None = PipelineSource(given=True) if pipeline is not None else None
        self._lock = threading.RLock()
        self._variants: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()

    @property
    def current(self) -> Any:
        """The pipeline in place (given or loaded), or None."""
        return self._pipeline

    @property
    def source(self) -> PipelineSource | None:
        return self._source

    def give(self, pipe: Any) -> None:
        """Use `pipe` for every project from now on (None: go back to loading the project's)."""
        with self._lock:
            self._pipeline = pipe
            self._source = PipelineSource(given=True) if pipe is not None else None

    def is_ready_for(self, project: Project) -> bool:
        """True when `resolve(project)` returns at once, without loading."""
        source = self._source
        if self._pipeline is None or source is None:
            return False
        return source.given or source == PipelineSource.of(project)

    def load(self, source: PipelineSource) -> Any:
        """Load `source` now (blocking) and keep it in place."""
        with self._lock:
            pipe = self._loader(source.checkpoint, source.pipeline_class, **source.options())
            self._pipeline, self._source = pipe, source
            return pipe

    def resolve(self, project: Project | None = None) -> Any:
        """The pipeline that renders `project` (None: the given pipeline, or the embedded default)."""
        with self._lock:
            if self._pipeline is not None and (project is None or self.is_ready_for(project)):
                return self._pipeline
            return self.load(PipelineSource.of(project) if project is not None else PipelineSource())

    def for_call(self, project: Project) -> tuple[Any, Any]:
        """(the pipeline, the one to call): with an initial image or video, its image-to-image form."""
        pipe = self.resolve(project)
        if project.image_input or project.video_input:
            return pipe, self.image_variant(pipe)
        return pipe, pipe

    def for_chain(self, project: Project) -> tuple[Any, Any, Any]:
        """The 2D mode's (pipeline, the one to call for frame 0, the one for every next frame): frame 0 from noise by
        the pipeline itself (its image-to-image form with an initial image), the frames after by that form."""
        base, pipe = self.for_call(project)
        return base, pipe if project.image_input else base, self.image_variant(base)

    def image_variant(self, pipe: Any) -> Any:
        """`pipe` itself if it takes an image, else an image-to-image pipeline sharing its components (made once)."""
        if "image" in pipeline_info(pipe).accepts:
            return pipe
        with self._lock:
            variant = self._variants.get(pipe)
            if variant is None:
                from diffusers import AutoPipelineForImage2Image

                try:
                    variant = AutoPipelineForImage2Image.from_pipe(pipe)
                except Exception as exc:
                    raise PipelineError(f"{type(pipe).__name__} has no image-to-image form, so it cannot use an "
                                        f"initial image or video: {exc}") from exc
                variant.set_progress_bar_config(disable=True)
                # Same weights, so the same identity and cache keys; only the class and its arguments differ.
                register_info(variant, replace(pipeline_info(pipe), pipeline_class=type(variant).__name__,
                                               accepts=call_parameters(variant)))
                self._variants[pipe] = variant
            return variant

    def made_variant(self, pipe: Any) -> Any:
        """`image_variant(pipe)` when it needs no making (None when it does): for questions asked without rendering."""
        if "image" in pipeline_info(pipe).accepts:
            return pipe
        return self._variants.get(pipe)


# The caller's scheduler of each pipeline while a render lends it another: what a render of another project would
# copy (a project with no scheduler of its own takes a fresh copy of the caller's, never of a running render's).
_OWN_SCHEDULERS: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def own_scheduler(pipe: Any) -> Any:
    """The scheduler `pipe` has outside any render (the one in place when none is lent)."""
    return _OWN_SCHEDULERS.get(pipe, pipe.scheduler)


def lent_scheduler(pipe: Any, base: Any, scheduler: str | None, scheduler_kwargs: dict | None = None) -> Any:
    """The scheduler a render lends `pipe` (made from `base`, the pipeline it was made from, else its own); made
    afresh, nothing is put in. The render's frame keys hold its class and config (engine/planned_keys.py)."""
    source = pipe if base is None else base
    return scheduler_for(source, scheduler, scheduler_kwargs, current=own_scheduler(source))


@contextlib.contextmanager
def lent(pipe: Any, scheduler: str | None, vae: Any = None, base: Any = None,
         scheduler_kwargs: dict | None = None) -> Iterator[Any]:
    """`pipe` with a fresh scheduler of class `scheduler` (None: a copy of `base`'s, the pipeline `pipe` was made
    from, or its own; `scheduler_kwargs` over its config) and, if given, another VAE; the caller's scheduler and VAE
    objects are put back afterwards, untouched by the render's calls."""
    own, own_vae = pipe.scheduler, getattr(pipe, "vae", None)
    lent_one = lent_scheduler(pipe, base, scheduler, scheduler_kwargs)
    outer = pipe in _OWN_SCHEDULERS
    if not outer:
        _OWN_SCHEDULERS[pipe] = own
    pipe.scheduler = lent_one
    if vae is not None:
        pipe.vae = vae
    try:
        yield pipe
    finally:
        pipe.scheduler = own
        if not outer:
            _OWN_SCHEDULERS.pop(pipe, None)
        if vae is not None:
            pipe.vae = own_vae


@contextlib.contextmanager
def lent_image_form(image_pipe: Any, pipe: Any, scheduler: str | None, vae: Any = None,
                    base: Any = None, scheduler_kwargs: dict | None = None) -> Iterator[Any]:
    """`lent` for a second pipeline of a render (the 2D mode's image-to-image form); nothing when it is None or
    the render's own pipeline, which is lent already."""
    if image_pipe is None or image_pipe is pipe:
        yield image_pipe
        return
    with lent(image_pipe, scheduler, vae=vae, base=base, scheduler_kwargs=scheduler_kwargs) as lent_pipe:
        yield lent_pipe


@contextlib.contextmanager
def lent_forms(pipe: Any, image_pipe: Any, scheduler: str | None, vae: Any = None, base: Any = None,
               scheduler_kwargs: dict | None = None) -> Iterator[None]:
    """`lent` for both pipelines a render calls (`image_pipe`: its image-to-image form, or None)."""
    with lent(pipe, scheduler, vae=vae, base=base, scheduler_kwargs=scheduler_kwargs), \
            lent_image_form(image_pipe, pipe, scheduler, vae, base, scheduler_kwargs):
        yield


def resolve_pipeline(project: Project, pipeline: Any = None) -> Any:
    """The pipeline that renders `project`: `pipeline` if given, else the project's checkpoint, else the default."""
    return pipeline if pipeline is not None else PipelineResolver().resolve(project)
