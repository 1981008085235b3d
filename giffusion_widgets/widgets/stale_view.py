"""What the panel shows of the frames an edit makes stale: the `stale_frames` trait, made from the engine's planned
keys (engine/planned_keys.py) after each project change and after each run.

    {"known": true, "total": 9, "count": 7, "stale": [[1, 7]],   # frames Render would make anew (not in the cache)
     "changed": [[1, 7]],          # frames of the run shown whose picture these settings do not give
     "output": "",                 # "format" | "settings": no frame to make, but the GIF/MP4 would be new
     "message": "7 of 9 frames would re-render", "ms": 3.1}

Frames are ranges of frame indices, both ends included. A frame the cache holds is not stale even when the run shown
has another picture there (it is `changed`: Render takes it from the cache). The words are made here only, so
every part of the panel says the same. Planning never loads a pipeline: until one is loaded (or while the keys
cannot be known without side effects) `known` is false and `reason` says why.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..project import Project

log = logging.getLogger(__name__)

EMPTY = {"known": False, "total": 0, "count": 0, "stale": [], "changed": [], "output": "", "message": "",
         "reason": "", "ms": 0.0}


def ranges(frames: list[int]) -> list[list[int]]:
    """Sorted frame indices as [first, last] runs: [1, 2, 3, 7] -> [[1, 3], [7, 7]]."""
    out: list[list[int]] = []
    for i in frames:
        if out and i == out[-1][1] + 1:
            out[-1][1] = i
        else:
            out.append([i, i])
    return out


def _frames(n: int) -> str:
    return f"{n} frame{'' if n == 1 else 's'}"


def describe(total: int, count: int | None, output: str, fmt: str, reason: str = "") -> str:
    """The one sentence about what Render would do with these settings."""
    name = fmt.upper()
    if count is None:
        return f"{_frames(total)} to render; which of them the cache holds is not known yet ({reason})."
    if count:
        cached = total - count
        return f"{count} of {_frames(total)} would re-render" + (f" ({cached} from the cache)" if cached else "") + "."
    if output == "format":
        return f"Output changed: Render writes the {name} from the cached frames (no frame re-renders)."
    if output == "settings":
        return f"Output changed: Render writes the {name} again from the cached frames (no frame re-renders)."
    if output == "frames":
        return f"All {_frames(total)} are in the cache: Render takes them from it and writes the {name}."
    return f"Up to date: all {_frames(total)} are rendered with these settings."


class StaleView:
    """Computes `stale_frames` for the live project against the frame cache and the run the panel shows.

    `renderer()` is the session's Renderer, or None while no pipeline is loaded (planning must not load one);
    `shown()` is the run folder the panel shows (None: none); `running()` is (the project, its frames or None for
    all) of the render running, None when none runs or it is a draft (whose frames no render reuses)."""

    def __init__(self, on_state: Callable[[str, Any], None], renderer: Callable[[], Any],
                 shown: Callable[[], Path | None],
                 running: Callable[[], tuple[Project, list[int] | None] | None]) -> None:
        self._on_state = on_state
        self._renderer, self._shown, self._running = renderer, shown, running
        self.value: dict = dict(EMPTY)
        self._shown_keys: tuple[Any, dict[int, str], dict | None] | None = None  # (stamp, keys, output settings)

    def follow(self, project: Project) -> dict:
        """Compute and send the stale frames of `project`; return the trait's value."""
        started = time.perf_counter()
        try:
            value = self._compute(project)
        except Exception as exc:  # a hint must never keep an edit out: say nothing rather than fail the edit
            log.warning("giffusion studio: which frames are stale is not known: %s", exc, exc_info=exc)
            value = {**EMPTY, "reason": f"{type(exc).__name__}: {exc}"}
        value["ms"] = round((time.perf_counter() - started) * 1000, 2)
        self.value = value
        self._on_state("stale_frames", value)
        return value

    def _compute(self, project: Project) -> dict:
        from ..errors import GiffusionError

        try:
            total = project.copy().validate().num_frames
        except GiffusionError as exc:  # the panel marks the fields; Render would refuse
            return {**EMPTY, "reason": str(exc)}
        fmt = "mp4" if project.output_format == "mp4" else "gif"
        renderer = self._renderer()
        stale = renderer.stale_frames(project) if renderer is not None else None
        if stale is None or stale.frames is None:
            reason = stale.reason if stale is not None else "the pipeline is not loaded yet"
            # with no run shown there is nothing to be stale: the words wait until there is one
            words = describe(total, None, "", fmt, reason) if self._shown() is not None else ""
            return {**EMPTY, "total": total, "reason": reason, "message": words}
        running = self._running()
        frames, keys = stale.frames, stale.keys or {}
        if running is None:
            changed, output = self._against_shown(project, keys)
        else:  # what the running render makes will be in the cache: only what it does not make is stale
            changed, output = [], ""
            coming = self._running_keys(renderer, *running)
            frames = [i for i in frames if keys[i] not in coming]
        output = "" if frames else output
        value = {**EMPTY, "known": True, "total": stale.total, "count": len(frames), "stale": ranges(frames),
                 "changed": ranges(changed), "output": output, "output_only": output in ("format", "settings"),
                 "message": describe(stale.total, len(frames), output, fmt)}
        if running is not None:  # the words are about the edits, and only once there are some
            words = value["message"]
            value["message"] = "" if running[0] == project else \
                f"Edited during this render: after it, {words[0].lower()}{words[1:]}"
        return value

    @staticmethod
    def _running_keys(renderer: Any, project: Project, frames: list[int] | None) -> set[str]:
        from ..engine.planned_keys import Unknown

        try:
            keys = renderer.planned_keys(project).by_frame()
        except Unknown:
            return set()
        return {k for i, k in keys.items() if frames is None or i in frames}

    def _against_shown(self, project: Project, keys: dict[int, str]) -> tuple[list[int], str]:
        """(the frames of the shown run these settings give other pictures, what makes the output new: "frames",
        "format" (the output format alone), "settings" (fps, boomerang, audio, or no output yet) or "" (nothing))."""
        from ..engine.planned_keys import output_settings

        shown = self._read_shown()
        if shown is None:
            return [], "frames"
        folder, shown_keys, shown_output = shown
        changed = sorted(i for i, k in keys.items() if i in shown_keys and shown_keys[i] != k)
        if changed or set(shown_keys) != set(keys):
            return changed, "frames"
        new = output_settings(project)
        if shown_output is None:
            return [], "settings"
        if new["format"] != shown_output["format"]:
            return [], "format"
        if new != shown_output or not (folder / f"output.{new['format']}").is_file():
            return [], "settings"
        return [], ""

    def _read_shown(self) -> tuple[Path, dict[int, str], dict | None] | None:
        """The shown run's frame keys and output settings, read once per run folder and manifest."""
        from ..engine.planned_keys import output_settings, run_keys

        folder = self._shown()
        if folder is None:
            return None
        folder = Path(folder)
        try:
            stamp = (folder, (folder / "frames.json").stat().st_mtime_ns)
        except OSError:
            return None
        if self._shown_keys is None or self._shown_keys[0] != stamp:
            try:
                data = Project.from_json(folder / "settings.json")
                output = output_settings(data, draft=False)
            except Exception:  # a damaged or foreign settings.json: nothing to compare the output with
                output = None
            self._shown_keys = (stamp, run_keys(folder), output)
        return folder, self._shown_keys[1], self._shown_keys[2]
