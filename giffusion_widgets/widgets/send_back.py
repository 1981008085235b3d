"""Outputs back as inputs: a rendered frame as the initial image, the finished video as the video input."""

from __future__ import annotations

from typing import Any

from ..errors import MediaError
from .frame_stream import FrameStream
from .project_sync import ProjectSync


class SendBack(FrameStream, ProjectSync):
    _animation: Any = None  # the Animation whose frames the widget shows

    def _msg_send_frame_to_image(self, content: dict, _buffers: list[bytes]) -> None:
        index = int(content.get("frame", self.frame))
        path = self.frame_path(index)
        if path is None:
            raise MediaError(f"frame {index} has not been rendered yet, so it cannot be the initial image")
        # The run folder's lossless PNG; run folders are never overwritten, so the path stays valid.
        self.project.image_input = str(path.resolve())
        self.sync()
        self.notice(f"Frame {index} is now the initial image.")

    def _msg_send_video_to_video(self, _content: dict, _buffers: list[bytes]) -> None:
        animation = self._animation
        if animation is None or animation.path is None:
            raise MediaError("there is no finished video yet (a cancelled run has none): render to the end first")
        animation.send_to_video(self.project)
        self.sync()
        self.notice(f"{animation.path.name} of {animation.run_dir.name} is now the video input.")
