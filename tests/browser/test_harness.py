"""The harness itself: a notebook opened in real JupyterLab, a widget moved in the browser, the value read back
from the same kernel."""

from __future__ import annotations

import pytest
from lab import wait_until

pytestmark = pytest.mark.browser


def test_slider_moved_in_the_browser_is_seen_by_the_kernel(open_notebook, console, shot):
    nb = open_notebook("harness_slider", [
        "import ipywidgets as widgets\nslider = widgets.IntSlider(value=3, min=0, max=10, description='level')\nslider",
    ])
    page = nb.page
    handle = page.locator(".widget-slider .noUi-handle").first
    handle.wait_for(state="visible")
    readout = page.locator(".widget-slider .widget-readout").first
    assert readout.inner_text().strip() == "3"
    shot(page, "slider shown")

    handle.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(el) => el.textContent.trim() === '5'", arg=readout.element_handle())

    # the side client of the same kernel, then a real cell run in JupyterLab
    wait_until(lambda: nb.kernel.value("slider.value") == 5, 30, "the kernel to see the slider at 5")
    assert nb.run_cell("print(slider.value * 10)").strip() == "50"

    # and the other way: the kernel moves the slider, the page follows
    nb.kernel.run("slider.value = 8")
    page.wait_for_function("(el) => el.textContent.trim() === '8'", arg=readout.element_handle())
    assert not console.errors(r"widget|anywidget|Failed to load model"), console.errors()

