"""The studio's pipeline: given, loaded from the panel ("Load"), or loaded on the first render from the project's
checkpoint and pipeline class (none: the embedded offline pipeline). Which one renders is decided by the engine's
PipelineResolver, the same rule `render()` and `Renderer` follow; `pipeline_info` tells the panel its state."""

from __future__ import annotations

from typing import Any

import traitlets

from .project_sync import ProjectSync

# Call arguments worth showing in the panel: what the pipeline can take from a render.
SHOWN_ARGUMENTS = ("prompt_embeds", "negative_prompt", "latents", "image", "strength", "callback_on_step_end")


def describe_pipeline(pipe: Any) -> dict:
    from ..engine.builtin import BUILTIN_NAME
    from ..engine.pipelines import pipeline_info

    info = pipeline_info(pipe)
    return {"state": "ready", "checkpoint": info.checkpoint, "pipeline_class": info.pipeline_class,
            "message": f"{info.device} · {info.dtype}", "accepts": [a for a in SHOWN_ARGUMENTS if a in info.accepts],
            "device": info.device, "dtype": info.dtype, "builtin": info.checkpoint == BUILTIN_NAME}


class PipelineSlot(ProjectSync):
    pipeline_info = traitlets.Dict({"state": "unloaded", "checkpoint": "", "pipeline_class": "", "message": "",
                                    "accepts": []}).tag(sync=True)

    def _init_pipeline(self, pipeline: Any) -> None:
        from ..engine.resolve import PipelineResolver

        self.pipeline_resolver = PipelineResolver(pipeline)  # shared with the studio's Renderer
        if pipeline is not None:
            self.pipeline_info = describe_pipeline(pipeline)

    @property
    def _pipeline(self) -> Any:
        return self.pipeline_resolver.current

    @property
    def pipeline(self) -> Any:
        """The loaded diffusers pipeline (None until loaded)."""
        return self.pipeline_resolver.current

    @pipeline.setter
    def pipeline(self, pipe: Any) -> None:
        self.pipeline_resolver.give(pipe)
        self._pipeline_swapped()
        self.pipeline_info = describe_pipeline(pipe) if pipe is not None else {**self.pipeline_info,
                                                                                "state": "unloaded"}

    def load_pipeline(self) -> Any:
        """Load the project's checkpoint and pipeline class now (blocking); return the pipeline."""
        from ..engine.resolve import PipelineSource

        source = PipelineSource.of(self.project)
        self.pipeline_info = {"state": "loading", "checkpoint": source.checkpoint or "",
                              "pipeline_class": source.pipeline_class or "",
                              "message": f"loading {source.describe()}…", "accepts": []}
        try:
            pipe = self.pipeline_resolver.load(source)
        except Exception as exc:
            self.pipeline_info = {**self.pipeline_info, "state": "failed", "message": str(exc)}
            raise
        self._pipeline_swapped()
        self.pipeline_info = describe_pipeline(pipe)
        return pipe

    def _ready_pipeline(self) -> Any:
        """The pipeline a render uses: the given one, or the project's, loaded when missing or changed."""
        if self.pipeline_resolver.is_ready_for(self.project):
            return self.pipeline_resolver.current
        return self.load_pipeline()

    def _pipeline_swapped(self) -> None:
        """Hook: another pipeline is in place."""

    def _msg_load_pipeline(self, content: dict, _buffers: list[bytes]) -> None:
        checkpoint = (content.get("checkpoint") or "").strip() or None
        pipeline_class = (content.get("pipeline_class") or "").strip() or None
        self.project.checkpoint, self.project.pipeline_class = checkpoint, pipeline_class
        self.sync()
        self._jobs.start(self.load_pipeline, name="load-pipeline")  # type: ignore[attr-defined]
