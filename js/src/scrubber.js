// Scrubber: rendered frames, shown the moment they arrive; a large view, a slider and a filmstrip; play and pause at
// the project's fps, step frame by frame; send a frame or the video back as an input. Scrubbing and playback run in
// the browser from the frames it keeps (frames.js) and never call the kernel.

import { cleanupList, h } from "./dom.js";
import { frameStore } from "./frames.js";
import { getProject, watch } from "./model.js";
import { standaloneView } from "./root.js";
import { createFilmstrip } from "./filmstrip.js";
import { icon, setPlayIcon } from "./icons.js";
import { runCounts, staleFrames } from "./stale.js";
import { formatTime } from "./timeaxis.js";

const WAITING = {
  idle: "Press Render to make frames; they appear here as they finish.",
  loading: "Loading the pipeline… the first frame appears here when it is done.",
  rendering: "Rendering… the first frame appears here when it is done.",
};

export function mount(el, model, bus, { inputs = true, studio = false } = {}) {
  const cleanup = cleanupList();
  const store = frameStore(model);
  let follow = true; // show each new frame as it arrives, until the user takes over
  let aspect = 0; // width / height of the frames, once one has loaded

  const img = h("img", { class: "gw-frame-img", alt: "" });
  const empty = h("div", { class: "gw-stage-empty" });
  const stage = h("div", { class: "gw-stage", tabindex: 0, role: "img",
    "aria-label": "Current frame. Arrow keys step, Space plays." }, img, empty);
  const position = h("span", { class: "gw-readout gw-position" });
  const toImage = h("button", { class: "gw-btn", type: "button",
    title: "Use this frame as the initial image of the next render",
    onclick: () => model.send({ type: "send_frame_to_image", frame: bus.state.frame }) }, "Frame → image input");
  const toVideo = h("button", { class: "gw-btn", type: "button",
    title: "Use the finished animation as the video input of the next render",
    onclick: () => model.send({ type: "send_video_to_video" }) }, "Video → video input");
  const playButton = h("button", { class: "gw-btn gw-icon gw-play", type: "button", title: "Play / pause (Space)",
    "aria-label": "Play", onclick: () => userAction(() => bus.player.toggle()) }, icon("play"));
  const slider = h("input", { class: "gw-slider", type: "range", min: "0", max: "0", step: "1", value: "0",
    "aria-label": "Frame" });
  const strip = createFilmstrip({ store, onPick: (index) => userAction(() => bus.player.seek(index)) });
  const transport = h("div", { class: "gw-transport" },
    h("button", { class: "gw-btn gw-icon", type: "button", title: "Previous frame (←)", "aria-label": "Previous frame",
      onclick: () => userAction(() => bus.player.step(-1)) }, icon("prev")),
    playButton,
    h("button", { class: "gw-btn gw-icon", type: "button", title: "Next frame (→)", "aria-label": "Next frame",
      onclick: () => userAction(() => bus.player.step(1)) }, icon("next")),
    slider);
  const sendRow = inputs
    ? h("div", { class: "gw-row gw-send" }, h("span", { class: "gw-label" }, "Use as input:"), toImage, toVideo)
    : null;
  const section = h("div", { class: "gw-scrubber" },
    h("div", { class: "gw-toolbar" }, h("span", { class: "gw-title" }, "Frames"), h("span", { class: "gw-spacer" }),
      position),
    stage, transport, strip.el, sendRow);
  el.append(section);

  /** Frames to scrub over: the run's, or the project's when it has more (those show as not rendered yet). */
  function total() {
    const project = getProject(model);
    const planned = project?.keyframes?.length ? Math.max(...project.keyframes.map((k) => k.frame)) + 1 : 0;
    return Math.max(store.total, model.get("frame_count") ?? 0, planned);
  }

  /** A user's step, seek or play: stop following new frames, keep the keys on the stage, tell the kernel. */
  function userAction(fn) {
    follow = false;
    fn();
    stage.focus({ preventScroll: true });
    if (!bus.state.playing) syncModelFrame();
  }

  /** Width / height of the frames: the loaded image's, else the project's size, else square. */
  function frameAspect() {
    if (aspect) return aspect;
    const p = getProject(model);
    return p?.width && p?.height ? p.width / p.height : 1;
  }

  function show() {
    const n = total();
    const frame = Math.min(bus.state.frame, Math.max(0, n - 1));
    bus.state.lastFrame = Math.max(0, n - 1);
    bus.state.fps = getProject(model)?.fps || 10;
    const state = model.get("status")?.state ?? "idle";
    const url = store.get(frame);
    const waiting = store.count === 0; // nothing of this run yet: a short hint instead of an empty stage
    stage.classList.toggle("gw-waiting", waiting);
    section.style.setProperty("--gw-frame-aspect", String(frameAspect()));
    if (url) {
      if (img.getAttribute("src") !== url) img.src = url;
      img.hidden = false;
      empty.hidden = true;
    } else {
      img.hidden = true;
      empty.hidden = false;
      empty.textContent = waiting ? (studio ? WAITING[state] ?? WAITING.idle : "No frames to show yet.")
        : `Frame ${frame} is not rendered yet.`;
    }
    slider.max = String(Math.max(0, n - 1));
    slider.value = String(frame);
    slider.disabled = n <= 1;
    const fps = bus.state.fps;
    // The count is the run's, the status line's very numbers (the kernel's status): the scrub range may be longer
    // after an edit, and frames resent to a reloaded view may still be on their way.
    const counts = runCounts(model.get("status"));
    const done = counts.total ? counts.done : store.count;
    position.textContent = n
      ? `frame ${frame} · ${formatTime(frame / fps, 0.01)} · ${done} of ${counts.total || store.total || n} frames rendered`
      : "";
    Object.assign(section.dataset, { frame: String(frame), rendered: String(store.count), total: String(n),
      run: store.run ?? "" });
    toImage.disabled = !url;
    // In the studio the button needs this run's video (the `output` trait); alone, a finished run.
    toVideo.disabled = studio ? !model.get("output")?.byteLength : state !== "finished";

    transport.hidden = waiting;
    strip.el.hidden = waiting;
    if (sendRow) sendRow.hidden = waiting;
    strip.update({ current: frame, aspect: frameAspect(), coming: state === "rendering" ? counts.left : 0,
      stale: staleFrames(model) });
  }

  // Small frames (the embedded pipeline makes 64 px ones) look blurry scaled up smoothly: show their pixels.
  cleanup.listen(img, "load", () => {
    img.classList.toggle("gw-pixelated", img.naturalWidth > 0 && img.naturalWidth * 2.5 < stage.clientWidth);
    const loaded = img.naturalWidth && img.naturalHeight ? img.naturalWidth / img.naturalHeight : 0;
    if (loaded && loaded !== aspect) {
      aspect = loaded;
      show();
    }
  });

  // The kernel's frame trait follows user scrubbing (not every frame of playback, which stays in the browser).
  function syncModelFrame() {
    if (model.get("frame") !== bus.state.frame) {
      model.set("frame", bus.state.frame);
      model.save_changes();
    }
  }

  cleanup.listen(slider, "input", () => {
    follow = false;
    bus.player.seek(Number(slider.value));
  });
  cleanup.listen(slider, "change", syncModelFrame);
  cleanup.listen(stage, "keydown", (event) => {
    const keys = {
      ArrowLeft: () => bus.player.step(event.shiftKey ? -10 : -1),
      ArrowRight: () => bus.player.step(event.shiftKey ? 10 : 1),
      " ": () => bus.player.toggle(),
      Home: () => bus.player.seek(0),
      End: () => bus.player.seek(total() - 1),
    };
    if (!keys[event.key]) return;
    event.preventDefault();
    follow = false;
    keys[event.key]();
    if (!bus.state.playing) syncModelFrame();
  });
  cleanup.add(store.subscribe((event) => {
    if (event.kind === "run") {
      follow = true;
      aspect = 0;
    }
    if (event.kind === "frame" && follow && !bus.state.playing) bus.set("frame", event.index);
    show();
  }));
  cleanup.add(bus.on("frame", show));
  cleanup.add(bus.on("playing", (playing) => {
    setPlayIcon(playButton, playing);
    if (!playing) syncModelFrame();
  }));
  cleanup.add(watch(model, ["project", "frame_count", "status", "output", "stale_frames"], show));
  let resizePending = null;
  const resize = new ResizeObserver(() => {
    if (resizePending !== null) return;
    resizePending = requestAnimationFrame(() => {
      resizePending = null;
      strip.layout();
    });
  });
  resize.observe(strip.el);
  cleanup.add(() => {
    resize.disconnect();
    cancelAnimationFrame(resizePending);
    strip.dispose();
  });
  return () => {
    cleanup.run();
    section.remove();
  };
}

export default {
  render({ model, el }) {
    const { bus, body, cleanup, dispose } = standaloneView(el, model, "scrubber");
    cleanup.add(watch(model, ["frame"], () => {
      if (!bus.state.playing) bus.set("frame", model.get("frame") ?? 0);
    }));
    cleanup.add(mount(body, model, bus, { inputs: Boolean(model.get("project")) }));
    return dispose;
  },
};
