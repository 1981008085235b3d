"""The "Control" settings in real JupyterLab: a ControlNet row added and filled in, its mistakes shown under the
list and kept out of the project, the preprocessor's preview of the current frame drawn from the kernel's PNG, and
image keyframes counted in the section's summary."""

from __future__ import annotations

import pytest
from lab import wait_until

pytestmark = pytest.mark.browser


def open_section(ui, title: str) -> None:
    details = ui.root.locator("details.gw-section", has=ui.page.locator(".gw-section-title", has_text=title))
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def test_controlnet_rows_problems_and_preview(studio, shot):
    studio.reset_project("Project(keyframes=[Keyframe(0,'a red circle'), Keyframe(6,'a blue square')], "
                         "height=64, width=64, num_inference_steps=2, batch_size=4)")
    studio.kernel.run("from PIL import Image, ImageDraw\nimport os\n"
                      "square = Image.new('RGB', (64, 64), 'black')\n"
                      "ImageDraw.Draw(square).rectangle((16, 16, 47, 47), fill='white')\n"
                      "square.save('control-square.png')")
    ui = studio.ui
    mark = studio.console.mark()
    open_section(ui, "Control")
    nets = ui.root.locator(".gw-field[data-field=controlnets]")
    nets.get_by_role("button", name="Add ControlNet").click()
    model = nets.get_by_label("ControlNet 1 model")
    model.wait_for(timeout=30_000)
    nets.locator(".gw-field-error", has_text="has an empty model").wait_for(timeout=30_000)
    assert studio.kernel.value("studio.project.controlnets") == [], "not applied while the model is empty"
    model.fill("lllyasviel/sd-controlnet-canny")
    model.press("Tab")
    source = nets.get_by_label("ControlNet 1 source")
    source.fill("control-square.png")
    source.press("Tab")
    wait_until(lambda: studio.kernel.value("studio.project.controlnets") == [
        {"model": "lllyasviel/sd-controlnet-canny", "source": "control-square.png", "preprocessor": "canny",
         "conditioning_scale": 1, "guidance_start": 0, "guidance_end": 1}], 30, "the ControlNet to be applied")
    preprocessor = nets.get_by_label("ControlNet 1 preprocessor")
    preprocessor.fill("sobel")
    preprocessor.press("Tab")
    nets.locator(".gw-field-error", has_text="is not one of").wait_for(timeout=30_000)
    assert studio.kernel.value("studio.project.controlnets[0]['preprocessor']") == "canny", "kept out"
    preprocessor.fill("canny")
    preprocessor.press("Tab")
    ui.page.wait_for_function("(row) => row.querySelector('.gw-field-error').textContent === ''",
                              arg=nets.element_handle(), timeout=30_000)
    nets.get_by_role("button", name="Preview ControlNet 1").click()
    picture = nets.locator("img.gw-control-preview")
    picture.wait_for(state="visible", timeout=30_000)
    ui.page.wait_for_function("(img) => img.complete && img.naturalWidth === 64", arg=picture.element_handle(),
                              timeout=30_000)
    shot(ui.root.locator("details.gw-control-section"), "controlnet and preview")
    studio.kernel.run("studio.project.keyframes[0].image = 'control-square.png'\n"
                      "studio.project.controlnets = []\nstudio.sync()")
    summary = ui.root.locator("details.gw-control-section .gw-summary-text")
    wait_until(lambda: summary.inner_text() == "1 image keyframe", 30, "the image keyframe in the summary")
    assert "| image: control-square.png" in ui.root.locator("textarea.gw-code").input_value()
    assert studio.console.errors(since=mark) == []


def test_a_keyframe_picture_set_in_the_editor(studio, shot):
    studio.reset_project("Project(keyframes=[Keyframe(0,'a green circle'), Keyframe(6,'a blue square')], "
                         "height=64, width=64, num_inference_steps=2, batch_size=4)")
    studio.kernel.run("from PIL import Image\nImage.new('RGB', (64, 64), (10, 120, 130)).save('teal.png')")
    ui = studio.ui
    mark = studio.console.mark()
    ui.timeline.click(position={"x": ui.timeline_x_of(6), "y": 50})
    ui.prompt_editor.wait_for(state="visible")
    picture = ui.root.get_by_label("Picture (an image keyframe: its frames start from it)")
    picture.fill("teal.png")
    picture.press("Tab")
    wait_until(lambda: studio.kernel.value("studio.project.keyframes[1].image") == "teal.png", 30,
               "the picture to be applied")
    ui.page.wait_for_function("(t) => /^6: a blue square \\| image: teal.png$/m.test(t.value)",
                              arg=ui.text_view.element_handle(), timeout=30_000)
    # the timeline shows the keyframe's own picture under its marker, as the kernel read it
    thumb = ui.root.locator("img.gw-keyframe-picture[data-frame='6']")
    thumb.wait_for(state="visible", timeout=30_000)
    ui.page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=thumb.element_handle(),
                              timeout=30_000)
    centre = ui.page.evaluate(
        "(img) => { const c = document.createElement('canvas'); c.width = img.naturalWidth;"
        " c.height = img.naturalHeight; const g = c.getContext('2d'); g.drawImage(img, 0, 0);"
        " return Array.from(g.getImageData(c.width >> 1, c.height >> 1, 1, 1).data.slice(0, 3)); }",
        thumb.element_handle())
    assert centre == [10, 120, 130]
    shot(ui.root, "image keyframe")
    picture.fill("missing.png")  # refused by the kernel, named, and the project keeps the picture it had
    picture.press("Tab")
    ui.root.get_by_text("image 'missing.png' not found").first.wait_for(timeout=30_000)
    assert studio.kernel.value("studio.project.keyframes[1].image") == "teal.png"
    assert studio.console.errors(since=mark) == []
