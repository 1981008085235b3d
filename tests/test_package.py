"""The public API: every advertised name resolves to the right object, and importing the package stays light."""

from __future__ import annotations

import subprocess
import sys

import giffusion_widgets


def test_every_public_name_resolves():
    for name in giffusion_widgets.__all__:
        assert getattr(giffusion_widgets, name) is not None, name


def test_functions_named_like_their_modules_stay_functions_after_the_modules_load():
    code = ("import giffusion_widgets.schedule, giffusion_widgets.inspire\n"
            "from giffusion_widgets import render, schedule, inspire\n"
            "assert callable(schedule) and schedule.__name__ == 'schedule'\n"
            "assert callable(inspire) and inspire.__name__ == 'inspire'\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_import_loads_no_heavy_library():
    code = ("import sys, giffusion_widgets\n"
            "heavy = [m for m in ('torch', 'diffusers', 'librosa', 'comet_ml', 'anywidget') if m in sys.modules]\n"
            "print(','.join(heavy))\n")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == ""
