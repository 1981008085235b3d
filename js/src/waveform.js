// Waveform: the audio's peaks on the timeline's frame axis (same zoom and pan), onset markers of the project's audio
// component, click an onset to add a keyframe there, and playback of the audio with the playhead following it.

import { contentLength, fit, handleWheel, panBy, syncAxis, zoomBy } from "./axisview.js";
import { createCanvas, themeColors } from "./canvas.js";
import { cleanupList, h } from "./dom.js";
import { keyframeEditRefused } from "./edit-guard.js";
import { addKeyframe, findKeyframe } from "./keyframes.js";
import { blobUrl, getProject, onsetMarks, projectKeyframes, setKeyframes, setProjectField, terms, watch } from "./model.js";
import { icon, setPlayIcon } from "./icons.js";
import { standaloneView } from "./root.js";
import { formatTime, frameToX, timeTicks, xToFrame, xToNearestFrame } from "./timeaxis.js";

const HEIGHT = 84;
const RULER = 16;
const HIT_PX = 6;

/** Min and max of peak columns [c0, c1), for one pixel column. */
export function columnRange(peaks, c0, c1) {
  let lo = Infinity;
  let hi = -Infinity;
  for (let c = Math.max(0, c0); c < Math.min(peaks.min.length, c1); c += 1) {
    if (peaks.min[c] < lo) lo = peaks.min[c];
    if (peaks.max[c] > hi) hi = peaks.max[c];
  }
  return lo === Infinity ? null : [lo, hi];
}

export function mount(el, model, bus) {
  const cleanup = cleanupList();
  let peaks = null;
  let audioUrl = null;
  let hoverOnset = null; // the onset mark {time, frame} under the pointer
  let marks = []; // the project's audio component's onsets, each with the frame the kernel gives it
  let drag = null;

  const audio = h("audio", { preload: "auto" });
  const playButton = h("button", { class: "gw-btn gw-icon", type: "button", title: "Play the audio (Space)",
    "aria-label": "Play", onclick: () => bus.player?.toggle() }, icon("play"));
  const component = h("select", { class: "gw-input gw-select", "aria-label": "Onsets of" },
    terms(model, "audio_components").map((t) => h("option", { value: t.value, title: t.hint }, t.label)));
  const info = h("span", { class: "gw-count" });
  const readout = h("span", { class: "gw-readout", "data-readout": "waveform", "aria-label": "Waveform pointer" });
  const toolbar = h("div", { class: "gw-toolbar" },
    playButton, h("span", { class: "gw-title" }, "Audio"), info, readout,
    h("label", { class: "gw-inline-label" }, "Onsets ", component));
  const wrap = h("div", { class: "gw-canvas-wrap gw-wave-canvas" });
  const hint = h("div", { class: "gw-hint gw-caption" },
    "Click an onset marker to add a keyframe there · drag to pan · Space plays the audio");
  const section = h("div", { class: "gw-waveform" }, toolbar, wrap, hint, audio);
  el.append(section);

  const view = createCanvas(wrap, { height: HEIGHT, draw, className: "gw-canvas" });
  const canvas = view.canvas;
  canvas.tabIndex = 0;
  canvas.setAttribute("aria-label", "Audio waveform with onset markers");
  cleanup.add(() => view.dispose());
  view.onresize = (width) => syncAxis(bus, model, width);

  const fps = () => getProject(model)?.fps || 10;
  const updateMarks = () => {
    marks = onsetMarks(model, getProject(model)?.audio_component);
    if (hoverOnset && !marks.some((m) => m.time === hoverOnset.time)) hoverOnset = null;
  };

  function draw(ctx, width, height) {
    const c = themeColors(el);
    const axis = bus.state.axis;
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = c.bg;
    ctx.fillRect(0, 0, width, height);
    if (!axis || !peaks?.columns) return;
    const rate = fps();
    const mid = RULER + (height - RULER) / 2;
    const amp = (height - RULER) / 2 - 3;
    const perSecond = peaks.columns / peaks.duration;

    // Peaks: per pixel, the min and max of the peak columns it covers.
    ctx.fillStyle = c.wave;
    for (let x = 0; x < width; x += 1) {
      const t0 = xToFrame(axis, x) / rate;
      const t1 = xToFrame(axis, x + 1) / rate;
      if (t1 < 0 || t0 > peaks.duration) continue;
      const c0 = Math.floor(t0 * perSecond);
      const range = columnRange(peaks, c0, Math.max(c0 + 1, Math.ceil(t1 * perSecond)));
      if (!range) continue;
      const top = mid - Math.max(range[1], 0) * amp;
      const bottom = mid - Math.min(range[0], 0) * amp;
      ctx.fillRect(x, top, 1, Math.max(1, bottom - top));
    }
    ctx.strokeStyle = c.grid;
    ctx.beginPath();
    ctx.moveTo(0, mid + 0.5);
    ctx.lineTo(width, mid + 0.5);
    ctx.stroke();

    // Seconds along the top, so frames (timeline) and time (here) read side by side.
    const { step, ticks } = timeTicks(axis, rate);
    ctx.font = `10px ${c.font}`;
    ctx.textBaseline = "top";
    ctx.fillStyle = c.muted;
    ctx.strokeStyle = c.border;
    ctx.beginPath();
    for (const t of ticks) {
      const x = Math.round(frameToX(axis, t * rate)) + 0.5;
      ctx.moveTo(x, 0);
      ctx.lineTo(x, RULER - 4);
      ctx.fillText(formatTime(t, step), x + 3, 2);
    }
    ctx.stroke();

    // Keyframes as faint guides, onsets as markers.
    ctx.strokeStyle = c.accent;
    ctx.globalAlpha = 0.35;
    ctx.beginPath();
    for (const k of projectKeyframes(model)) {
      const x = Math.round(frameToX(axis, k.frame)) + 0.5;
      if (x < 0 || x > width) continue;
      ctx.moveTo(x, RULER);
      ctx.lineTo(x, height);
    }
    ctx.stroke();
    ctx.globalAlpha = 1;
    const keyframes = projectKeyframes(model);
    for (const mark of marks) {
      const x = Math.round(frameToX(axis, mark.time * rate)) + 0.5;
      if (x < -4 || x > width + 4) continue;
      const taken = Boolean(findKeyframe(keyframes, mark.frame));
      const hovered = hoverOnset?.time === mark.time;
      ctx.strokeStyle = c.onset;
      ctx.globalAlpha = hovered ? 1 : 0.6;
      ctx.lineWidth = hovered ? 2 : 1;
      ctx.beginPath();
      ctx.moveTo(x, RULER);
      ctx.lineTo(x, height);
      ctx.stroke();
      ctx.globalAlpha = 1;
      ctx.fillStyle = taken ? c.accent : c.onset;
      ctx.beginPath();
      ctx.moveTo(x - 4, RULER);
      ctx.lineTo(x + 4, RULER);
      ctx.lineTo(x, RULER + 6);
      ctx.closePath();
      ctx.fill();
    }
    ctx.lineWidth = 1;

    const ph = Math.round(frameToX(axis, bus.state.frame)) + 0.5;
    if (ph >= 0 && ph <= width) {
      ctx.strokeStyle = c.playhead;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(ph, 0);
      ctx.lineTo(ph, height);
      ctx.stroke();
      ctx.lineWidth = 1;
    }
  }

  const localX = (event) => event.clientX - canvas.getBoundingClientRect().left;

  function hitOnset(x) {
    const axis = bus.state.axis;
    if (!axis) return null;
    let best = null;
    let bestD = HIT_PX + 1;
    for (const mark of marks) {
      const d = Math.abs(frameToX(axis, mark.time * fps()) - x);
      if (d < bestD) {
        best = mark;
        bestD = d;
      }
    }
    return best;
  }

  /** A keyframe on an onset's frame (the kernel's: audio keyframes land on the same frames). */
  function addAtOnset({ frame }) {
    const keyframes = projectKeyframes(model);
    if (keyframeEditRefused(bus)) return;
    const next = addKeyframe(keyframes, frame);
    // An onset that already has a keyframe selects it instead.
    if (next !== keyframes) setKeyframes(model, next);
    bus.set("selected", frame);
    bus.emit("focus-editor");
  }

  cleanup.listen(canvas, "pointerdown", (event) => {
    if (event.button !== 0) return;
    canvas.setPointerCapture(event.pointerId);
    drag = { x0: localX(event), lastX: localX(event), moved: false };
  });
  cleanup.listen(canvas, "pointermove", (event) => {
    const x = localX(event);
    if (drag) {
      if (!drag.moved && Math.abs(x - drag.x0) < 3) return;
      drag.moved = true;
      panBy(bus, x - drag.lastX);
      drag.lastX = x;
      return;
    }
    const onset = hitOnset(x);
    if (onset?.time !== hoverOnset?.time) {
      hoverOnset = onset;
      view.requestDraw();
    }
    canvas.style.cursor = onset !== null ? "copy" : "default";
    const axis = bus.state.axis;
    if (!axis) return;
    readout.dataset.frame = String(onset !== null ? onset.frame : xToNearestFrame(axis, x));
    readout.textContent = onset !== null
      ? `onset at ${formatTime(onset.time, 0.01)} → add a keyframe at frame ${onset.frame}`
      : `${formatTime(Math.max(0, xToFrame(axis, x)) / fps(), 0.01)} · frame ${xToNearestFrame(axis, x)}`;
  });
  cleanup.listen(canvas, "pointerup", (event) => {
    const d = drag;
    drag = null;
    if (!d || d.moved) return;
    const x = localX(event);
    const onset = hitOnset(x);
    if (onset !== null) addAtOnset(onset);
    else if (bus.state.axis) {
      bus.player?.seek(xToNearestFrame(bus.state.axis, x));
      model.set("frame", bus.state.frame);
      model.save_changes();
    }
  });
  cleanup.listen(canvas, "pointercancel", () => { drag = null; });
  cleanup.listen(canvas, "pointerleave", () => {
    hoverOnset = null;
    readout.textContent = "";
    readout.dataset.frame = "";
    view.requestDraw();
  });
  cleanup.listen(canvas, "wheel", (event) => handleWheel(bus, event, localX(event)), { passive: false });
  cleanup.listen(canvas, "keydown", (event) => {
    if (event.key === " ") {
      event.preventDefault();
      bus.player?.toggle();
    } else if (event.key === "+" || event.key === "=") zoomBy(bus, 1.5);
    else if (event.key === "-") zoomBy(bus, 1 / 1.5);
    else if (event.key === "0") fit(bus);
  });
  cleanup.listen(component, "change", () => setProjectField(model, "audio_component", component.value));

  // The audio element leads playback while it can (see player.js).
  const clock = {
    ready: () => Boolean(audioUrl) && audio.readyState >= 2 && !audio.ended
      && audio.currentTime < (audio.duration || Infinity) - 0.01,
    play: (seconds) => {
      if (!audioUrl) return;
      audio.currentTime = Math.min(seconds, audio.duration || seconds);
      audio.play().catch(() => {}); // a browser may refuse before a user gesture; frames still play
    },
    pause: () => audio.pause(),
    seconds: () => audio.currentTime,
  };
  bus.state.clock = clock;
  cleanup.add(() => {
    if (bus.state.clock === clock) bus.state.clock = null;
    audio.pause();
  });

  function loadAudio() {
    if (audioUrl) URL.revokeObjectURL(audioUrl);
    audioUrl = blobUrl(model.get("audio"), model.get("audio_mime") || "audio/wav");
    if (audioUrl) audio.src = audioUrl;
    else audio.removeAttribute("src");
    playButton.disabled = !audioUrl && !peaks;
  }
  cleanup.add(() => audioUrl && URL.revokeObjectURL(audioUrl));

  cleanup.add(watch(model, ["peaks"], () => {
    const p = model.get("peaks");
    peaks = p?.columns ? p : null;
    section.hidden = !peaks;
    el.classList.toggle("gw-has-audio", Boolean(peaks));
    info.textContent = peaks ? formatTime(peaks.duration, 0.1) : "";
    bus.set("audioFrames", peaks ? Math.ceil(peaks.duration * fps()) : 0);
    syncAxis(bus, model, view.width);
    view.requestDraw();
  }));
  cleanup.add(watch(model, ["audio", "audio_mime"], loadAudio));
  cleanup.add(watch(model, ["onsets"], () => {
    updateMarks();
    view.requestDraw();
  }));
  cleanup.add(watch(model, ["project"], () => {
    updateMarks();
    const p = getProject(model);
    if (p && component.value !== p.audio_component) component.value = p.audio_component;
    if (peaks) bus.set("audioFrames", Math.ceil(peaks.duration * fps()));
    syncAxis(bus, model, view.width);
    view.requestDraw();
  }));
  for (const event of ["axis", "frame"]) cleanup.add(bus.on(event, () => view.requestDraw()));
  cleanup.add(bus.on("playing", (playing) => {
    setPlayIcon(playButton, playing);
  }));
  return () => {
    cleanup.run();
    section.remove();
  };
}

export default {
  render({ model, el }) {
    const { bus, body, cleanup, dispose } = standaloneView(el, model, "waveform");
    cleanup.add(watch(model, ["peaks", "project"], () => {
      const peaks = model.get("peaks");
      const fps = getProject(model)?.fps || 10;
      bus.state.fps = fps;
      bus.state.lastFrame = Math.max(0, peaks?.duration ? Math.ceil(peaks.duration * fps) - 1 : 0,
        contentLength(getProject(model), bus) - 1);
    }));
    cleanup.add(watch(model, ["frame"], () => bus.set("frame", model.get("frame") ?? 0)));
    cleanup.add(mount(body, model, bus));
    const empty = h("div", { class: "gw-empty" }, "No audio yet: give Waveform(audio=path) a file.");
    body.append(empty);
    cleanup.add(watch(model, ["peaks"], () => { empty.hidden = Boolean(model.get("peaks")?.columns); }));
    return dispose;
  },
};
