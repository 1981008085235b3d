"""Fixtures of the browser tests: one JupyterLab server and one Chromium for the session, a fresh browser context
per test (or per module, for tests that share one notebook), screenshots in test-artifacts/browser/ at key steps
and whenever a test fails, and the page's console errors collected for the tests to check."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lab import REPO, JupyterLab, NotebookPage, launch_browser
from studio_ui import STUDIO_CELL, StudioUI

ARTIFACTS = REPO / "test-artifacts" / "browser"
VIEWPORT = {"width": 1400, "height": 1700}  # tall enough to photograph the whole panel
ACTION_TIMEOUT_MS = 60_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:120]


class Console:
    """Errors the page reported: console.error lines and uncaught exceptions."""

    def __init__(self, page: Any) -> None:
        self.messages: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.messages.append(f"uncaught: {exc}"))

    def _on_console(self, msg: Any) -> None:
        if msg.type == "error":
            location = msg.location or {}
            self.messages.append(f"{msg.text} @ {location.get('url', '')}:{location.get('lineNumber', '')}")

    def errors(self, pattern: str | None = None, since: int = 0) -> list[str]:
        messages = self.messages[since:]
        if pattern is None:
            return messages
        rx = re.compile(pattern, re.IGNORECASE)
        return [m for m in messages if rx.search(m)]

    def mark(self) -> int:
        """A bookmark: `errors(since=mark)` are the errors after it."""
        return len(self.messages)


class Pages:
    """The pages a test is using, so a failure can be photographed whichever fixture made them."""

    def __init__(self) -> None:
        self.active: list[Any] = []
        self.console: dict[int, Console] = {}

    def open(self, context: Any) -> Any:
        page = context.new_page()
        page.set_default_timeout(ACTION_TIMEOUT_MS)
        self.console[id(page)] = Console(page)
        self.active.append(page)
        return page

    def forget(self, page: Any) -> None:
        if page in self.active:
            self.active.remove(page)
        self.console.pop(id(page), None)


PAGES = Pages()


# ---------------------------------------------------------------------------- session


@pytest.fixture(scope="session", autouse=True)
def _fresh_artifacts() -> None:
    """Screenshots of this run only: the last run's are removed first."""
    if ARTIFACTS.is_dir():
        for old in ARTIFACTS.glob("*.png"):
            old.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterLab]:
    server = JupyterLab(tmp_path_factory.mktemp("jupyterlab"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    manager = sync_api.sync_playwright().start()
    try:
        chromium = launch_browser(manager)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        manager.stop()


def new_context(browser: Any, **options: Any) -> Any:
    return browser.new_context(viewport=options.pop("viewport", VIEWPORT), **options)


# ---------------------------------------------------------------------------- per test


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = new_context(browser)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context: Any) -> Iterator[Any]:
    p = PAGES.open(context)
    try:
        yield p
    finally:
        PAGES.forget(p)


@pytest.fixture
def console(page: Any) -> Console:
    return PAGES.console[id(page)]


@pytest.fixture(autouse=True)
def _screenshot_on_failure(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    failed = any(getattr(getattr(request.node, f"rep_{when}", None), "failed", False) for when in ("setup", "call"))
    if not failed:
        return
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for i, p in enumerate(list(PAGES.active)):
        suffix = "" if i == 0 else f"-{i}"
        try:
            p.screenshot(path=str(ARTIFACTS / f"{safe_name(request.node.name)}{suffix}.png"), full_page=True,
                         timeout=20_000)
        except Exception:
            pass


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Callable[..., Path]:
    """shot(page, "step") saves test-artifacts/browser/<test name>--<step>.png (a locator photographs itself)."""

    def take(target: Any, step: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{safe_name(request.node.name)}--{safe_name(step)}.png"
        target.screenshot(path=str(path), timeout=20_000)
        return path

    return take


@pytest.fixture
def open_notebook(lab: JupyterLab, page: Any) -> Iterator[Callable[..., NotebookPage]]:
    """open_notebook(name, cells, run_all=True): write the notebook, open it in this test's page, run it.
    Its kernel is shut down when the test ends."""
    opened: list[NotebookPage] = []

    def open_(name: str, cells: list, run_all: bool = True) -> NotebookPage:
        lab.write_notebook(name, cells)
        nb = NotebookPage(page, lab, name)
        opened.append(nb)
        return nb.open(run_all=run_all)

    yield open_
    for nb in opened:
        nb.shutdown()


# ---------------------------------------------------------------------------- one Studio per module


class StudioSession:
    """A notebook with a Studio, open in its own browser context, shared by the tests of one module."""

    def __init__(self, nb: NotebookPage, console: Console) -> None:
        self.nb = nb
        self.page = nb.page
        self.console = console
        self.ui = StudioUI(nb.page)

    @property
    def kernel(self) -> Any:
        return self.nb.kernel

    def reset_project(self, code: str = "Project(keyframes=[Keyframe(0,'a red circle'), Keyframe(8,'a blue square')], "
                      "height=64, width=64, num_inference_steps=2, batch_size=4)") -> None:
        """Give the studio a new Project from the kernel and wait until the panel's text view shows it."""
        text = self.kernel.run(
            f"from giffusion_widgets import Project, Keyframe, format_prompts\nstudio.project = {code}\n"
            "print(format_prompts(studio.project.keyframes), end='')")
        self.page.wait_for_function(
            "([root, text]) => { const t = root.querySelector('textarea.gw-code');"
            " return t && t.value.trim() === text.trim(); }",
            arg=[self.ui.root.element_handle(), text], timeout=60_000, polling=100)


@pytest.fixture(scope="module")
def studio(lab: JupyterLab, browser: Any, request: pytest.FixtureRequest) -> Iterator[StudioSession]:
    """The notebook of the brief (a Studio of two keyframes, 64 px, 2 steps) run in JupyterLab, panel drawn."""
    name = "studio_" + request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    ctx = new_context(browser)
    page = PAGES.open(ctx)
    session = None
    try:
        lab.write_notebook(name, [STUDIO_CELL])
        nb = NotebookPage(page, lab, name)
        session = StudioSession(nb, PAGES.console[id(page)])
        nb.open(run_all=True)
        session.ui.wait_shown()
    except BaseException:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}--setup-failed.png"), full_page=True, timeout=20_000)
        except Exception:
            pass
        if session is not None:
            session.nb.shutdown()
        PAGES.forget(page)
        ctx.close()
        raise
    try:
        yield session
    finally:
        session.nb.shutdown()
        PAGES.forget(page)
        ctx.close()
