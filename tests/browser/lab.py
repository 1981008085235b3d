"""A private JupyterLab server driven by Playwright and Debian's Chromium, shared by the browser tests and
scripts/make_screenshots.py.

- `JupyterLab(base)`: starts `python -m jupyterlab` on 127.0.0.1 with every Jupyter folder (config, data, runtime,
  workspaces, IPython) private under `base`, while the environment's own share/jupyter still provides the lab
  extensions (anywidget, ipywidgets) and the python3 kernel. `stop()` ends it within a bounded time.
- `launch_browser(playwright)`: Chromium from /usr/bin/chromium (never a downloaded one).
- `NotebookPage(page, lab, name)`: opens a notebook written into the server root, waits for it and its kernel,
  runs cells through the JupyterLab UI, and reads values back from the same kernel (`kernel.run`, `kernel.value`).

Every wait is bounded; nothing talks to anything but 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("GIFFUSION_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
# Generous: two cores shared with other work. Every wait still ends.
SERVER_START_S = 120
NOTEBOOK_OPEN_S = 120
CELL_S = 240
DISABLED_PLUGINS = {
    "@jupyterlab/apputils-extension:announcements": True,  # the news pop-up covers screenshots
}


class LabError(RuntimeError):
    """The server, the page or the kernel did not do what was asked in time."""


class KernelError(LabError):
    """Code run in the kernel raised; the message holds the traceback."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(condition: Callable[[], Any], timeout: float, what: str, interval: float = 0.1) -> Any:
    """Poll `condition()` until it returns something truthy (returned) or `timeout` seconds pass (LabError)."""
    deadline = time.monotonic() + timeout
    last_exc: BaseException | None = None
    while True:
        try:
            value = condition()
            if value:
                return value
        except LabError:
            raise
        except Exception as exc:
            last_exc = exc
        if time.monotonic() >= deadline:
            detail = f" (last error: {last_exc!r})" if last_exc else ""
            raise LabError(f"timed out after {timeout:.0f} s waiting for {what}{detail}")
        time.sleep(interval)


def kernel_env(base_env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of the server and its kernels: offline hub, the repository's kept caches, no MPLBACKEND."""
    env = dict(os.environ if base_env is None else base_env)
    env["HF_HUB_OFFLINE"] = "1"
    env.setdefault("GIFFUSION_CACHE", str(REPO / ".cache" / "giffusion-widgets"))
    env.setdefault("NUMBA_CACHE_DIR", str(REPO / ".cache" / "numba"))
    env.setdefault("COMET_DISABLE_AUTO_LOGGING", "1")
    env["PYTHONUNBUFFERED"] = "1"
    for key in ("MPLBACKEND", "JUPYTER_PATH", "JUPYTER_CONFIG_PATH", "JUPYTER_PLATFORM_DIRS", "JUPYTER_TOKEN",
                "JUPYTER_PREFER_ENV_PATH"):
        env.pop(key, None)
    # The repository first on the path, so the kernel imports this checkout even without an editable install.
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return env


class JupyterLab:
    """A JupyterLab server with private state under `base`; the notebooks live in `base / "notebooks"`."""

    module = "jupyterlab"  # what `python -m` starts
    app_class = "LabApp"  # the configurable holding the front end's options
    notebook_url = "/lab/tree/{path}?reset"  # where a notebook opens (reset: no restored workspace)
    disabled_plugins = DISABLED_PLUGINS

    def __init__(self, base: str | os.PathLike, *, settings: dict[str, dict] | None = None) -> None:
        self.base = Path(base)
        self.root = self.base / "notebooks"
        self.runtime_dir = self.base / "runtime"
        self.port = 0
        self.url = ""
        self.log_path = self.base / "jupyterlab.log"
        self._settings = settings or {}
        self._proc: subprocess.Popen | None = None
        self._log: Any = None

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> JupyterLab:
        config = self.base / "config"
        data = self.base / "data"
        workspaces = self.base / "workspaces"
        ipython = self.base / "ipython"
        app_settings = self.base / "lab-settings"
        for d in (self.root, config / "labconfig", data, self.runtime_dir, workspaces, ipython, app_settings):
            d.mkdir(parents=True, exist_ok=True)
        (config / "labconfig" / "page_config.json").write_text(
            json.dumps({"disabledExtensions": self.disabled_plugins}, indent=1))
        (app_settings / "overrides.json").write_text(json.dumps({**self.setting_overrides(), **self._settings},
                                                                indent=1))

        env = kernel_env()
        env.update({
            "JUPYTER_CONFIG_DIR": str(config),
            "JUPYTER_DATA_DIR": str(data),
            "JUPYTER_RUNTIME_DIR": str(self.runtime_dir),
            "JUPYTERLAB_WORKSPACES_DIR": str(workspaces),
            "JUPYTERLAB_SETTINGS_DIR": str(self.base / "user-settings"),
            "IPYTHONDIR": str(ipython),
        })
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        app = self.app_class
        cmd = [
            sys.executable, "-m", self.module, "--no-browser",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
            "--IdentityProvider.token=", "--ServerApp.password=",
            "--ServerApp.disable_check_xsrf=True",
            f"--ServerApp.root_dir={self.root}",
            f"--{app}.expose_app_in_browser=True",
            f"--{app}.app_settings_dir={app_settings}",
            f"--{app}.workspaces_dir={workspaces}",
            "--ServerApp.terminals_enabled=False",
            *self.front_end_options(),
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        self._log = open(self.log_path, "wb")  # noqa: SIM115 (kept open for the server's lifetime)
        self._proc = subprocess.Popen(cmd, cwd=self.root, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                      start_new_session=True)

        def ready() -> bool:
            if self._proc is not None and self._proc.poll() is not None:
                raise LabError(f"JupyterLab exited with {self._proc.returncode}:\n{self.log_tail()}")
            return self.api("GET", "/api/status", timeout=5) is not None

        try:
            wait_until(ready, SERVER_START_S, "JupyterLab to answer /api/status", interval=0.25)
        except BaseException:
            self.stop()
            raise
        return self

    def setting_overrides(self) -> dict[str, dict]:
        # no news checks, no update checks: nothing leaves 127.0.0.1
        return {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}}

    def front_end_options(self) -> list[str]:
        """JupyterLab's own switches: no news, no update checks, a read-only extension manager."""
        return [
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
        ]

    def stop(self, timeout: float = 20) -> None:
        """Stop the server (its kernels with it): SIGTERM to its process group, SIGKILL if it lingers."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            try:
                # Shut the kernels down first so none outlives the server.
                for session in self.api("GET", "/api/sessions", timeout=5) or []:
                    self.api("DELETE", f"/api/sessions/{session['id']}", timeout=10)
            except Exception:
                pass
            for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10)):
                try:
                    os.killpg(proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    proc.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> JupyterLab:
        return self.start()

    def __exit__(self, *_: Any) -> None:
        self.stop()

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    # ------------------------------------------------------------------ REST
    def api(self, method: str, path: str, body: Any = None, timeout: float = 30) -> Any:
        """Call the server's REST API; the decoded JSON answer (None for an empty one or a refused connection)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                raw = response.read()
        except urllib.error.URLError as exc:
            if isinstance(exc, urllib.error.HTTPError):
                raise LabError(f"{method} {path}: HTTP {exc.code} {exc.read()[:500]!r}") from exc
            return None
        return json.loads(raw) if raw.strip() else {}

    def session_for(self, path: str) -> dict | None:
        for session in self.api("GET", "/api/sessions") or []:
            if session.get("path") == path:
                return session
        return None

    def shutdown_notebook(self, path: str) -> None:
        """Shut down the kernel of a notebook (frees its memory; the next open starts a new one)."""
        session = self.session_for(path)
        if session is not None:
            self.api("DELETE", f"/api/sessions/{session['id']}")

    def kernel(self, kernel_id: str) -> Kernel:
        return Kernel(self.runtime_dir / f"kernel-{kernel_id}.json")

    # ------------------------------------------------------------------ notebooks
    def write_notebook(self, name: str, cells: list[str | tuple[str, str]]) -> Path:
        """Write NAME.ipynb into the server root: code cells from strings, ("markdown", text) for markdown."""
        import nbformat
        from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

        nb = new_notebook(metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
            "language_info": {"name": "python"},
        })
        for cell in cells:
            if isinstance(cell, tuple) and cell[0] == "markdown":
                nb.cells.append(new_markdown_cell(cell[1]))
            else:
                nb.cells.append(new_code_cell(cell if isinstance(cell, str) else cell[1]))
        path = self.root / f"{name}.ipynb"
        nbformat.write(nb, path)
        return path


class Notebook7(JupyterLab):
    """The same private server as Jupyter Notebook 7 (its own front end on JupyterLab's parts: the same
    `window.jupyterapp`, shell and notebook commands, one document per page)."""

    module = "notebook"
    app_class = "JupyterNotebookApp"
    notebook_url = "/notebooks/{path}"
    disabled_plugins: dict[str, bool] = {}

    def setting_overrides(self) -> dict[str, dict]:
        return {}  # Notebook 7 has no notification plugin: overriding its settings breaks the settings registry

    def front_end_options(self) -> list[str]:
        return []  # nor news feed, update check or extension manager switches


class Kernel:
    """A second client of a notebook's kernel (the same process the browser talks to), for reading values back."""

    def __init__(self, connection_file: Path) -> None:
        from jupyter_client import BlockingKernelClient

        wait_until(connection_file.exists, 30, f"the kernel's connection file {connection_file.name}")
        self.client = BlockingKernelClient(connection_file=str(connection_file))
        self.client.load_connection_file()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=60)

    def run(self, code: str, timeout: float = 60) -> str:
        """Run `code` in the kernel; what it printed. KernelError (with the traceback) if it raised."""
        out: list[str] = []
        errors: list[str] = []

        def hook(msg: dict) -> None:
            kind = msg["header"]["msg_type"]
            content = msg["content"]
            if kind == "stream":
                (out if content.get("name") == "stdout" else errors).append(content["text"])
            elif kind == "error":
                errors.append("\n".join(content.get("traceback") or [f"{content['ename']}: {content['evalue']}"]))

        try:
            reply = self.client.execute_interactive(code, output_hook=hook, timeout=timeout, allow_stdin=False,
                                                    store_history=False)
        except TimeoutError as exc:
            raise LabError(f"the kernel did not finish in {timeout} s:\n{code}") from exc
        if reply["content"]["status"] != "ok":
            raise KernelError(f"kernel error running:\n{code}\n{_strip_ansi(''.join(errors))}")
        return "".join(out)

    def value(self, expression: str, timeout: float = 60) -> Any:
        """The JSON value of a Python expression evaluated in the kernel."""
        text = self.run(f"import json as __j\nprint('\\x00' + __j.dumps({expression}, default=str))", timeout)
        return json.loads(text.rsplit("\x00", 1)[1])

    def close(self) -> None:
        try:
            self.client.stop_channels()
        except Exception:
            pass


def _strip_ansi(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


# ---------------------------------------------------------------------- browser

def launch_browser(playwright: Any, headless: bool = True) -> Any:
    if not Path(CHROMIUM).exists():
        raise LabError(f"{CHROMIUM} is missing: run `bash scripts/ensure-chromium.sh` (never `playwright install`)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=headless)


# JavaScript run in the page; `window.jupyterapp` exists because of --LabApp.expose_app_in_browser.
_JS_STATE = """
() => {
  const app = window.jupyterapp;
  const w = app && app.shell && app.shell.currentWidget;
  if (!w || !w.context) return null;
  const s = w.sessionContext;
  const kernel = s && s.session && s.session.kernel;
  const cells = w.content && w.content.model ? w.content.model.cells.length : 0;
  return {path: w.context.path, ready: w.context.isReady, cells,
          kernel: kernel ? kernel.status : null, kernelId: kernel ? kernel.id : null,
          connection: kernel ? kernel.connectionStatus : null};
}
"""

_JS_CELLS = """
() => {
  const w = window.jupyterapp.shell.currentWidget;
  const out = [];
  for (const cell of w.content.widgets) {
    const m = cell.model;
    out.push({type: m.type, count: m.type === 'code' ? m.executionCount : null,
              outputs: m.type === 'code' ? m.outputs.toJSON() : []});
  }
  return out;
}
"""

_JS_APPEND_AND_RUN = """
async (code) => {
  const app = window.jupyterapp;
  const panel = app.shell.currentWidget;
  const nb = panel.content;
  const index = nb.model.cells.length;
  nb.model.sharedModel.insertCell(index, {cell_type: 'code', source: code});
  nb.activeCellIndex = index;
  nb.mode = 'command';
  await app.commands.execute('notebook:run-cell');
  return index;
}
"""


class NotebookPage:
    """One notebook open in one page: open, run, add cells, read the kernel."""

    def __init__(self, page: Any, lab: JupyterLab, name: str) -> None:
        self.page = page
        self.lab = lab
        self.name = name
        self.path = f"{name}.ipynb"
        self._kernel: Kernel | None = None
        self.kernel_id: str | None = None

    # ------------------------------------------------------------------ opening
    def open(self, run_all: bool = True, timeout: float = NOTEBOOK_OPEN_S) -> NotebookPage:
        self.page.goto(self.lab.url + self.lab.notebook_url.format(path=self.path), wait_until="domcontentloaded",
                       timeout=timeout * 1000)
        self.wait_ready(timeout)
        if run_all:
            self.run_all()
        return self

    def state(self) -> dict | None:
        return self.page.evaluate(_JS_STATE)

    def wait_ready(self, timeout: float = NOTEBOOK_OPEN_S) -> dict:
        """Wait until the current widget is this notebook and its kernel is connected and idle."""
        self.page.wait_for_function(
            "(path) => { const app = window.jupyterapp; const w = app && app.shell && app.shell.currentWidget;"
            " const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;"
            " return !!(w && w.context && w.context.path === path && w.context.isReady && k"
            " && k.status === 'idle' && k.connectionStatus === 'connected'); }",
            arg=self.path, timeout=timeout * 1000, polling=200)
        state = self.state()
        if not state or state["path"] != self.path:
            raise LabError(f"the current widget is {state!r}, not {self.path}")
        if self.kernel_id != state["kernelId"]:
            self.close_kernel_client()
            self.kernel_id = state["kernelId"]
        return state

    # ------------------------------------------------------------------ running
    def cells(self) -> list[dict]:
        return self.page.evaluate(_JS_CELLS)

    def run_all(self, timeout: float = CELL_S) -> list[dict]:
        """Run every cell through JupyterLab ('Run All Cells') and wait for all of them; the cells' states."""
        self.page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        return self._wait_cells(lambda cells: all(c["count"] is not None for c in cells if c["type"] == "code"),
                                timeout)

    def run_cell(self, code: str, timeout: float = CELL_S) -> str:
        """Append a code cell, run it in JupyterLab like a user would, and return its text output (stdout and
        text/plain results). KernelError if it raised."""
        index = self.page.evaluate(_JS_APPEND_AND_RUN, code)
        cells = self._wait_cells(lambda cells: len(cells) > index and cells[index]["count"] is not None, timeout,
                                 only=index)
        return _text_of(cells[index]["outputs"])

    def _wait_cells(self, done: Callable[[list[dict]], bool], timeout: float, only: int | None = None) -> list[dict]:
        def finished() -> list[dict] | None:
            state = self.state()
            if not state or state["path"] != self.path:
                raise LabError(f"the notebook lost focus: {state!r}")
            cells = self.cells()
            if done(cells) and state["kernel"] == "idle":
                return cells
            return None

        cells = wait_until(finished, timeout, f"the cells of {self.path} to run", interval=0.25)
        chosen = cells if only is None else [cells[only]]
        for cell in chosen:
            for output in cell["outputs"]:
                if output.get("output_type") == "error":
                    trace = _strip_ansi("\n".join(output.get("traceback") or []))
                    raise KernelError(f"a cell of {self.path} raised:\n{trace}")
        return cells

    def save(self, timeout: float = 30) -> None:
        """Save the notebook (outputs and widget views included) and wait until it is clean."""
        self.page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
        self.page.wait_for_function(
            "() => { const w = window.jupyterapp.shell.currentWidget;"
            " return w && w.context && !w.context.model.dirty; }",
            timeout=timeout * 1000, polling=200)

    # ------------------------------------------------------------------ the kernel
    @property
    def kernel(self) -> Kernel:
        if self._kernel is None:
            if self.kernel_id is None:
                self.wait_ready()
            self._kernel = self.lab.kernel(self.kernel_id)
        return self._kernel

    def close_kernel_client(self) -> None:
        if self._kernel is not None:
            self._kernel.close()
            self._kernel = None

    def shutdown(self) -> None:
        """Close the side client and shut the notebook's kernel down."""
        self.close_kernel_client()
        try:
            self.lab.shutdown_notebook(self.path)
        except LabError:
            pass


def _text_of(outputs: list[dict]) -> str:
    parts = []
    for output in outputs:
        kind = output.get("output_type")
        if kind == "stream":
            text = output.get("text", "")
            parts.append("".join(text) if isinstance(text, list) else text)
        elif kind in ("execute_result", "display_data"):
            text = output.get("data", {}).get("text/plain", "")
            parts.append(("".join(text) if isinstance(text, list) else text) + "\n")
    return "".join(parts)
