// Timeline: the animation's frames on a horizontal axis, keyframes as markers, a playhead; below it an editor for
// the selected keyframe and the same keyframes as text. Standalone it is the Timeline widget; the studio mounts it
// with the waveform between the axis and the editors.

import { beatGrid, beatSuffix, drawBeatGrid, rulerTicks, snapFrame } from "./beat-grid.js";
import { contentLength, fit, handleWheel, panBy, syncAxis, zoomBy } from "./axisview.js";
import { createCanvas, themeColors } from "./canvas.js";
import { cleanupList, h } from "./dom.js";
import { keyframeEditRefused } from "./edit-guard.js";
import { frameStore } from "./frames.js";
import { mountKeyframeEditor } from "./keyframe-editor.js";
import {
  addKeyframe, dragTarget, isFree, lowerBound, moveKeyframe, nearestKeyframe, removeKeyframe,
} from "./keyframes.js";
import { getProject, projectKeyframes, setKeyframes, watch } from "./model.js";
import { mountPromptText } from "./prompt-text.js";
import { standaloneView } from "./root.js";
import { rangesText, staleFrames } from "./stale.js";
import { formatTime, frameToX, visibleFrames, xToFrame, xToNearestFrame } from "./timeaxis.js";
import { countOf } from "./words.js";

const RULER = 22;
const TRACK_MID = 50;
const HEIGHT = 92;
const HIT_PX = 7;
const DRAG_START_PX = 3;
const LABEL_FONT_PX = 11;
const LABEL_GAP = 11; // from a marker's centre to its label
const LABEL_ROOM = 22; // pixels a label leaves free before the next marker

/** A small framed picture (a hill under a sun) above an image keyframe's marker. */
function pictureBadge(ctx, x, y, c) {
  const w = 12;
  const top = y - 5;
  ctx.fillStyle = c.bg;
  ctx.strokeStyle = c.accent;
  ctx.lineWidth = 1;
  ctx.fillRect(x - w / 2, top, w, 10);
  ctx.strokeRect(x - w / 2 + 0.5, top + 0.5, w - 1, 9);
  ctx.fillStyle = c.accent;
  ctx.beginPath();
  ctx.moveTo(x - 4, top + 8);
  ctx.lineTo(x - 1, top + 4);
  ctx.lineTo(x + 4, top + 8);
  ctx.closePath();
  ctx.fill();
  ctx.fillRect(x + 1.5, top + 2, 2, 2);
}

/** A diagonal hatch in `color`, for the rendered bar where the frames are stale. */
function hatch(ctx, color, under) {
  const tile = document.createElement("canvas");
  tile.width = tile.height = 4;
  const t = tile.getContext("2d");
  t.fillStyle = under;
  t.fillRect(0, 0, 4, 4);
  t.strokeStyle = color;
  t.lineWidth = 1.5;
  t.beginPath();
  t.moveTo(-1, 5);
  t.lineTo(5, -1);
  t.stroke();
  return ctx.createPattern(tile, "repeat");
}

/** The rendered frames of `store` that are stale, as ranges: what the bar draws hatched. */
export function staleShown(store, marks) {
  const out = [];
  for (let f = 0; f < store.urls.length; f += 1) {
    if (!store.urls[f] || !marks.has(f)) continue;
    const last = out[out.length - 1];
    if (last && last[1] === f - 1) last[1] = f;
    else out.push([f, f]);
  }
  return out;
}

/** The axis canvas alone (markers, playhead, ruler) with its toolbar. */
export function mountTimelineAxis(el, model, bus, { afterCanvas = null } = {}) {
  const cleanup = cleanupList();
  const store = model.get("run_id") !== undefined ? frameStore(model) : null;
  let keyframes = projectKeyframes(model);
  let hover = null; // {frame, keyframe}
  let drag = null; // {from, current, x0, moved} | {pan: true, x0, lastX, moved}

  // The frame under the pointer; data-frame holds it as a number (empty when the pointer is elsewhere).
  const readout = h("span", { class: "gw-readout", "data-readout": "timeline", "aria-label": "Timeline pointer" });
  const count = h("span", { class: "gw-count" });
  const addButton = h("button", {
    class: "gw-btn", type: "button", title: "Add a keyframe at the playhead (or a second after the last one)",
    onclick: () => addAtPlayhead(),
  }, "+ Add keyframe");
  const toolbar = h("div", { class: "gw-toolbar" },
    h("span", { class: "gw-title" }, "Keyframes"), count, readout, addButton,
    h("span", { class: "gw-btn-group", role: "group", "aria-label": "Zoom" },
      h("button", { class: "gw-btn gw-icon", type: "button", title: "Zoom out", "aria-label": "Zoom out",
        onclick: () => zoomBy(bus, 1 / 1.5) }, "−"),
      h("button", { class: "gw-btn gw-icon", type: "button", title: "Zoom in", "aria-label": "Zoom in",
        onclick: () => zoomBy(bus, 1.5) }, "+"),
      h("button", { class: "gw-btn", type: "button", title: "Show the whole animation", onclick: () => fit(bus) },
        "Fit")));
  const wrap = h("div", { class: "gw-canvas-wrap gw-timeline-canvas" });
  // Under the canvas, not in the toolbar: there it would compete with the readout for room.
  const hint = h("div", { class: "gw-hint gw-caption" }, "Double-click to add a keyframe · drag a marker to move it · "
    + "Delete removes the selected one · Ctrl+wheel zooms, Shift+wheel pans");
  el.append(toolbar, wrap, hint);
  if (afterCanvas) el.append(afterCanvas);

  const view = createCanvas(wrap, { height: HEIGHT, draw, className: "gw-canvas" });
  const canvas = view.canvas;
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "application");
  canvas.setAttribute("aria-label",
    "Keyframe timeline. Arrow keys move the playhead, Delete removes the selected keyframe, plus and minus zoom.");
  cleanup.add(() => view.dispose());
  view.onresize = (width) => syncAxis(bus, model, width);
  const refreshAxis = () => syncAxis(bus, model, view.width, lastLabelPx());

  /** Pixels the last keyframe's label needs right of its marker: the fitted axis keeps them free. */
  function lastLabelPx() {
    const last = keyframes[keyframes.length - 1];
    if (!last) return 0;
    const ctx = view.ctx;
    ctx.save();
    ctx.font = `${LABEL_FONT_PX}px ${themeColors(el).font}`;
    const width = ctx.measureText(last.prompt).width;
    ctx.restore();
    return Math.ceil(width) + LABEL_ROOM + 2;
  }

  // The frame <-> pixel mapping as data attributes, for tests and tools that point at frames:
  // x (CSS px from the canvas's left edge) = data-origin-x + frame * data-px-per-frame.
  function exposeAxis(axis) {
    if (!axis) return;
    const attrs = {
      viewStart: axis.start.toFixed(4), viewEnd: xToFrame(axis, axis.width).toFixed(4),
      pxPerFrame: axis.pxPerFrame.toFixed(6), originX: frameToX(axis, 0).toFixed(3),
    };
    const grid = beatGrid(getProject(model)); // for tests: where the beat lines are
    attrs.framesPerBeat = grid ? grid.framesPerBeat.toFixed(6) : "";
    attrs.unit = rulerTicks(axis, getProject(model)).unit;
    for (const [key, value] of Object.entries(attrs)) if (canvas.dataset[key] !== value) canvas.dataset[key] = value;
  }

  function shownKeyframes() {
    if (!drag || drag.pan || drag.current === drag.from) return keyframes;
    return moveKeyframe(keyframes, drag.from, drag.current);
  }

  function draw(ctx, width, height) {
    const axis = bus.state.axis;
    const c = themeColors(el);
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = c.bg;
    ctx.fillRect(0, 0, width, height);
    if (!axis) return;
    const { first, last } = visibleFrames(axis);
    const px = axis.pxPerFrame;

    // The frames the animation has, and (in the studio) the ones already rendered: green, hatched grey where the
    // current settings would re-render them (stale_frames).
    const contentEnd = Math.max(0, ...keyframes.map((k) => k.frame));
    ctx.fillStyle = c.bg2;
    const x0 = Math.max(0, frameToX(axis, -0.5));
    ctx.fillRect(x0, RULER, Math.max(0, frameToX(axis, contentEnd + 0.5) - x0), height - RULER);
    if (store?.count) {
      const marks = staleFrames(model);
      const stalePattern = marks.stale.length ? hatch(ctx, c.muted, c.grid) : null;
      const step = Math.max(1, Math.floor(1 / px));
      for (let f = first; f <= last; f += step) {
        if (!store.has(f)) continue;
        ctx.fillStyle = marks.has(f) ? stalePattern : c.done;
        ctx.fillRect(frameToX(axis, f - 0.5), height - 4, Math.max(1, px * step), 4);
      }
    }

    // The beat grid (a tempo set): beat and bar lines under the ruler.
    drawBeatGrid(ctx, axis, getProject(model), c, RULER, height, frameToX);

    // Ruler: a label every few frames, a tick per frame when zoomed in far enough.
    ctx.fillStyle = c.muted;
    ctx.strokeStyle = c.border;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(0, RULER + 0.5);
    ctx.lineTo(width, RULER + 0.5);
    ctx.stroke();
    if (px >= 6) {
      ctx.strokeStyle = c.grid;
      ctx.beginPath();
      for (let f = first; f <= last; f += 1) {
        const x = Math.round(frameToX(axis, f)) + 0.5;
        ctx.moveTo(x, RULER - 4);
        ctx.lineTo(x, RULER);
      }
      ctx.stroke();
    }
    // labelled in the project's keyframe unit: frames, seconds or bar.beat (beat-grid.js)
    const { ticks } = rulerTicks(axis, getProject(model));
    ctx.font = `10px ${c.font}`;
    ctx.textBaseline = "top";
    ctx.strokeStyle = c.border;
    ctx.beginPath();
    for (const tick of ticks) {
      const x = Math.round(frameToX(axis, tick.frame)) + 0.5;
      ctx.moveTo(x, RULER - 8);
      ctx.lineTo(x, height);
      ctx.fillText(tick.label, x + 3, 4);
    }
    ctx.globalAlpha = 0.35;
    ctx.stroke();
    ctx.globalAlpha = 1;

    // Interpolation spans between keyframes, then the markers and their prompts.
    const shown = shownKeyframes();
    const from = Math.max(0, lowerBound(shown, first) - 1);
    const to = Math.min(shown.length, lowerBound(shown, last + 1) + 1);
    ctx.strokeStyle = c.accent;
    ctx.globalAlpha = 0.45;
    ctx.lineWidth = 2;
    ctx.beginPath();
    for (let i = Math.max(from, 0); i < to - 1; i += 1) {
      ctx.moveTo(frameToX(axis, shown[i].frame), TRACK_MID);
      ctx.lineTo(frameToX(axis, shown[i + 1].frame), TRACK_MID);
    }
    ctx.stroke();
    ctx.globalAlpha = 1;
    ctx.lineWidth = 1;

    // The hover guide and the playhead's line go under the markers, so a marker on the playhead stays visible.
    if (hover && !drag) {
      const x = Math.round(frameToX(axis, hover.frame)) + 0.5;
      ctx.strokeStyle = c.faint;
      ctx.setLineDash([3, 3]);
      ctx.beginPath();
      ctx.moveTo(x, RULER);
      ctx.lineTo(x, height);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    const ph = Math.round(frameToX(axis, bus.state.frame)) + 0.5;
    const playheadShown = ph >= -1 && ph <= width + 1;
    if (playheadShown) {
      ctx.strokeStyle = c.playhead;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(ph, 6);
      ctx.lineTo(ph, height);
      ctx.stroke();
      ctx.lineWidth = 1;
    }

    ctx.font = `${LABEL_FONT_PX}px ${c.font}`;
    ctx.textBaseline = "middle";
    const dragged = drag && !drag.pan ? drag.current : null;
    for (let i = from; i < to; i += 1) {
      const k = shown[i];
      const x = frameToX(axis, k.frame);
      const selected = k.frame === bus.state.selected || k.frame === dragged;
      const hovered = hover?.keyframe?.frame === k.frame;
      diamond(ctx, x, TRACK_MID, selected ? 8 : hovered ? 7 : 6);
      ctx.fillStyle = selected ? c.accent : c.bg;
      ctx.fill();
      ctx.strokeStyle = c.accent;
      ctx.lineWidth = selected || hovered ? 2 : 1.5;
      ctx.stroke();
      ctx.lineWidth = 1;
      if (k.image) pictureBadge(ctx, x, TRACK_MID - 15, c); // an image keyframe: its frames start from a picture
      const next = shown[i + 1];
      const room = (next ? frameToX(axis, next.frame) : width) - x - LABEL_ROOM;
      if (room > 24) {
        ctx.fillStyle = selected ? c.fg : c.muted;
        ctx.fillText(fitText(ctx, k.prompt, room), x + LABEL_GAP, TRACK_MID + 1);
      }
      if (room > 24 || selected) {
        ctx.fillStyle = c.faint;
        ctx.font = `10px ${c.font}`;
        ctx.fillText(String(k.frame), x - 4, TRACK_MID + 20);
        ctx.font = `${LABEL_FONT_PX}px ${c.font}`;
      }
    }

    // The playhead's handle in the ruler, above everything.
    if (playheadShown) {
      ctx.fillStyle = c.playhead;
      ctx.beginPath();
      ctx.moveTo(ph - 5, 0);
      ctx.lineTo(ph + 5, 0);
      ctx.lineTo(ph, 7);
      ctx.closePath();
      ctx.fill();
      ctx.lineWidth = 1;
    }
  }

  // ------------------------------------------------------------------ interaction
  const localX = (event) => event.clientX - canvas.getBoundingClientRect().left;

  function hitKeyframe(x) {
    const axis = bus.state.axis;
    if (!axis) return null;
    const k = nearestKeyframe(keyframes, xToFrame(axis, x), HIT_PX / axis.pxPerFrame);
    return k;
  }

  function setReadout(frame, keyframe) {
    const fps = getProject(model)?.fps || 10;
    readout.dataset.frame = frame === null ? "" : String(frame);
    if (frame === null) {
      readout.textContent = "";
      return;
    }
    readout.textContent = keyframe
      ? `frame ${keyframe.frame} · ${formatTime(keyframe.frame / fps, 0.01)} · “${keyframe.prompt}”`
      : `frame ${frame} · ${formatTime(frame / fps, 0.01)}${beatSuffix(frame, getProject(model))}`;
  }

  cleanup.listen(canvas, "pointerdown", (event) => {
    if (event.button !== 0) return;
    canvas.focus({ preventScroll: true });
    canvas.setPointerCapture(event.pointerId);
    const x = localX(event);
    const k = hitKeyframe(x);
    if (k) {
      bus.set("selected", k.frame);
      drag = { from: k.frame, current: k.frame, x0: x, moved: false };
    } else {
      drag = { pan: true, x0: x, lastX: x, moved: false };
    }
    view.requestDraw();
  });

  cleanup.listen(canvas, "pointermove", (event) => {
    const x = localX(event);
    const axis = bus.state.axis;
    if (!axis) return;
    if (drag) {
      if (!drag.moved && Math.abs(x - drag.x0) < DRAG_START_PX) return;
      drag.moved = true;
      if (drag.pan) {
        panBy(bus, x - drag.lastX);
        drag.lastX = x;
        canvas.style.cursor = "grabbing";
      } else {
        // with a tempo set, onto the nearest beat unless Alt is held (beat-grid.js); a keyframe stops short of
        // its neighbours rather than jump over them (keyframes.js)
        const target = snapFrame(xToNearestFrame(axis, x), getProject(model), event.altKey);
        drag.current = dragTarget(keyframes, drag.from, target);
        setReadout(drag.current, null);
        view.requestDraw();
      }
      return;
    }
    const k = hitKeyframe(x);
    const frame = xToNearestFrame(axis, x);
    hover = { frame, keyframe: k };
    canvas.style.cursor = k ? "grab" : "default";
    setReadout(frame, k);
    view.requestDraw();
  });

  const endDrag = (event, cancelled = false) => {
    if (!drag) return;
    const d = drag;
    drag = null;
    canvas.style.cursor = "default";
    if (!cancelled) {
      if (d.pan && !d.moved) seek(xToNearestFrame(bus.state.axis, localX(event)));
      else if (!d.pan && d.moved && d.current !== d.from && !keyframeEditRefused(bus)) {
        const next = moveKeyframe(keyframes, d.from, d.current);
        if (next !== keyframes) {
          keyframes = next;
          bus.set("selected", d.current);
          setKeyframes(model, next);
        }
      }
    }
    view.requestDraw();
  };
  cleanup.listen(canvas, "pointerup", (event) => endDrag(event));
  cleanup.listen(canvas, "pointercancel", (event) => endDrag(event, true));
  cleanup.listen(canvas, "pointerleave", () => {
    hover = null;
    if (!drag) setReadout(null);
    view.requestDraw();
  });

  cleanup.listen(canvas, "dblclick", (event) => {
    const x = localX(event);
    const existing = hitKeyframe(x);
    if (existing) {
      bus.set("selected", existing.frame);
      bus.emit("focus-editor");
      return;
    }
    add(xToNearestFrame(bus.state.axis, x));
  });

  cleanup.listen(canvas, "wheel", (event) => handleWheel(bus, event, localX(event)), { passive: false });

  cleanup.listen(canvas, "keydown", (event) => {
    const key = event.key;
    if ((key === "Delete" || key === "Backspace") && bus.state.selected !== null) {
      event.preventDefault();
      removeSelected();
    } else if (key === "ArrowLeft" || key === "ArrowRight") {
      event.preventDefault();
      const step = (event.shiftKey ? 10 : 1) * (key === "ArrowLeft" ? -1 : 1);
      seek(Math.max(0, bus.state.frame + step));
    } else if (key === "+" || key === "=") {
      zoomBy(bus, 1.5);
    } else if (key === "-" || key === "_") {
      zoomBy(bus, 1 / 1.5);
    } else if (key === "Enter" && bus.state.selected !== null) {
      event.preventDefault();
      bus.emit("focus-editor");
    } else if (key === "Escape") {
      bus.set("selected", null);
    }
  });

  function seek(frame) {
    if (bus.player) bus.player.seek(frame);
    else bus.set("frame", frame);
    model.set("frame", bus.state.frame);
    model.save_changes();
  }

  function add(frame) {
    if (keyframeEditRefused(bus)) return;
    const next = addKeyframe(keyframes, frame);
    if (next === keyframes) return;
    keyframes = next;
    setKeyframes(model, next);
    // A keyframe past the end makes the animation longer: the playhead may now go there, and follows it.
    bus.state.lastFrame = Math.max(bus.state.lastFrame, frame);
    seek(frame);
    bus.set("selected", frame);
    bus.emit("focus-editor");
  }

  function addAtPlayhead() {
    const playhead = bus.state.frame;
    if (isFree(keyframes, playhead)) return add(playhead);
    const fps = getProject(model)?.fps || 10;
    const last = Math.max(-1, ...keyframes.map((k) => k.frame));
    add(last + Math.max(1, fps));
  }

  function removeSelected() {
    if (keyframeEditRefused(bus)) return;
    const next = removeKeyframe(keyframes, bus.state.selected);
    if (next === keyframes) return;
    keyframes = next;
    bus.set("selected", null);
    setKeyframes(model, next);
  }
  cleanup.add(bus.on("remove-selected", removeSelected));

  // ---------------------------------------------------------------- model & bus
  cleanup.add(watch(model, ["project", "frame_count"], () => {
    keyframes = projectKeyframes(model);
    if (bus.state.selected !== null && !keyframes.some((k) => k.frame === bus.state.selected)) {
      bus.set("selected", null);
    }
    count.textContent = `${countOf(keyframes.length, "keyframe")} · `
      + `${countOf(Math.max(0, ...keyframes.map((k) => k.frame)) + 1, "frame")}`;
    refreshAxis();
    exposeAxis(bus.state.axis);
    view.requestDraw();
  }));
  for (const event of ["axis", "frame", "selected", "audioFrames"]) {
    cleanup.add(bus.on(event, () => {
      if (event === "audioFrames") refreshAxis();
      if (event === "axis") exposeAxis(bus.state.axis);
      view.requestDraw();
    }));
  }
  if (store) {
    // for tests and tools: the rendered frames the bar shows stale, as "1-7, 9"
    const exposeStale = () => {
      const text = rangesText(staleShown(store, staleFrames(model)));
      if (canvas.dataset.staleFrames !== text) canvas.dataset.staleFrames = text;
    };
    cleanup.add(store.subscribe(() => {
      exposeStale();
      view.requestDraw();
    }));
    cleanup.add(watch(model, ["stale_frames"], () => {
      exposeStale();
      view.requestDraw();
    }));
  }
  refreshAxis();
  exposeAxis(bus.state.axis);
  return () => cleanup.run();
}

function diamond(ctx, x, y, r) {
  ctx.beginPath();
  ctx.moveTo(x, y - r);
  ctx.lineTo(x + r, y);
  ctx.lineTo(x, y + r);
  ctx.lineTo(x - r, y);
  ctx.closePath();
}

function fitText(ctx, text, width) {
  if (ctx.measureText(text).width <= width) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= width) lo = mid;
    else hi = mid - 1;
  }
  return lo ? `${text.slice(0, lo)}…` : "";
}

/** Axis, editor and text view together. */
export function mount(el, model, bus, options = {}) {
  const cleanup = cleanupList();
  const axisBox = h("div", { class: "gw-timeline" });
  const editors = h("div", { class: "gw-editors" });
  const editorBox = h("div", { class: "gw-editor-box" });
  const textBox = h("div", { class: "gw-text-box" });
  editors.append(editorBox, textBox);
  el.append(axisBox, editors);
  cleanup.add(mountTimelineAxis(axisBox, model, bus, options));
  cleanup.add(mountKeyframeEditor(editorBox, model, bus));
  cleanup.add(mountPromptText(textBox, model, bus));
  return () => {
    cleanup.run();
    axisBox.remove();
    editors.remove();
  };
}

export default {
  render({ model, el }) {
    const { bus, body, cleanup, dispose } = standaloneView(el, model, "timeline");
    cleanup.add(watch(model, ["frame"], () => bus.set("frame", model.get("frame") ?? 0)));
    // Alone there is no scrubber to say how far the playhead may go: through the last keyframe.
    cleanup.add(watch(model, ["project"], () => {
      bus.state.lastFrame = contentLength(getProject(model), bus) - 1;
    }));
    cleanup.add(mount(body, model, bus));
    return dispose;
  },
};
