"""An interactive matplotlib picture of a plan: what interpolation and audio-shaped timing do, frame by frame.

`plot_schedule(project)` draws each segment's interpolation weight (shaped and linear), the keyframes with their
prompts, where the noise seed changes, and the audio energy and onsets when there is audio. Moving the mouse over
(or clicking) a frame shows its prompts and weight. The backend is whatever the session uses: ipympl's widget in a
notebook after `%matplotlib widget`, a static image inline, a window on a desktop.

Under the weights, one lane per scheduled setting (each setting given as schedule text, or the names passed as
`settings`) shows its value on every frame, from `Plan.values`.

Artists carry gids ("t:segment-0", "linear:segment-0", "hold", "keyframes", "seed-changes", "energy", "onsets",
"hover", "schedule:zoom") so code and tests can find them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.ticker import MaxNLocator

from .project import SCHEDULED, Project
from .schedule import FrameSpec, Plan, schedule

__all__ = ["AudioTrack", "describe", "plot_schedule", "scheduled_settings", "seed_changes", "segment_curve",
           "shorten"]

LABEL_CHARS = 28
KEYFRAME_Y = 1.1  # keyframe markers sit just above the weight curves


@dataclass
class AudioTrack:
    """Per-frame energy and onset frames to draw under the curves."""

    energy: np.ndarray | None = None
    onsets: np.ndarray | None = None


def scheduled_settings(project: Project) -> list[str]:
    """The settings given as schedule text, in SCHEDULED's order."""
    return [name for name in SCHEDULED if isinstance(getattr(project, name), str)]


def plot_schedule(project_or_plan: Project | Plan, audio: Any = None, ax: Any = None,
                  settings: Sequence[str] | None = None) -> Any:
    """A matplotlib Figure of the plan's interpolation weights, keyframes, seeds and audio, and a lane for each
    scheduled setting under them; hover shows details.

    `audio`: per-frame energy (array), a mapping with "energy" and/or "onsets" (frame numbers), an audio file path
    or an `AudioAnalysis` (analysed at the project's fps). Left out: the project's own audio file, if it has one.
    `ax`: axes to draw the weights into (the lanes are left out then); a new figure otherwise. `settings`: the
    settings to draw lanes for (any of SCHEDULED); by default every one given as schedule text.
    """
    is_plan = isinstance(project_or_plan, Plan)
    project = project_or_plan.project if is_plan else project_or_plan
    track = _audio_track(project, audio)
    # the energy found here is handed to schedule(), so the audio is analysed once
    plan = project_or_plan if is_plan else schedule(project, energy=track.energy)
    if track.energy is None:
        track.energy = plan.energy
    lanes = list(scheduled_settings(project) if settings is None else settings)
    unknown = [name for name in lanes if name not in plan.values]
    if unknown:
        raise ValueError(f"not a scheduled setting: {', '.join(unknown)} (the settings are {', '.join(SCHEDULED)})")
    lane_axes: list[Any] = []
    if ax is None:
        import matplotlib.pyplot as plt  # the session's backend, so ipympl makes it interactive

        if lanes:
            fig, axes = plt.subplots(1 + len(lanes), 1, figsize=(10, 4 + 1.3 * len(lanes)), sharex=True,
                                     layout="constrained", height_ratios=[3] + [1] * len(lanes))
            ax, lane_axes = axes[0], list(axes[1:])
        else:
            fig, ax = plt.subplots(figsize=(10, 4), layout="constrained")
    fig = ax.figure
    for name, lane in zip(lanes if lane_axes else [], lane_axes, strict=False):
        _draw_lane(lane, plan, name)
    _draw_weights(ax, plan)
    _draw_keyframes(ax, plan)
    _draw_seed_changes(ax, plan)
    if track.energy is not None or track.onsets is not None:
        _draw_audio(ax, track)
    _style(ax, plan)
    _connect_hover(fig, ax, plan)
    return fig


def _draw_lane(ax: Any, plan: Plan, name: str) -> None:
    values = plan.values[name]
    ax.plot(np.arange(len(values)), values, "-", lw=1.5, color="tab:green", gid=f"schedule:{name}")
    ax.set_ylabel(name.replace("_", " "), fontsize=8)
    low, high = float(values.min()), float(values.max())
    pad = (high - low) * 0.1 or max(abs(high) * 0.05, 0.05)
    ax.set_ylim(low - pad, high + pad)
    ax.tick_params(labelsize=8)
    ax.grid(alpha=0.3)


# ------------------------------------------------------------------- inputs
def _audio_track(project: Project, audio: Any) -> AudioTrack:
    if audio is None:
        return _analyse(project, project.audio_input) if project.audio_input else AudioTrack()
    if isinstance(audio, (str, os.PathLike)) or hasattr(audio, "frame_energy"):
        return _analyse(project, audio)
    if isinstance(audio, Mapping):
        energy, onsets = audio.get("energy"), audio.get("onsets")
        return AudioTrack(None if energy is None else np.asarray(energy, dtype=float),
                          None if onsets is None else np.asarray(onsets, dtype=float))
    return AudioTrack(np.asarray(audio, dtype=float))


def _analyse(project: Project, audio: Any) -> AudioTrack:
    """Energy per frame and onsets (in frames) of the project's audio component, at the project's fps."""
    from .media.audio import analyze_audio

    analysis = audio if hasattr(audio, "frame_energy") else analyze_audio(Path(audio))
    component = project.audio_component
    energy = analysis.frame_energy(component, project.fps, project.num_frames)
    onsets = np.asarray(analysis.onsets(component), dtype=float) * project.fps
    return AudioTrack(np.asarray(energy, dtype=float), onsets)


# ------------------------------------------------------------------ drawing
def segment_curve(plan: Plan, segment: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(frames, t, linear_t) of one segment, ending on its end keyframe with weight 1.

    The plan files a keyframe's frame under the segment it starts (t = 0), so the closing point is added here
    to show each curve reaching 1.
    """
    specs = [f for f in plan.frames if f.segment == segment and f.start_frame < f.end_frame]
    xs = [f.index for f in specs]
    ts = [f.t for f in specs]
    lin = [f.linear_t for f in specs]
    if specs and xs[-1] != specs[-1].end_frame:
        xs.append(specs[-1].end_frame)
        ts.append(1.0)
        lin.append(1.0)
    return np.array(xs, dtype=float), np.array(ts), np.array(lin)


def _segments(plan: Plan) -> list[int]:
    return sorted({f.segment for f in plan.frames if f.start_frame < f.end_frame})


def _draw_weights(ax: Any, plan: Plan) -> None:
    for segment in _segments(plan):
        xs, ts, lin = segment_curve(plan, segment)
        (line,) = ax.plot(xs, ts, "-", lw=2, marker=".", ms=4, gid=f"t:segment-{segment}",
                          label="weight t" if segment == 0 else None)
        ax.plot(xs, lin, "--", lw=1, color=line.get_color(), alpha=0.55, gid=f"linear:segment-{segment}",
                label="linear t" if segment == 0 else None)
    held = [f for f in plan.frames if f.start_frame == f.end_frame]
    if held:
        ax.plot([f.index for f in held], [f.t for f in held], "-", color="0.6", lw=2, gid="hold",
                label="held keyframe")


def _draw_keyframes(ax: Any, plan: Plan) -> None:
    keyframes = plan.keyframes
    xs = [k.frame for k in keyframes]
    ax.plot(xs, [KEYFRAME_Y] * len(xs), "v", color="black", ms=8, picker=6, gid="keyframes", label="keyframe")
    last = max(xs, default=0)
    for i, k in enumerate(keyframes):
        ax.axvline(k.frame, color="black", lw=0.6, alpha=0.25, zorder=0)
        near_end = last > 0 and k.frame > 0.8 * last  # right-aligned so the label stays inside the axes
        ax.annotate(shorten(k.prompt), (k.frame, KEYFRAME_Y), xytext=(-3 if near_end else 3, 6),
                    textcoords="offset points", rotation=20, fontsize=8, ha="right" if near_end else "left",
                    va="bottom", rotation_mode="anchor", gid=f"keyframe-label-{i}")


def seed_changes(plan: Plan) -> list[int]:
    """Frames whose noise seeds differ from the previous frame's."""
    frames = plan.frames
    return [b.index for a, b in zip(frames, frames[1:], strict=False)
            if (a.latent_seeds, a.sampler_seed) != (b.latent_seeds, b.sampler_seed)]


def _draw_seed_changes(ax: Any, plan: Plan) -> None:
    changes = seed_changes(plan)
    if changes:
        ax.vlines(changes, 0, 1, transform=ax.get_xaxis_transform(), colors="tab:red", linestyles=":",
                  lw=1.2, gid="seed-changes", label="seed change")


def _draw_audio(ax: Any, track: AudioTrack) -> None:
    twin = ax.twinx()
    twin.set_ylabel("audio energy")
    if track.energy is not None:
        xs = np.arange(len(track.energy))
        twin.fill_between(xs, track.energy, color="tab:purple", alpha=0.12, lw=0)
        twin.plot(xs, track.energy, color="tab:purple", lw=1, alpha=0.8, gid="energy", label="audio energy")
        twin.set_ylim(0, max(float(np.max(track.energy)), 1e-9) * 1.3)
    if track.onsets is not None and len(track.onsets):
        twin.vlines(track.onsets, 0, 1, transform=twin.get_xaxis_transform(), colors="tab:purple", lw=0.8,
                    alpha=0.6, gid="onsets", label="onset")
    ax.set_zorder(twin.get_zorder() + 1)  # keep the weight curves (and hovering) on top
    ax.patch.set_visible(False)


def _style(ax: Any, plan: Plan) -> None:
    project = plan.project
    timing = "audio-shaped" if plan.energy is not None else f"easing: {project.easing}"
    ax.set_title(f"{_count(len(plan.frames), 'frame')}, {_count(len(plan.keyframes), 'keyframe')}, {timing}",
                 fontsize=10)
    ax.set_xlabel(f"frame ({project.fps} fps)")
    ax.set_ylabel("interpolation weight")
    ax.set_xlim(-0.5, max(len(plan.frames) - 0.5, 0.5))
    ax.set_ylim(-0.05, KEYFRAME_Y + 0.35)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    handles, labels = [], []
    for a in ax.get_shared_x_axes().get_siblings(ax):  # the audio twin's entries join the one legend
        h, lab = a.get_legend_handles_labels()
        handles += h
        labels += lab
    ax.legend(handles, labels, loc="lower right", fontsize=8, framealpha=0.8)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


# -------------------------------------------------------------------- hover
def describe(spec: FrameSpec) -> str:
    """What one frame is made of, for the hover box."""
    if spec.start_frame == spec.end_frame:
        return f"frame {spec.index}: holds keyframe {spec.start_frame}\n{shorten(spec.prompts[0], 60)}"
    seeds = spec.latent_seeds
    seed_text = f"seed {seeds[0]}" if seeds[0] == seeds[1] else f"seeds {seeds[0]} \u2192 {seeds[1]}"
    return (f"frame {spec.index}  (keyframes {spec.start_frame} \u2192 {spec.end_frame})\n"
            f"t = {spec.t:.3f}  (linear {spec.linear_t:.3f})\n"
            f"from: {shorten(spec.prompts[0], 60)}\n"
            f"to: {shorten(spec.prompts[1], 60)}\n"
            f"{seed_text}")


def _connect_hover(fig: Any, ax: Any, plan: Plan) -> None:
    """Show a frame's details where the pointer is (motion or click), or a keyframe's prompt when picked."""
    note = ax.annotate("", (0, 0), xytext=(12, -12), textcoords="offset points", va="top", fontsize=8,
                       bbox={"boxstyle": "round", "fc": "white", "ec": "0.5", "alpha": 0.95}, gid="hover",
                       annotation_clip=False)
    note.set_visible(False)
    cursor = ax.axvline(0, color="0.3", lw=0.8, visible=False, gid="cursor")

    def over_plot(event_ax: Any) -> bool:
        # the axes itself or its audio twin (same place, shared x), which sits underneath
        return event_ax is ax or (event_ax in ax.get_shared_x_axes().get_siblings(ax)
                                  and event_ax.get_position().bounds == ax.get_position().bounds)

    def show(text: str, x: float, y: float) -> None:
        note.set_text(text)
        note.xy = (x, y)
        # open toward the middle so the box stays inside the axes
        note.set_horizontalalignment("right" if x > (len(plan.frames) - 1) / 2 else "left")
        note.xyann = (-12 if x > (len(plan.frames) - 1) / 2 else 12, -12)
        note.set_visible(True)
        cursor.set_xdata([x, x])
        cursor.set_visible(True)
        fig.canvas.draw_idle()

    picked: list[Any] = [None]  # the click that just picked a keyframe; its frame box must not replace it

    def on_move(event: Any) -> None:
        if event is picked[0]:
            return
        if not over_plot(event.inaxes) or not plan.frames:
            if note.get_visible():
                note.set_visible(False)
                cursor.set_visible(False)
                fig.canvas.draw_idle()
            return
        x, _ = ax.transData.inverted().transform((event.x, event.y))
        spec = plan.frames[int(np.clip(round(x), 0, len(plan.frames) - 1))]
        show(describe(spec), spec.index, min(spec.t, 1.0))

    def on_pick(event: Any) -> None:
        if event.artist.get_gid() != "keyframes" or not len(event.ind):
            return
        picked[0] = event.mouseevent
        keyframe = plan.keyframes[int(event.ind[0])]
        show(f"keyframe at frame {keyframe.frame}\n{keyframe.prompt}", keyframe.frame, KEYFRAME_Y)

    fig.canvas.mpl_connect("motion_notify_event", on_move)
    fig.canvas.mpl_connect("button_press_event", on_move)
    fig.canvas.mpl_connect("pick_event", on_pick)
