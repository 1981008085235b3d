"""A project's extra arguments checked against the pipeline that will take them: `pipeline_kwargs` against its
`__call__`, `scheduler_kwargs` against its scheduler's config. Checked before the first frame, so a typo is a clear
error naming what is accepted rather than a failure halfway through a render."""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Mapping
from typing import Any

from ..errors import PipelineError
from ..pipeline_settings import ENGINE_OWNED


def _unknown(what: str, name: str, accepted: list[str]) -> PipelineError:
    close = difflib.get_close_matches(name, accepted, n=1)
    hint = f" Did you mean {close[0]}?" if close else ""
    listed = ", ".join(accepted) if accepted else "none"
    return PipelineError(f"{what} has no argument {name!r}.{hint} It accepts: {listed}")


def check_pipeline_kwargs(pipe: Any, kwargs: Mapping[str, Any]) -> None:
    """PipelineError for an argument the pipeline's `__call__` does not take, or one the render sets itself."""
    from .pipelines import pipeline_info

    if not kwargs:
        return
    # Named parameters only: Stable Diffusion's **kwargs takes old callback names and drops anything else unseen.
    accepts = pipeline_info(pipe).accepts
    accepted = sorted(a for a in accepts if a not in ENGINE_OWNED)
    for name in kwargs:
        if name in ENGINE_OWNED:
            raise PipelineError(f"pipeline_kwargs: {name} is set by the render itself ({ENGINE_OWNED[name]})")
        if name not in accepts:
            raise _unknown(f"pipeline_kwargs: {type(pipe).__name__}'s call", name, accepted)


def scheduler_options(scheduler_class: type) -> list[str]:
    """The config names a scheduler class takes (its constructor's arguments)."""
    return sorted(p for p in inspect.signature(scheduler_class.__init__).parameters if p not in ("self", "kwargs"))


def check_scheduler_kwargs(scheduler_class: type, kwargs: Mapping[str, Any]) -> None:
    """PipelineError for a name that is not in the scheduler's config (diffusers would only warn and ignore it)."""
    accepted = scheduler_options(scheduler_class)
    for name in kwargs:
        if name not in accepted:
            raise _unknown(f"scheduler_kwargs: {scheduler_class.__name__}", name, accepted)
