"""A smoke test of the Studio in Jupyter Notebook 7 (the classic-looking front end built on JupyterLab's parts):
the panel draws, Enter makes a new line in the prompt text and the kernel sees the new keyframe, Render renders and
the frames reach the scrubber."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from conftest import PAGES, new_context
from lab import Notebook7, NotebookPage, wait_until
from studio_ui import STUDIO_CELL, StudioUI

pytestmark = pytest.mark.browser

RENDER_S = 300


@pytest.fixture(scope="module")
def notebook7(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Notebook7]:
    server = Notebook7(tmp_path_factory.mktemp("notebook7"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


# Notebook 7.6's own bundle raises one error while it loads any notebook (its shortcuts plugin reads the schema of a
# plugin the settings registry has not loaded): errors whose stack lies wholly in its bundle are not the panel's.
NOTEBOOK_BUNDLE = "/static/notebook/"


def not_notebooks_own(stack: str) -> bool:
    frames = [line for line in stack.splitlines() if line.strip().startswith("at ") and "://" in line]
    return not frames or any(NOTEBOOK_BUNDLE not in line for line in frames)


@pytest.fixture
def nb(notebook7: Notebook7, browser: Any) -> Iterator[NotebookPage]:
    ctx = new_context(browser)
    page = PAGES.open(ctx)
    page.errors = []  # every uncaught error with its stack
    page.on("pageerror", lambda exc: page.errors.append(exc.stack or str(exc)))
    notebook7.write_notebook("studio_notebook7", [STUDIO_CELL])
    notebook = NotebookPage(page, notebook7, "studio_notebook7")
    try:
        notebook.open(run_all=True)
        yield notebook
    finally:
        notebook.shutdown()
        PAGES.forget(page)
        ctx.close()


def test_the_studio_edits_and_renders_in_notebook_7(nb, shot):
    ui = StudioUI(nb.page).wait_shown()
    console = PAGES.console[id(nb.page)]
    mark = console.mark()
    assert "/notebooks/" in nb.page.url  # Notebook 7's own page, not JupyterLab's
    assert ui.render_button.is_enabled()
    shot(ui.root, "notebook 7 panel")

    # Enter in the prompt text makes a new line (a new keyframe), as in any text box
    ui.text_view.click()
    nb.page.keyboard.press("Control+End")
    nb.page.keyboard.press("Enter")
    nb.page.keyboard.type("4: a green triangle")
    ui.text_view.press("Tab")
    wait_until(lambda: nb.kernel.value("[k.frame for k in studio.project.keyframes]") == [0, 4, 8], 60,
               "the kernel to see the keyframe typed at frame 4")
    assert nb.kernel.value("studio.project.keyframes[1].prompt") == "a green triangle"

    ui.render_button.click()
    state = ui.wait_state("finished", "failed", "cancelled", timeout=RENDER_S)
    assert state == "finished", ui.status_words.inner_text()
    assert ui.wait_position("p.rendered === 9 && p.total === 9")["rendered"] == 9
    assert nb.kernel.value("studio.frame_count") == 9
    shot(ui.root, "notebook 7 rendered")
    assert console.errors(pattern="^(?!uncaught:)", since=mark) == []  # console.error lines
    assert [stack for stack in nb.page.errors if not_notebooks_own(stack)] == []
