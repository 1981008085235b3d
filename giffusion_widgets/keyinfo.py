""""Get key frame information": keyframes taken from a project's audio or fitted to its video.

Both change the project in place (the panel's buttons and a cell call the same functions) and keep the user's
prompts: audio keyframes take the prompt in force at their moment; a video stretches the keyframes over its frames.
"""

from __future__ import annotations

from typing import Any

from .errors import MediaError
from .project import Keyframe, Project


def keyframes_from_audio(project: Project, component: str | None = None, analysis: Any = None) -> Project:
    """One keyframe per onset of the project's audio (its `audio_component` unless `component` is given), frame 0
    and the audio's last frame included, each with the prompt in force at that frame. Returns the project."""
    from .media.audio import analyze_audio, audio_keyframes, keyframes_text
    from .prompts import parse_prompts

    if not project.audio_input:
        raise MediaError("there is no audio input: choose an audio file first")
    analysis = analysis or analyze_audio(project.audio_input)
    found = audio_keyframes(analysis, project.fps, component or project.audio_component)
    project.keyframes = parse_prompts(keyframes_text(found, prompts=project.keyframes))
    return project


def keyframes_from_video(project: Project) -> Project:
    """Match the project to its video input: the video's frame rate, and the keyframes stretched so the last one
    falls on the video's last frame. Returns the project."""
    from .media.video import probe_video

    if not project.video_input:
        raise MediaError("there is no video input: choose a video file first")
    info = probe_video(project.video_input)
    project.keyframes = fit_keyframes_to_frames(project.keyframes, int(info.frame_count))
    project.fps = max(1, round(float(info.fps)))
    return project


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
    return [Keyframe(f, k.prompt, k.negative, k.seed) for f, k in zip(frames, ordered)]
