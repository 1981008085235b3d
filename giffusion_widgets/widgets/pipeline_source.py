"""Which pipeline a studio renders with: the one given, else the project's checkpoint and pipeline class (none: the
embedded offline pipeline), loaded once and again only when those settings change. `info` is what the panel shows
(the `pipeline_info` trait); every change of it goes to `on_info`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..project import Project
from ..vocabulary import schedulers_for

# Call arguments worth showing in the panel: what the pipeline can take from a render.
SHOWN_ARGUMENTS = ("prompt_embeds", "negative_prompt", "latents", "image", "strength", "callback_on_step_end")
UNLOADED = {"state": "unloaded", "checkpoint": "", "pipeline_class": "", "message": "", "accepts": []}


def describe_pipeline(pipe: Any) -> dict:
    from ..engine.builtin import BUILTIN_NAME
    from ..engine.pipelines import pipeline_info

    info = pipeline_info(pipe)
    return {"state": "ready", "checkpoint": info.checkpoint, "pipeline_class": info.pipeline_class,
            "message": f"{info.device} · {info.dtype}", "accepts": [a for a in SHOWN_ARGUMENTS if a in info.accepts],
            "device": info.device, "dtype": info.dtype, "builtin": info.checkpoint == BUILTIN_NAME,
            "schedulers": schedulers_for(pipe), "knows": embedded_words() if info.checkpoint == BUILTIN_NAME else ""}


def embedded_words() -> str:
    """What the embedded model was trained on, for the pipeline section: its words and its prompt form."""
    from ..engine import embedded_world as world

    return (f"Knows colours {', '.join(world.COLOURS)}; shapes {', '.join(world.SHAPES)}; backgrounds "
            f"{', '.join(world.BACKGROUNDS)}. Prompts read 'a red circle on a sky background'.")


class PipelineSource:
    """The panel's view of the engine's `PipelineResolver` (the one rule for which pipeline renders a project, which
    the session's Renderer shares): what is loaded, shown as `info`, every change of it sent to `on_info`."""

    def __init__(self, pipeline: Any = None, on_info: Callable[[dict], None] = lambda info: None) -> None:
        from ..engine.resolve import PipelineResolver

        self.resolver = PipelineResolver(pipeline)
        self._on_info = on_info
        self.info = dict(UNLOADED) if pipeline is None else describe_pipeline(pipeline)

    @property
    def pipeline(self) -> Any:
        return self.resolver.current

    def give(self, pipe: Any) -> None:
        """Use `pipe` from now on, whatever the project names (None: follow the project again)."""
        self.resolver.give(pipe)
        self._show(describe_pipeline(pipe) if pipe is not None else {**self.info, "state": "unloaded"})

    def ready(self, project: Project) -> Any:
        """The pipeline that renders `project`: the given one, or the project's, loaded when missing or changed."""
        if self.resolver.is_ready_for(project):
            return self.resolver.current
        return self.load(project)

    def load(self, project: Project) -> Any:
        """Load the project's checkpoint and pipeline class now (blocking); return the pipeline."""
        from ..engine.resolve import PipelineSource as Source

        source = Source.of(project)
        self._show({"state": "loading", "checkpoint": source.checkpoint or "",
                    "pipeline_class": source.pipeline_class or "", "message": f"loading {source.describe()}…",
                    "accepts": []})
        try:
            pipe = self.resolver.load(source)
            pipe.set_progress_bar_config(disable=True)  # the panel shows progress; tqdm bars would clutter the cell
        except Exception as exc:
            self._show({**self.info, "state": "failed", "message": str(exc)})
            raise
        self._show(describe_pipeline(pipe))
        return pipe

    def _show(self, info: dict) -> None:
        self.info = info
        self._on_info(info)
