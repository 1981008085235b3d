"""The studio's media inputs: files uploaded from the panel, what the panel shows about them (`media`,
`image_preview`), and keyframes taken from the audio's onsets or fitted to a video's length."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import traitlets

from ..errors import MediaError, ProjectError
from ..project import Keyframe, Project
from .audio_source import AudioSource

KINDS = ("image", "audio", "video")
PREVIEW_PX = 160


def safe_name(name: str, default: str) -> str:
    """A plain file name from whatever the browser sent: no folders, no odd characters."""
    base = Path(str(name).replace("\\", "/")).name
    base = re.sub(r"[^\w.\- ]+", "_", base).strip(" .")
    return base or default


def save_upload(folder: Path, name: str, data: bytes) -> Path:
    """Write `data` as `folder/name`; an existing file with other bytes is kept and the new one numbered."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    stem, suffix = target.stem, target.suffix
    n = 1
    while target.exists():
        if target.read_bytes() == data:
            return target
        target = folder / f"{stem}-{n}{suffix}"
        n += 1
    tmp = target.with_name(target.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(target)
    return target


def image_preview(path: str | os.PathLike) -> tuple[dict, bytes]:
    """What the panel shows of an initial image: {name, width, height} and a small PNG."""
    from ..media.image import load_image

    image = load_image(path)
    info = {"name": Path(path).name, "width": image.width, "height": image.height}
    thumb = image.convert("RGB")
    thumb.thumbnail((PREVIEW_PX, PREVIEW_PX))
    buffer = io.BytesIO()
    thumb.save(buffer, format="PNG")
    return info, buffer.getvalue()


class MediaInputs(AudioSource):
    media = traitlets.Dict({"image": None, "video": None, "audio": None}).tag(sync=True)
    image_preview = traitlets.Bytes(b"").tag(sync=True)

    def _init_media(self, uploads_dir: str | os.PathLike) -> None:
        self.uploads_dir = Path(uploads_dir)

    # ---------------------------------------------------------------- project hooks
    def _project_edited(self, old: dict, new: dict) -> None:
        super()._project_edited(old, new)
        if old.get("image_input") != new.get("image_input"):
            self._describe_image(new.get("image_input"))
        if old.get("video_input") != new.get("video_input"):
            self._describe_video(new.get("video_input"))

    def _set_media(self, kind: str, value: dict | None) -> None:
        self.media = {**self.media, kind: value}

    def _describe_image(self, path: str | None) -> None:
        if not path:
            self._set_media("image", None)
            self.image_preview = b""
            return
        info, png = image_preview(path)
        self.image_preview = png
        self._set_media("image", info)

    def _describe_video(self, path: str | None) -> None:
        if not path:
            self._set_media("video", None)
            return
        from ..media.video import probe_video

        info = probe_video(path)
        self._set_media("video", {"name": Path(path).name, "fps": float(info.fps), "frame_count": int(info.frame_count),
                                  "width": int(info.width), "height": int(info.height)})

    def _audio_loaded(self, analysis: Any) -> None:
        super()._audio_loaded(analysis)
        self._set_media("audio", None if analysis is None else
                        {"name": Path(analysis.path).name, "duration": round(float(analysis.duration), 3)})

    # ---------------------------------------------------------------- messages
    def _msg_upload(self, content: dict, buffers: list[bytes]) -> None:
        kind = content.get("kind")
        if kind not in (*KINDS, "project"):
            raise MediaError(f"cannot upload a file of kind {kind!r}")
        if len(buffers) != 1:
            raise MediaError("an upload carries exactly one file")
        name = safe_name(content.get("name", ""), default=f"{kind}.{'json' if kind == 'project' else 'bin'}")
        path = save_upload(self.uploads_dir, name, buffers[0])
        if kind == "project":
            self.load_project(path)
            return
        setattr(self.project, f"{kind}_input", str(path))
        self.sync()
        self.notice(f"{path.name} is the {kind} input (saved in {self.uploads_dir}).")

    def _msg_clear_media(self, content: dict, _buffers: list[bytes]) -> None:
        kind = content.get("kind")
        if kind not in KINDS:
            raise MediaError(f"there is no {kind!r} input to clear")
        setattr(self.project, f"{kind}_input", None)
        self.sync()

    def _msg_audio_keyframes(self, _content: dict, _buffers: list[bytes]) -> None:
        if not self.project.audio_input:
            raise MediaError("there is no audio input: choose an audio file first")
        self._jobs.start(self.keyframes_from_audio, name="audio-keyframes")

    def keyframes_from_audio(self, component: str | None = None) -> list[Keyframe]:
        """Put a keyframe on each onset of the audio's component (default: the project's), keeping the prompts in
        force at each frame; return the new keyframes."""
        from ..keyinfo import keyframes_from_audio

        project = keyframes_from_audio(self.project, component, analysis=self.audio_analysis())
        self.sync()
        self.notice(f"{len(project.keyframes)} keyframes from the {component or project.audio_component} onsets of "
                    f"{Path(project.audio_input).name}.")
        return project.keyframes

    def _msg_video_keyframes(self, _content: dict, _buffers: list[bytes]) -> None:
        self.keyframes_from_video()

    def keyframes_from_video(self) -> list[Keyframe]:
        """Match the project to its video: fps of the video, keyframes spread over its frames."""
        from ..keyinfo import keyframes_from_video

        project = keyframes_from_video(self.project)
        self.sync()
        self.notice(f"Keyframes now span the video's {project.num_frames} frames at {project.fps} fps.")
        return project.keyframes

    # ---------------------------------------------------------------- project files
    def load_project(self, path: str | os.PathLike) -> Project:
        """Read settings from a project JSON file into the live project (the same object); return it."""
        self.assign(Project.from_json(Path(path)))
        self.sync()
        self.notice(f"Loaded {Path(path).name}.")
        return self.project

    def save_project(self, path: str | os.PathLike) -> Path:
        """Write the project to a JSON file; return its path."""
        path = Path(path)
        if path.suffix.lower() != ".json":
            path = path.with_name(path.name + ".json")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.project.save(path)
        self.notice(f"Saved {path}.")
        return path

    def _msg_save_project(self, content: dict, _buffers: list[bytes]) -> None:
        self.save_project(_project_path(content))

    def _msg_load_project(self, content: dict, _buffers: list[bytes]) -> None:
        self.load_project(_project_path(content))


def _project_path(content: dict) -> str:
    path = str(content.get("path") or "").strip()
    if not path:
        raise ProjectError("give a file name for the project, e.g. project.json")
    return path
