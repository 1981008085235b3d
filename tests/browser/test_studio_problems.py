"""What goes wrong, as people meet it in real JupyterLab: a setting the render would refuse is marked at its own
field and not applied; a failed render's words go once the setting is fixed; a rejected upload leaves the input as
it was; running the Studio cell again stops the render of the Studio it replaces."""

from __future__ import annotations

import io

import pytest
from lab import wait_until
from PIL import Image
from studio_ui import STUDIO_CELL, StudioUI

pytestmark = pytest.mark.browser

RENDER_S = 300


def field_row(ui, key: str):
    """A settings field's row by the project setting it edits (data-field, settings.js)."""
    return ui.root.locator(f".gw-field[data-field={key}]")


def open_section(ui, title: str) -> None:
    details = ui.root.locator("details.gw-section", has=ui.page.locator(".gw-section-title", has_text=title))
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def test_a_value_the_render_would_refuse_is_marked_at_its_field_and_not_applied(studio, shot):
    studio.reset_project()
    ui = studio.ui
    mark = studio.console.mark()
    fps = ui.field("Frames per second")
    fps.fill("0")
    fps.press("Tab")
    row = field_row(ui, "fps")
    ui.page.wait_for_function("(row) => row.dataset.problem === 'true'", arg=row.element_handle(), timeout=30_000)
    assert row.locator(".gw-field-error").inner_text() == "Frames per second must be at least 1, got 0"
    assert studio.kernel.value("studio.project.fps") == 10, "not applied"
    assert ui.status_words.inner_text().startswith("Render cannot start")
    shot(ui.root, "fps marked")
    fps.fill("12")
    fps.press("Tab")
    wait_until(lambda: studio.kernel.value("studio.project.fps") == 12, 30, "the fixed value to be applied")
    ui.page.wait_for_function("(row) => row.dataset.problem === 'false'", arg=row.element_handle(), timeout=30_000)
    assert row.locator(".gw-field-error").inner_text() == ""
    assert studio.console.errors(since=mark) == []


def test_a_failed_render_is_not_shown_after_the_setting_it_failed_on_is_cleared(studio):
    studio.reset_project()
    ui = studio.ui
    open_section(ui, "Diffusion")
    scheduler = ui.field("Scheduler")
    scheduler.fill("NoSuchScheduler")
    scheduler.press("Tab")
    wait_until(lambda: studio.kernel.value("studio.project.scheduler") == "NoSuchScheduler", 30, "the scheduler")
    ui.render_button.click()
    assert ui.wait_state("failed", "finished", timeout=RENDER_S) == "failed"
    assert "NoSuchScheduler" in ui.status_words.inner_text()
    scheduler.fill("")
    scheduler.press("Tab")
    assert ui.wait_state("idle", timeout=30) == "idle"
    assert "Failed" not in ui.status_words.inner_text()
    assert ui.error_banner.is_hidden()


def test_a_rejected_upload_leaves_the_image_input_as_it_was(studio, tmp_path):
    studio.reset_project()
    ui = studio.ui
    open_section(ui, "Inputs")
    picker = ui.root.locator("input[type=file][accept^='image']")
    good = tmp_path / "dot.png"
    Image.new("RGB", (40, 24), (200, 30, 30)).save(good)
    picker.set_input_files(str(good))
    wait_until(lambda: studio.kernel.value("studio.project.image_input") == "uploads/dot.png", 60, "the good upload")
    ui.root.locator(".gw-media-name", has_text="dot.png").wait_for(timeout=30_000)
    broken = tmp_path / "broken.png"
    buffer = io.BytesIO()
    Image.new("RGB", (40, 24)).save(buffer, format="PNG")
    broken.write_bytes(buffer.getvalue()[:60])  # a PNG cut short
    picker.set_input_files(str(broken))
    ui.error_banner.wait_for(state="visible", timeout=30_000)
    assert "broken.png" in ui.error_banner.inner_text()
    assert studio.kernel.value("studio.project.image_input") == "uploads/dot.png"
    assert ui.root.locator(".gw-media-name", has_text="dot.png").is_visible()
    assert not ui.root.locator(".gw-notice", has_text="broken.png is the image input").count()
    assert studio.kernel.value("__import__('os').path.exists('uploads/broken.png')") is False
    studio.kernel.run("studio.project.image_input = None")


def test_running_the_studio_cell_again_stops_the_render_of_the_studio_it_replaces(open_notebook):
    nb = open_notebook("studio_rerun", [STUDIO_CELL])
    ui = StudioUI(nb.page)
    ui.wait_shown()
    nb.kernel.run("studio.project = Project(keyframes=[Keyframe(0, 'a red circle'), Keyframe(400, 'a blue square')],"
                  " height=64, width=64, num_inference_steps=2, batch_size=1)\nold_studio = studio")
    ui.render_button.click()
    wait_until(lambda: nb.kernel.value("old_studio.frame_count") >= 1, RENDER_S, "the render to be under way")
    nb.page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    wait_until(lambda: nb.kernel.value("studio is not old_studio"), 120, "the cell to run again")
    wait_until(lambda: not nb.kernel.value("old_studio.rendering"), 60, "the replaced studio's render to stop")
    state = nb.kernel.value("old_studio.session.status")
    assert state["state"] == "cancelled" and state["done"] < 401, state
    assert nb.kernel.value("old_studio.comm is None and studio.comm is not None")
    StudioUI(nb.page).wait_shown()
