"""A notebook saved with its widget state (JupyterLab's "Save Widget State Automatically") and opened again after its
kernel was shut down (issue 16, item 6): the panel is drawn from the saved state, shows the finished animation and
the run's last frame (the `poster` trait), takes no edits, and says to run the cell again."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import PAGES, new_context
from lab import JupyterLab, NotebookPage
from studio_ui import STUDIO_CELL, StudioUI

pytestmark = pytest.mark.browser

RENDER_S = 300
SAVE_STATE = {"@jupyter-widgets/jupyterlab-manager:plugin": {"saveState": True}}
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def saving_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterLab]:
    server = JupyterLab(tmp_path_factory.mktemp("jupyterlab-save-state"), settings=SAVE_STATE)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    ctx = new_context(browser, viewport={"width": 1600, "height": 1300})
    p = PAGES.open(ctx)
    try:
        yield p
    finally:
        PAGES.forget(p)
        ctx.close()


def saved_state(lab: JupyterLab, name: str) -> dict:
    """The Studio's entry in the notebook's saved widget state: {state, buffers: {path: bytes}}."""
    notebook = json.loads((lab.root / f"{name}.ipynb").read_text())
    models = notebook["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    [studio] = [m for m in models.values() if "project" in m["state"]]
    buffers = {".".join(map(str, b["path"])): base64.b64decode(b["data"]) for b in studio.get("buffers", [])}
    return {"state": studio["state"], "buffers": buffers}


def test_a_saved_notebook_opened_without_its_kernel_shows_the_animation_and_the_last_frame(saving_lab, page, shot):
    name = "studio_saved"
    saving_lab.write_notebook(name, [STUDIO_CELL])
    nb = NotebookPage(page, saving_lab, name)
    nb.open(run_all=True)
    ui = StudioUI(page).wait_shown()
    ui.render_button.click()
    assert ui.wait_state("finished", "failed", timeout=RENDER_S) == "finished"
    run_id = nb.kernel.value("studio.run_id")
    nb.save()

    saved = saved_state(saving_lab, name)
    poster = saved["buffers"]["poster.png"]
    assert poster[:8] == PNG and saved["state"]["poster"]["frame"] == 8 and saved["state"]["poster"]["run_id"] == run_id
    assert saved["buffers"]["output"][:6] == b"GIF89a"

    nb.shutdown()
    page.reload(wait_until="domcontentloaded")
    nb.wait_ready()  # JupyterLab starts a new kernel; the panel's model comes from the saved state, with no comm
    ui = StudioUI(page).wait_shown()
    page.wait_for_function("(el) => el.dataset.state === 'disconnected'", arg=ui.status_words.element_handle(),
                           timeout=60_000, polling=200)
    assert ui.status_words.inner_text().startswith("Not connected to a kernel")

    # what the run made: the GIF, and the last frame where the frames were
    ui.output_image.wait_for(state="visible")
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=ui.output_image.element_handle())
    assert ui.image_bytes(ui.output_image) == saved["buffers"]["output"]
    frame = ui.root.locator(".gw-poster img")
    frame.wait_for(state="visible")
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=frame.element_handle())
    assert ui.image_bytes(frame) == poster
    assert ui.scrubber.is_hidden()
    assert "Run the Studio cell again" in ui.root.locator(".gw-poster figcaption").inner_text()

    # nothing takes an edit the kernel would never see
    for control in (ui.render_button, ui.button("+ Add keyframe"), ui.button("Draft"), ui.text_view,
                    ui.button("Restore")):
        assert control.is_disabled()
    assert ui.timeline.evaluate("(c) => c.closest('[inert]') !== null")
    assert ui.root.get_by_role("link", name="Download", exact=True).get_attribute("href").startswith("blob:")
    shot(ui.root, "reopened without its kernel")
