"""Exceptions a user can cause. Each says what is wrong and, where it can, what to do about it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class GiffusionError(Exception):
    """Base class of every error this package raises on purpose."""


class ProjectError(GiffusionError, ValueError):
    """A setting that cannot be rendered (a negative fps, two keyframes on one frame, ...).

    `problems` holds the `Problem(field, message)` pairs behind it when validation found them, so a panel can mark
    each field by name."""

    def __init__(self, message: str, problems: Sequence[Any] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


class PromptSyntaxError(ProjectError):
    """Prompt text that does not follow the `<frame>: <prompt>` grammar. Lines and columns count from 1."""

    def __init__(self, message: str, line: int, column: int, text_line: str = "") -> None:
        self.reason = message
        self.line = line
        self.column = column
        self.text_line = text_line
        super().__init__(f"line {line}, column {column}: {message}")


class ScheduleError(ProjectError):
    """Schedule text that cannot be read or evaluated. `column` counts code points of the whole text from 1;
    None when the problem is not at one place in the text (an unknown interpolation, say)."""

    def __init__(self, message: str, setting: str, column: int | None = None) -> None:
        self.reason = message
        self.setting = setting
        self.column = column
        where = f", column {column}" if column is not None else ""
        super().__init__(f"{setting}{where}: {message}")


class PipelineError(GiffusionError):
    """A pipeline that cannot be loaded or does not accept what a render needs."""


class MediaError(GiffusionError, ValueError):
    """An audio, image or video file that cannot be used; the message names the file and the problem."""


class RenderCancelled(GiffusionError):
    """Raised inside a render when the user cancels; finished frames are kept on disk."""
