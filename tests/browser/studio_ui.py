"""The Studio panel as the browser tests and the screenshot script see it: where things are and how to read them.

Selectors prefer roles, labels and the data-* hooks the front end keeps current: data-widget on each panel's root
(root.js); data-frame, data-rendered, data-total and data-run on the scrubber (scrubber.js); the timeline canvas's
frame <-> x mapping, data-origin-x and data-px-per-frame (timeline.js); data-readout on the hover readouts. Class
names only where nothing better exists.
"""

from __future__ import annotations

import re
from typing import Any

STUDIO_CELL = (
    "from giffusion_widgets import Studio, Project, Keyframe\n"
    "studio = Studio(project=Project(keyframes=[Keyframe(0,'a red circle'), Keyframe(8,'a blue square')], "
    "height=64, width=64, num_inference_steps=2, batch_size=4))\n"
    "studio"
)

# The position line a person reads, "frame 3 · 0.30 s · 9 of 9 frames rendered" (scrubber.js show())
_POSITION = re.compile(r"frame (\d+) · .*?(\d+) of (\d+) frames rendered")
TRACK_Y = 50  # px from the top of the timeline canvas to the keyframe track (timeline.js TRACK_MID)

# The scrubber's state from its data-* hooks, as {frame, last, rendered, total}.
_SCRUBBER_STATE_JS = """(el) => { const d = el.dataset; if (d.total === undefined) return null;
  return {frame: +d.frame, last: +d.total - 1, rendered: +d.rendered, total: +d.total}; }"""

# Records what the panel shows while a render runs: every change of the scrubber's state and position line, the
# progress bar and the status words, with the frames the scrubber's image showed. Read back with `recorded()`.
_RECORDER = """
(root) => {
  const log = [];
  const snap = () => {
    const scrubber = root.querySelector('.gw-scrubber');
    const pos = root.querySelector('.gw-scrubber .gw-position');
    const bar = root.querySelector('[role=progressbar]');
    const words = root.querySelector('.gw-status');
    const img = root.querySelector('.gw-scrubber img.gw-frame-img');
    log.push({
      t: performance.now(),
      run: scrubber ? scrubber.dataset.run : null,
      rendered: scrubber ? Number(scrubber.dataset.rendered) : null,
      position: pos ? pos.textContent : '',
      now: bar ? Number(bar.getAttribute('aria-valuenow')) : null,
      max: bar ? Number(bar.getAttribute('aria-valuemax')) : null,
      width: bar && bar.firstElementChild ? bar.firstElementChild.style.width : '',
      state: words ? words.dataset.state : null,
      words: words ? words.textContent : '',
      img: img && !img.hidden ? img.getAttribute('src') : null,
    });
  };
  const observer = new MutationObserver(snap);
  observer.observe(root, {subtree: true, childList: true, characterData: true, attributes: true,
                          attributeFilter: ['aria-valuenow', 'style', 'data-state', 'src', 'hidden', 'data-run',
                                            'data-rendered', 'data-frame', 'data-total']});
  snap();
  window.__gwRecorder = {log, stop: () => observer.disconnect()};
}
"""


def parse_position(text: str) -> dict | None:
    """{frame, last, rendered, total} from the position line's words (for logs of what a person saw)."""
    m = _POSITION.search(text or "")
    if not m:
        return None
    frame, rendered, total = map(int, m.groups())
    return {"frame": frame, "last": total - 1, "rendered": rendered, "total": total}


class StudioUI:
    """Locators and readings of the first Studio panel on a page."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.root = page.locator(".gw-root[data-widget=studio]").first

    # ------------------------------------------------------------------ parts
    @property
    def render_button(self) -> Any:
        return self.root.get_by_role("button", name="Render", exact=True)

    @property
    def cancel_button(self) -> Any:
        return self.root.get_by_role("button", name="Cancel", exact=True)

    @property
    def progress(self) -> Any:
        return self.root.get_by_role("progressbar")

    @property
    def status_words(self) -> Any:
        return self.root.locator(".gw-status")

    @property
    def error_banner(self) -> Any:
        return self.root.locator(".gw-error[role=alert]")

    @property
    def timeline(self) -> Any:
        return self.root.get_by_role("application", name=re.compile("Keyframe timeline"))

    @property
    def timeline_readout(self) -> Any:
        """What the timeline says about the frame under the pointer (data-frame holds the number)."""
        return self.root.locator("[data-readout=timeline]")

    @property
    def prompt_editor(self) -> Any:
        return self.root.get_by_label("Prompt", exact=True)

    @property
    def text_view(self) -> Any:
        return self.root.get_by_label("Prompts as text")

    @property
    def text_status(self) -> Any:
        return self.root.locator(".gw-text-status")

    @property
    def scrubber(self) -> Any:
        return self.root.locator(".gw-scrubber")

    @property
    def stage(self) -> Any:
        """The large view of the current frame (focusable: arrows step, Space plays, Home/End jump)."""
        return self.scrubber.get_by_role("img", name=re.compile("Current frame"))

    @property
    def position(self) -> Any:
        return self.scrubber.locator(".gw-position")

    @property
    def frame_image(self) -> Any:
        return self.scrubber.locator("img.gw-frame-img")

    @property
    def output_image(self) -> Any:
        return self.root.locator(".gw-output img")

    def button(self, name: str, exact: bool = True) -> Any:
        return self.root.get_by_role("button", name=name, exact=exact)

    def field(self, label: str) -> Any:
        return self.root.get_by_label(label, exact=True)

    # ------------------------------------------------------------------ waiting
    def wait_shown(self, timeout: float = 120) -> StudioUI:
        """Wait until the panel is drawn: the timeline canvas and the text view hold the project."""
        self.root.wait_for(state="visible", timeout=timeout * 1000)
        self.timeline.wait_for(state="visible", timeout=timeout * 1000)
        self.page.wait_for_function(
            "(root) => { const t = root.querySelector('textarea.gw-code'); return t && t.value.trim().length > 0; }",
            arg=self.root.element_handle(), timeout=timeout * 1000, polling=200)
        return self

    def wait_state(self, *states: str, timeout: float = 120) -> str:
        """Wait until the status words' data-state is one of `states`; return it."""
        self.page.wait_for_function(
            "([el, states]) => states.includes(el.dataset.state)",
            arg=[self.status_words.element_handle(), list(states)], timeout=timeout * 1000, polling=100)
        return self.status_words.get_attribute("data-state")

    def wait_position(self, predicate_js: str, timeout: float = 120) -> dict:
        """Wait until the scrubber's state satisfies `predicate_js` (a JS expression over p = {frame, last,
        rendered, total}); return the state."""
        self.page.wait_for_function(
            f"([el, body]) => {{ const p = ({_SCRUBBER_STATE_JS})(el); if (!p) return false;"
            " return Function('p', 'return (' + body + ');')(p); }",
            arg=[self.scrubber.element_handle(), predicate_js], timeout=timeout * 1000, polling=100)
        return self.scrubber_state()

    # ------------------------------------------------------------------ reading
    def scrubber_state(self) -> dict | None:
        return self.scrubber.evaluate(_SCRUBBER_STATE_JS)

    def text(self) -> str:
        return self.text_view.input_value()

    def timeline_view(self) -> dict:
        """The timeline's frame <-> x mapping as its canvas states it, once the frame being drawn is done:
        {start, end, px_per_frame, origin_x} (x in CSS px from the canvas's left edge)."""
        return self.timeline.evaluate(
            """(canvas) => new Promise((done) => requestAnimationFrame(() => { const d = canvas.dataset;
                done({start: +d.viewStart, end: +d.viewEnd, px_per_frame: +d.pxPerFrame, origin_x: +d.originX}); }))""")

    def timeline_frame_at(self, x: float) -> int:
        """The whole frame nearest x (canvas pixels) on the timeline."""
        view = self.timeline_view()
        return max(0, round((x - view["origin_x"]) / view["px_per_frame"]))

    def timeline_x_of(self, frame: int) -> float:
        """The x on the timeline canvas of `frame`, which must be in view."""
        view = self.timeline_view()
        if not view["start"] <= frame <= view["end"]:
            raise AssertionError(f"frame {frame} is not on the visible timeline ({view})")
        return view["origin_x"] + frame * view["px_per_frame"]

    def start_recording(self) -> None:
        self.page.evaluate(_RECORDER, self.root.element_handle())

    def wait_new_run(self, rendered: int, timeout: float = 120) -> None:
        """After `start_recording()` and a click on Render: wait until the scrubber holds a run other than the one
        it held when recording started, with `rendered` frames of it."""
        self.page.wait_for_function(
            """(n) => { const r = window.__gwRecorder; if (!r || !r.log.length) return false;
                const first = r.log[0].run;
                return r.log.some((e) => e.run !== first && e.rendered >= n); }""",
            arg=rendered, timeout=timeout * 1000, polling=100)

    def recorded(self) -> list[dict]:
        return self.page.evaluate("() => { const r = window.__gwRecorder; if (!r) return []; r.stop();"
                                  " return r.log; }")

    def image_bytes(self, locator: Any) -> bytes:
        """The bytes behind an <img>'s (blob) URL, fetched inside the page."""
        data = self.page.evaluate(
            "async (img) => { const r = await fetch(img.src);"
            " return Array.from(new Uint8Array(await r.arrayBuffer())); }",
            locator.element_handle())
        return bytes(data)

    def image_loaded(self, locator: Any) -> dict:
        return self.page.evaluate(
            "(img) => ({complete: img.complete, width: img.naturalWidth, height: img.naturalHeight, src: img.src})",
            locator.element_handle())
