"""The panel's anywidget classes: thin traitlets bindings of the front end in giffusion_widgets/static.

The protocol between them and the browser is described in js/README.md.
"""

from .scrubber import Scrubber
from .studio import Studio
from .timeline import Timeline
from .waveform import Waveform

__all__ = ["Scrubber", "Studio", "Timeline", "Waveform"]
