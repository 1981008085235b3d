// Schedule lanes: under the keyframe timeline, on its frame axis (same zoom, pan and playhead), one lane per
// scheduled setting the user adds. A lane draws the setting's value on every frame, as the kernel computed it (the
// `schedules` trait: evaluate_schedule with the audio, sent once per change), its points (drag to move, double-click
// to add or remove, Delete removes the selected one) and the schedule text beside it; edits on either side write the
// project's field, so both stay in step. Text the kernel cannot read keeps what was typed and says where it is wrong.

import { handleWheel, panBy } from "./axisview.js";
import { createCanvas, themeColors } from "./canvas.js";
import { cleanupList, debounce, h, isEditing } from "./dom.js";
import { foldToggle } from "./fold.js";
import { addPoint, LANE_SCALES, movePoint, nearestPoint, pointAt, pointsValue, removePoint, roundValue, valuePoints,
  valueRange, valueStep, valueTicks } from "./lane-points.js";
import { editProject, getProject, problemsOf, terms, watch } from "./model.js";
import { columnToIndex, numericPoints, pointsText, previewValues, scheduledValue } from "./schedule-text.js";
import { frameTicks, frameToX, visibleFrames, xToNearestFrame } from "./timeaxis.js";

const HEIGHT = 60;
const PAD = 7; // px above the highest and below the lowest value
const HIT_PX = 7;
const DRAG_START_PX = 3;

/** The settings lanes can show, with their labels: the vocabulary's, else the setting names. */
function laneTerms(model) {
  const listed = terms(model, "scheduled_settings");
  return listed.length ? listed : Object.keys(LANE_SCALES).map((value) => ({ value, label: value, hint: "" }));
}

/** The text a setting's value shows in its lane's box. */
const valueText = (value) => (value === null || value === undefined ? "" : String(value));

function mountLane(list, model, bus, term, onHide) {
  const name = term.value;
  const cleanup = cleanupList();
  const scale = LANE_SCALES[name] ?? { range: [0, 1], neutral: null };
  let points = null; // [[frame, value]] when the value is points (a number or number keys), else null
  let values = []; // the value on every `stride`-th frame, as drawn
  let stride = 1;
  let lastGood = null; // {values, stride}: the curve before the text went wrong, drawn faintly meanwhile
  let range = scale.range;
  let drag = null; // {from, frame, value, range, moved, x0, y0} | {pan, x0, lastX, moved}
  let selected = null; // frame of the selected point
  let hover = null; // frame under the pointer

  const text = h("input", { class: "gw-input gw-lane-text", type: "text", spellcheck: false, autocomplete: "off",
    "aria-label": `${term.label} schedule`, placeholder: "a number, or 0:(1), 30:(1.05)" });
  const interpolation = h("select", { class: "gw-input gw-select", "aria-label": `${term.label} interpolation`,
    title: "How the value goes from one point to the next" },
    terms(model, "schedule_interpolations").map((t) => h("option", { value: t.value, title: t.hint || undefined },
      t.label)));
  const readout = h("span", { class: "gw-readout", "data-readout": `lane-${name}` });
  const hide = h("button", { class: "gw-btn gw-icon", type: "button", title: `Hide this lane (the schedule stays in `
    + "effect; its text is in the project)", "aria-label": `Hide the ${term.label} lane`, onclick: () => onHide(name) },
  "×");
  const error = h("div", { class: "gw-lane-error", role: "status" });
  const wrap = h("div", { class: "gw-canvas-wrap gw-lane-canvas" });
  const lane = h("div", { class: "gw-lane", "data-lane": name, "data-field": name },
    h("div", { class: "gw-lane-head" }, h("span", { class: "gw-lane-name", title: term.hint || undefined },
      term.label), text, interpolation, readout, hide), error, wrap);
  list.append(lane);

  const project = () => getProject(model);
  // The vocabulary's first interpolation is the one a schedule has when the project names none.
  const defaultInterpolation = () => terms(model, "schedule_interpolations")[0]?.value ?? "";
  const interpolationOf = () => project()?.schedule_interpolation?.[name] ?? defaultInterpolation();
  const curveOf = () => model.get("schedules")?.curves?.[name] ?? null;
  // The kernel's count (loops make animations longer), else through the last keyframe.
  const numFrames = () => Math.max(1, model.get("schedules")?.num_frames
    || Math.max(-1, ...(project()?.keyframes ?? []).map((k) => k.frame)) + 1);
  const plot = () => ({ top: PAD, bottom: HEIGHT - PAD });
  const toY = (v, r = range) => {
    const { top, bottom } = plot();
    return bottom - ((v - r[0]) / (r[1] - r[0])) * (bottom - top);
  };
  const toValue = (y, r = range) => {
    const { top, bottom } = plot();
    const clamped = Math.min(bottom, Math.max(top, y));
    return r[0] + ((bottom - clamped) / (bottom - top)) * (r[1] - r[0]);
  };

  const view = createCanvas(wrap, { height: HEIGHT, draw, className: "gw-canvas" });
  const canvas = view.canvas;
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "application");
  canvas.setAttribute("aria-label", `${term.label} over the frames. Drag a point to change it, double-click to add `
    + "or remove one; arrow keys move the selected point, Delete removes it.");
  cleanup.add(() => view.dispose());

  /** Points, curve and range from the project, the kernel's curve and the box's text. */
  function refresh() {
    const value = project()?.[name];
    const curve = curveOf();
    const shownText = valueText(value);
    const kernelFits = curve && curve.text === shownText;
    points = valuePoints(value, kernelFits ? curve.points : null);
    const n = numFrames();
    const kind = interpolationOf();
    stride = 1;
    if (typeof value === "number") values = new Array(n).fill(value);
    else if (kernelFits && curve.values) {
      values = curve.values;
      stride = curve.stride || 1;
    } else if (points) values = previewValues(points, n); // until the kernel's curve arrives
    else values = [];
    if (values.length) lastGood = { values, stride };
    const faint = !values.length && lastGood;
    if (!drag) range = valueRange([...(faint ? lastGood.values : values), ...(points ?? []).map((p) => p[1])], name);
    if (selected !== null && !(points && pointAt(points, selected))) selected = null;
    canvas.dataset.valueMin = String(range[0]);
    canvas.dataset.valueMax = String(range[1]);
    canvas.dataset.plotTop = String(plot().top);
    canvas.dataset.plotBottom = String(plot().bottom);
    canvas.dataset.points = points ? JSON.stringify(points) : "";
    if (!isEditing(text) && !typing.pending()) text.value = shownText;
    // "sine(2)" is the sine term with a frequency
    const term = terms(model, "schedule_interpolations").find((t) => kind === t.value || kind.startsWith(`${t.value}(`));
    if (!isEditing(interpolation) && term) interpolation.value = term.value;
    showError();
    view.requestDraw();
  }

  /** The kernel's error for the text in the box (at its column), else its problems with this setting. */
  function showError() {
    const curve = curveOf();
    const own = curve?.error && curve.text === text.value ? curve.error : null;
    const others = problemsOf(model, name).map((p) => p.message);
    const message = own ? `column ${own.column ?? "?"}: ${own.message}` : others.join(" · ");
    error.textContent = message;
    error.dataset.column = own?.column ? String(own.column) : "";
    error.classList.toggle("gw-bad", Boolean(message));
    error.title = own?.column ? "Show where in the text" : "";
    text.classList.toggle("gw-invalid", Boolean(message));
    text.setAttribute("aria-invalid", message ? "true" : "false");
    lane.dataset.problem = message ? "true" : "false";
  }
  cleanup.listen(error, "click", () => {
    const column = Number(error.dataset.column);
    if (!column) return;
    const index = columnToIndex(text.value, column);
    text.focus();
    text.setSelectionRange(index, Math.min(text.value.length, columnToIndex(text.value, column + 1)));
  });

  function store(value) {
    editProject(model, (p) => { p[name] = value; });
  }

  // The box writes the field as the user types (after a pause), and at once on Enter or leaving it.
  const typing = (() => {
    let pending = false;
    const send = debounce(() => {
      pending = false;
      store(scheduledValue(text.value));
    }, 400);
    return {
      input() {
        pending = true;
        send();
        // Number keys preview at once; the kernel's curve replaces the preview when it comes.
        const typed = numericPoints(text.value);
        if (typed) {
          points = typed;
          stride = 1;
          values = previewValues(typed, numFrames());
          view.requestDraw();
        }
      },
      flush: () => send.flush(),
      pending: () => pending,
    };
  })();
  cleanup.listen(text, "input", () => typing.input());
  cleanup.listen(text, "blur", () => typing.flush());
  cleanup.listen(text, "keydown", (event) => {
    event.stopPropagation(); // the notebook's shortcuts must not take keys typed here
    if (event.key === "Enter") typing.flush();
  });
  cleanup.add(() => typing.flush());
  cleanup.add(bus.on("flush", () => typing.flush()));

  cleanup.listen(interpolation, "change", () => editProject(model, (p) => {
    const chosen = { ...(p.schedule_interpolation ?? {}) };
    if (interpolation.value === defaultInterpolation()) delete chosen[name];
    else chosen[name] = interpolation.value;
    p.schedule_interpolation = chosen;
  }));

  function writePoints(next) {
    points = next;
    store(pointsValue(next, pointsText));
  }

  // ------------------------------------------------------------------ drawing
  function draw(ctx, width, height) {
    const axis = bus.state.axis;
    const c = themeColors(lane);
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = c.bg;
    ctx.fillRect(0, 0, width, height);
    if (!axis) return;
    // The timeline's frame <-> x mapping (the same axis), for tests and tools: x = origin-x + frame * px-per-frame.
    ctx.canvas.dataset.originX = frameToX(axis, 0).toFixed(3); // ctx.canvas: draw runs once inside createCanvas
    ctx.canvas.dataset.pxPerFrame = axis.pxPerFrame.toFixed(6);
    const n = numFrames();
    const x0 = Math.max(0, frameToX(axis, -0.5));
    ctx.fillStyle = c.bg2;
    ctx.fillRect(x0, 0, Math.max(0, frameToX(axis, n - 0.5) - x0), height);

    // The timeline's frame ticks, and the value where the setting changes nothing.
    ctx.strokeStyle = c.border;
    ctx.globalAlpha = 0.35;
    ctx.beginPath();
    for (const f of frameTicks(axis).ticks) {
      const x = Math.round(frameToX(axis, f)) + 0.5;
      ctx.moveTo(x, 0);
      ctx.lineTo(x, height);
    }
    ctx.stroke();
    ctx.globalAlpha = 1;
    // Keyframes as faint guides, as on the waveform.
    ctx.strokeStyle = c.accent;
    ctx.globalAlpha = 0.3;
    ctx.beginPath();
    for (const k of project()?.keyframes ?? []) {
      const x = Math.round(frameToX(axis, k.frame)) + 0.5;
      ctx.moveTo(x, 0);
      ctx.lineTo(x, height);
    }
    ctx.stroke();
    ctx.globalAlpha = 1;
    const ticks = valueTicks(range, 5);
    ctx.strokeStyle = c.grid;
    ctx.beginPath();
    for (const v of ticks) {
      const y = Math.round(toY(v)) + 0.5;
      ctx.moveTo(0, y);
      ctx.lineTo(width, y);
    }
    ctx.stroke();
    if (scale.neutral !== null && scale.neutral > range[0] && scale.neutral < range[1]) {
      const y = Math.round(toY(scale.neutral)) + 0.5;
      ctx.strokeStyle = c.faint;
      ctx.setLineDash([2, 3]);
      ctx.beginPath();
      ctx.moveTo(0, y);
      ctx.lineTo(width, y);
      ctx.stroke();
      ctx.setLineDash([]);
    }

    // The curve over the frames in view (one sample a pixel at most).
    const shown = drag && !drag.pan ? movedPoints() : points;
    const previewing = drag && !drag.pan && shown;
    const faint = !previewing && !values.length && lastGood;
    const curve = previewing ? previewValues(shown, n) : faint ? lastGood.values : values;
    const every = previewing ? 1 : faint ? lastGood.stride : stride;
    const at = (f) => curve[Math.min(curve.length - 1, Math.floor(f / every))];
    const { first, last } = visibleFrames(axis);
    const end = Math.min(last, curve.length * every - 1, n - 1);
    if (end >= first) {
      const step = Math.max(1, Math.floor(1 / axis.pxPerFrame));
      ctx.strokeStyle = faint ? c.faint : c.accent;
      ctx.lineWidth = 1.75;
      ctx.beginPath();
      for (let f = first; f <= end; f += step) {
        const x = frameToX(axis, f);
        const y = toY(at(f));
        if (f === first) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
      if ((end - first) % step) ctx.lineTo(frameToX(axis, end), toY(at(end)));
      ctx.stroke();
      ctx.lineWidth = 1;
    }

    // The highest and lowest grid values at the right edge (past the last frame, mostly), so a flat line still
    // says what it is.
    if (ticks.length) {
      ctx.font = `10px ${c.font}`;
      ctx.textBaseline = "middle";
      for (const v of ticks.length > 1 ? [ticks[0], ticks[ticks.length - 1]] : ticks) {
        const label = shortNumber(v);
        const y = Math.min(height - 6, Math.max(6, toY(v)));
        const w = ctx.measureText(label).width;
        ctx.fillStyle = c.bg;
        ctx.globalAlpha = 0.8;
        ctx.fillRect(width - w - 6, y - 6, w + 4, 12);
        ctx.globalAlpha = 1;
        ctx.fillStyle = c.muted;
        ctx.fillText(label, width - w - 4, y);
      }
    }

    if (hover !== null && !drag) {
      const x = Math.round(frameToX(axis, hover)) + 0.5;
      ctx.strokeStyle = c.faint;
      ctx.setLineDash([3, 3]);
      ctx.beginPath();
      ctx.moveTo(x, 0);
      ctx.lineTo(x, height);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    const ph = Math.round(frameToX(axis, bus.state.frame)) + 0.5;
    if (ph >= -1 && ph <= width + 1) {
      ctx.strokeStyle = c.playhead;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(ph, 0);
      ctx.lineTo(ph, height);
      ctx.stroke();
      ctx.lineWidth = 1;
    }

    for (const [f, v] of shown ?? []) {
      const x = frameToX(axis, f);
      if (x < -HIT_PX || x > width + HIT_PX) continue;
      const active = f === selected || (drag && !drag.pan && f === drag.frame);
      ctx.beginPath();
      ctx.arc(x, toY(v), active ? 5.5 : 4.5, 0, 2 * Math.PI);
      ctx.fillStyle = active ? c.accent : c.bg;
      ctx.fill();
      ctx.strokeStyle = c.accent;
      ctx.lineWidth = 1.75;
      ctx.stroke();
      ctx.lineWidth = 1;
    }
  }

  // --------------------------------------------------------------- interaction
  const local = (event) => {
    const rect = canvas.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };
  const hitPoint = ({ x, y }) => {
    const axis = bus.state.axis;
    if (!axis || !points) return null;
    return nearestPoint(points, ([f, v]) => Math.hypot(frameToX(axis, f) - x, toY(v) - y), HIT_PX);
  };
  function movedPoints() {
    if (!drag || drag.pan || !points) return points;
    if (drag.frame === drag.from && drag.value === pointAt(points, drag.from)?.[1]) return points;
    return movePoint(points, drag.from, drag.frame, drag.value);
  }
  function say(frame, value) {
    readout.dataset.frame = frame === null ? "" : String(frame);
    readout.textContent = frame === null ? "" : `frame ${frame} · ${shortNumber(value, 4)}`;
  }

  cleanup.listen(canvas, "pointerdown", (event) => {
    if (event.button !== 0) return;
    canvas.focus({ preventScroll: true });
    canvas.setPointerCapture(event.pointerId);
    const at = local(event);
    const hit = hitPoint(at);
    if (hit) {
      selected = hit[0];
      drag = { from: hit[0], frame: hit[0], value: hit[1], range, moved: false, x0: at.x, y0: at.y };
    } else {
      drag = { pan: true, x0: at.x, lastX: at.x, moved: false };
    }
    view.requestDraw();
  });
  cleanup.listen(canvas, "pointermove", (event) => {
    const at = local(event);
    const axis = bus.state.axis;
    if (!axis) return;
    if (drag) {
      if (!drag.moved && Math.hypot(at.x - drag.x0, at.y - (drag.y0 ?? at.y)) < DRAG_START_PX) return;
      drag.moved = true;
      if (drag.pan) {
        panBy(bus, at.x - drag.lastX);
        drag.lastX = at.x;
        return;
      }
      const frame = xToNearestFrame(axis, at.x);
      // A point stops at the last free frame it passed (as keyframes do), and never leaves the lane's range.
      if (frame === drag.from || !pointAt(points, frame)) drag.frame = frame;
      drag.value = roundValue(toValue(at.y, drag.range), drag.range);
      say(drag.frame, drag.value);
      view.requestDraw();
      return;
    }
    hover = xToNearestFrame(axis, at.x);
    const hit = hitPoint(at);
    canvas.style.cursor = hit ? "grab" : "default";
    say(hit ? hit[0] : hover, hit ? hit[1] : values[Math.min(Math.floor(hover / stride), values.length - 1)]);
    view.requestDraw();
  });
  const endDrag = (event, cancelled) => {
    const d = drag;
    drag = null;
    canvas.style.cursor = "default";
    if (!d || cancelled) return view.requestDraw();
    if (d.pan && !d.moved && bus.state.axis) {
      const frame = xToNearestFrame(bus.state.axis, local(event).x);
      if (bus.player) bus.player.seek(frame);
      else bus.set("frame", frame);
      model.set("frame", bus.state.frame);
      model.save_changes();
    } else if (!d.pan && d.moved) {
      const next = movePoint(points, d.from, d.frame, d.value);
      if (next !== points) {
        selected = d.frame;
        writePoints(next);
      }
    }
    refresh();
  };
  cleanup.listen(canvas, "pointerup", (event) => endDrag(event, false));
  cleanup.listen(canvas, "pointercancel", (event) => endDrag(event, true));
  cleanup.listen(canvas, "pointerleave", () => {
    hover = null;
    if (!drag) say(null);
    view.requestDraw();
  });
  cleanup.listen(canvas, "dblclick", (event) => {
    const at = local(event);
    const axis = bus.state.axis;
    if (!axis || !points) return;
    const hit = hitPoint(at);
    const next = hit ? removePoint(points, hit[0]) : addPoint(points, xToNearestFrame(axis, at.x),
      roundValue(toValue(at.y), range));
    if (next === points) return;
    selected = hit ? null : xToNearestFrame(axis, at.x);
    writePoints(next);
    refresh();
  });
  cleanup.listen(canvas, "wheel", (event) => handleWheel(bus, event, local(event).x), { passive: false });
  cleanup.listen(canvas, "keydown", (event) => {
    if ((event.key === "Delete" || event.key === "Backspace") && selected !== null && points) {
      event.preventDefault();
      event.stopPropagation();
      const next = removePoint(points, selected);
      if (next !== points) {
        selected = null;
        writePoints(next);
        refresh();
      }
    } else if (event.key === "Escape") {
      selected = null;
      view.requestDraw();
    } else if (event.key.startsWith("Arrow") && selected !== null && points) {
      // Up and down change the selected point's value by a step (Shift: ten), left and right move it a frame.
      event.preventDefault();
      event.stopPropagation();
      const [frame, value] = pointAt(points, selected);
      const step = valueStep(range) * (event.shiftKey ? 10 : 1);
      const up = { ArrowUp: 1, ArrowDown: -1 }[event.key] ?? 0;
      const right = { ArrowRight: 1, ArrowLeft: -1 }[event.key] ?? 0;
      const next = movePoint(points, frame, frame + right, roundValue(value + up * step, range));
      if (next === points) return;
      selected = frame + right;
      writePoints(next);
      refresh();
    }
  });

  cleanup.add(watch(model, ["project", "schedules", "problems"], refresh));
  for (const event of ["axis", "frame"]) cleanup.add(bus.on(event, () => view.requestDraw()));
  return {
    name,
    element: lane,
    dispose() {
      cleanup.run();
      lane.remove();
    },
  };
}

/** A value for a label: at most `digits` significant digits, no exponent for the sizes lanes show. */
function shortNumber(value, digits = 3) {
  if (value === undefined || !Number.isFinite(value)) return "";
  return String(Number(value.toPrecision(digits)));
}

/** The lanes and the control that adds one. A setting whose value becomes schedule text (from a cell, a project
 * file, an import) gets its lane shown; hiding a lane leaves its value as it is. */
export function mountLanes(el, model, bus) {
  const cleanup = cleanupList();
  const lanes = new Map(); // name -> lane
  const seen = {}; // name -> the value the lanes last saw
  const add = h("select", { class: "gw-input gw-select gw-lane-add", "aria-label": "Add a schedule lane" });
  const list = h("div", { class: "gw-lane-list" });
  const hint = h("span", { class: "gw-hint" });
  const fold = foldToggle(model, "schedules", "Schedules", list);
  cleanup.add(fold.dispose);
  const box = h("div", { class: "gw-lanes" },
    h("div", { class: "gw-toolbar gw-lanes-bar" }, fold.button, hint, h("span", { class: "gw-spacer" }), add),
    list);
  cleanup.add(watch(model, ["schedules"], () => {
    hint.textContent = model.get("schedules")?.audio === "pending"
      ? "the audio is being analysed: curves that read it show silence until then"
      : "settings that change over the frames";
  }));
  el.append(box);

  const order = () => laneTerms(model).map((t) => t.value);
  function fillAdd() {
    const free = laneTerms(model).filter((t) => !lanes.has(t.value));
    add.replaceChildren(h("option", { value: "" }, free.length ? "+ Add a lane…" : "All lanes shown"),
      ...free.map((t) => h("option", { value: t.value, title: t.hint || undefined }, t.label)));
    add.disabled = !free.length;
    add.value = "";
  }
  function show(name) {
    const term = laneTerms(model).find((t) => t.value === name);
    if (!term || lanes.has(name)) return;
    const lane = mountLane(list, model, bus, term, hideLane);
    lanes.set(name, lane);
    // Lanes keep the order of the settings, whatever order they were added in.
    for (const n of order()) if (lanes.has(n)) list.append(lanes.get(n).element);
    fillAdd();
  }
  function hideLane(name) {
    lanes.get(name)?.dispose();
    lanes.delete(name);
    fillAdd();
  }
  cleanup.listen(add, "change", () => {
    if (add.value) {
      fold.open(); // a lane just added is shown, folded or not
      show(add.value);
    }
    lanes.get(add.value)?.element.querySelector("input")?.focus();
    fillAdd();
  });
  cleanup.add(watch(model, ["project"], () => {
    const p = getProject(model) ?? {};
    for (const name of order()) {
      if (typeof p[name] === "string" && p[name] !== seen[name]) show(name);
      seen[name] = p[name];
    }
  }));
  fillAdd();
  return () => {
    for (const lane of lanes.values()) lane.dispose();
    cleanup.run();
    box.remove();
  };
}
