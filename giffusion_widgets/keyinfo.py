""""Get key frame information": keyframes taken from a project's audio or fitted to its video.

Both change the project in place (the panel's buttons and a cell call the same functions) and keep the user's
prompts: audio keyframes take the prompt in force at their moment; a video stretches the keyframes over its frames.
The media readers only measure (onset times, frame counts, rates); the keyframes are built here, as `Keyframe`s.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .errors import MediaError
from .project import Keyframe, Project
from .prompts import format_keyframe

if TYPE_CHECKING:
    from .media.audio import AudioKeyframe


def keyframes_from_audio(project: Project, component: str | None = None, analysis: Any = None) -> Project:
    """One keyframe per onset of the project's audio (its `audio_component` unless `component` is given), frame 0
    and the audio's last frame included, each with the prompt in force at that frame. Returns the project."""
    from .media.audio import analyze_audio, audio_keyframes

    if not project.audio_input:
        raise MediaError("there is no audio input: choose an audio file first")
    analysis = analysis or analyze_audio(project.audio_input)
    found = audio_keyframes(analysis, project.fps, component or project.audio_component)
    project.keyframes = keyframes_at(found, project.keyframes)
    return project


def keyframes_at(moments: Sequence[AudioKeyframe], prompts: Sequence[Keyframe] | None = None) -> list[Keyframe]:
    """A keyframe on each moment's frame.

    With `prompts` (keyframes of a project), each takes the prompt and negative prompt in force at its frame (the
    last prompt keyframe at or before it, else the first one); a seed stays only on its own frame. Without, each
    holds a placeholder such as `<your prompt at 1.50 s>`, which renders as it is.
    """
    ordered = sorted(prompts or [], key=lambda k: k.frame)
    keyframes = []
    for moment in moments:
        if ordered:
            source = next((k for k in reversed(ordered) if k.frame <= moment.frame), ordered[0])
            seed = source.seed if source.frame == moment.frame else None
            keyframes.append(Keyframe(moment.frame, source.prompt, source.negative, seed))
        else:
            keyframes.append(Keyframe(moment.frame, f"<your prompt at {moment.time:.2f} s>"))
    return keyframes


def keyframes_text(moments: Sequence[AudioKeyframe], prompts: Sequence[Keyframe] | None = None) -> str:
    """Prompt text of `keyframes_at(moments, prompts)`: one `<frame>: <prompt>` line per moment, its time in the
    audio as a comment above it, ready to edit."""
    lines = []
    for moment, keyframe in zip(moments, keyframes_at(moments, prompts), strict=True):
        lines.append(f"# {moment.time:.2f} s")
        lines.append(format_keyframe(keyframe))
    return "".join(line + "\n" for line in lines)


def keyframes_from_video(project: Project) -> Project:
    """Match the project to its video input: the video's frame rate, and the keyframes stretched so the last one
    falls on the video's last frame. Returns the project."""
    from .media.video import probe_video

    if not project.video_input:
        raise MediaError("there is no video input: choose a video file first")
    info = probe_video(project.video_input)
    project.keyframes = fit_keyframes_to_frames(project.keyframes, int(info.frame_count))
    project.fps = project_fps(info.rate)
    return project


def project_fps(rate: Fraction) -> float | int:
    """A video's exact frame rate as a project's fps: a whole number when it is one, else the float nearest the
    rational (30000/1001 -> 29.97002997...), which `Fraction(fps).limit_denominator` gives back exactly."""
    return int(rate) if rate.denominator == 1 else float(rate)


def fit_keyframes_to_frames(keyframes: list[Keyframe], frame_count: int) -> list[Keyframe]:
    """Stretch or squeeze keyframes over frames 0..frame_count-1, first on 0 and last on the end, keeping their
    order, prompts and seeds; no two land on one frame."""
    ordered = sorted(keyframes, key=lambda k: k.frame)
    if not ordered:
        return []
    if frame_count < len(ordered):
        raise MediaError(f"the video has {frame_count} frames, fewer than the {len(ordered)} keyframes: "
                         f"remove some keyframes first")
    last, n = frame_count - 1, len(ordered)
    first, span = ordered[0].frame, max(1, ordered[-1].frame - ordered[0].frame)
    frames = [round((k.frame - first) * last / span) for k in ordered] if n > 1 else [0]
    for i in range(1, n):  # rounding may land two on one frame: push the later one on ...
        frames[i] = max(frames[i], frames[i - 1] + 1)
    for i in range(n):  # ... and keep room for the ones after it before the end
        frames[i] = min(frames[i], last - (n - 1 - i))
    return [Keyframe(f, k.prompt, k.negative, k.seed) for f, k in zip(frames, ordered, strict=True)]
