// src/bus.js
function createBus(initial = {}) {
  const handlers = /* @__PURE__ */ new Map();
  const state = {
    axis: null,
    fit: true,
    selected: null,
    frame: 0,
    playing: false,
    fps: 10,
    lastFrame: 0,
    audioFrames: 0,
    ...initial
  };
  const bus = {
    state,
    on(event, fn) {
      if (!handlers.has(event)) handlers.set(event, /* @__PURE__ */ new Set());
      handlers.get(event).add(fn);
      return () => handlers.get(event)?.delete(fn);
    },
    emit(event, payload) {
      for (const fn of [...handlers.get(event) ?? []]) fn(payload);
    },
    /** Set a state key and tell listeners of the event of the same name, when it changed. */
    set(key, value) {
      if (Object.is(state[key], value)) return;
      state[key] = value;
      bus.emit(key, value);
    }
  };
  return bus;
}

// src/dom.js
function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === void 0 || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "style" && typeof value === "object") Object.assign(el.style, value);
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key in el && typeof value !== "string") el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}
function append(el, children) {
  for (const child of children) {
    if (child === null || child === void 0 || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}
function cleanupList() {
  const fns = [];
  return {
    add(fn) {
      if (typeof fn === "function") fns.push(fn);
      return fn;
    },
    listen(target, event, fn, options) {
      target.addEventListener(event, fn, options);
      fns.push(() => target.removeEventListener(event, fn, options));
    },
    run() {
      while (fns.length) {
        try {
          fns.pop()();
        } catch (err) {
          console.error(err);
        }
      }
    }
  };
}
var isEditing = (el) => el.ownerDocument?.activeElement === el;
function debounce(fn, ms) {
  let timer = null;
  let lastArgs = null;
  const debounced = (...args) => {
    lastArgs = args;
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn(...lastArgs);
    }, ms);
  };
  debounced.flush = () => {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
      fn(...lastArgs);
    }
  };
  debounced.cancel = () => clearTimeout(timer);
  return debounced;
}

// src/model.js
var getProject = (model) => model.get("project") ?? null;
function editProject(model, fn) {
  const project = getProject(model);
  if (!project) return;
  const copy = structuredClone(project);
  fn(copy);
  model.set("project", copy);
  model.save_changes();
}
var setProjectField = (model, key, value) => editProject(model, (p) => {
  p[key] = value;
});
var setKeyframes = (model, keyframes) => editProject(model, (p) => {
  p.keyframes = keyframes.map((k) => ({ ...k }));
});
function toBytes(value) {
  if (!value) return null;
  let bytes = null;
  if (value instanceof Uint8Array) bytes = value;
  else if (ArrayBuffer.isView(value)) bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  else if (value instanceof ArrayBuffer) bytes = new Uint8Array(value);
  return bytes?.byteLength ? bytes : null;
}
function blobUrl(value, mime) {
  const bytes = toBytes(value);
  return bytes ? URL.createObjectURL(new Blob([bytes], { type: mime || "application/octet-stream" })) : null;
}
function watch(model, names, fn, { now = true } = {}) {
  const handler = () => fn();
  for (const name of names) model.on(`change:${name}`, handler);
  if (now) fn();
  return () => {
    for (const name of names) model.off(`change:${name}`, handler);
  };
}
function projectKeyframes(model) {
  const project = getProject(model);
  return project ? [...project.keyframes].sort((a, b) => a.frame - b.frame) : [];
}
var terms = (model, name) => model.get("vocabulary")?.[name] ?? [];
var problemsOf = (model, field2) => (model.get("problems") ?? []).filter((p) => p.field === field2);
function onsetMarks(model, component) {
  const onsets = model.get("onsets") ?? {};
  const marks = onsets[component];
  if (!marks || onsets.fps !== getProject(model)?.fps) return [];
  return marks.times.map((time, i) => ({ time, frame: marks.frames[i] }));
}

// src/cluster-link.js
function dashboardHref(link) {
  if (typeof link !== "string" || !link.trim()) return null;
  try {
    const url = new URL(link.trim());
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}
function mountClusterLink(before, model) {
  const link = h("a", {
    class: "gw-cluster-link",
    target: "_blank",
    rel: "noopener noreferrer",
    title: "Frames render on a Dask cluster: open its dashboard (workers, tasks, progress)"
  }, "Dask dashboard");
  before.before(link);
  const stop = watch(model, ["dashboard_link"], () => {
    const href = dashboardHref(model.get("dashboard_link"));
    link.hidden = href === null;
    if (href === null) link.removeAttribute("href");
    else link.href = href;
  });
  return () => {
    stop();
    link.remove();
  };
}

// src/connection.js
var PING_EVERY_MS = 2e3;
var NO_ANSWER_MS = 8e3;
function watchConnection(model, onChange, { every = PING_EVERY_MS, timeout = NO_ANSWER_MS } = {}) {
  let connected = true;
  let waitingSince = null;
  let id = 0;
  const set = (value) => {
    if (value === connected) return;
    connected = value;
    onChange(connected);
  };
  const onMessage = (content) => {
    if (content?.type !== "pong") return;
    waitingSince = null;
    set(true);
  };
  const tick = () => {
    const now = performance.now();
    try {
      model.send({ type: "ping", id: ++id });
    } catch {
      set(false);
      return;
    }
    if (waitingSince === null) waitingSince = now;
    else if (now - waitingSince > timeout) set(false);
  };
  model.on("msg:custom", onMessage);
  const timer = setInterval(tick, every);
  tick();
  return {
    connected: () => connected,
    dispose() {
      clearInterval(timer);
      model.off("msg:custom", onMessage);
    }
  };
}
var DISCONNECTED_WORDS = "Not connected to a kernel: it was restarted or shut down, or is busy with a long cell. Run the Studio cell again for a live panel.";

// src/field-words.js
var escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
function inLabelWords(message, key, label) {
  if (!key || !label) return String(message ?? "");
  return String(message ?? "").replace(
    new RegExp(`(^|[^\\w.])${escapeRegExp(key)}(?![\\w])`, "g"),
    (_, before) => `${before}${label}`
  );
}
function labelOf(root, key) {
  const row = root?.querySelector(`.gw-field[data-field="${CSS.escape(String(key))}"]`);
  return row?.querySelector(".gw-label")?.textContent.trim() || null;
}
function problemWords(root, problem) {
  return inLabelWords(problem.message, problem.field, labelOf(root, problem.field));
}

// src/icons.js
var PATHS = {
  play: "M4 2.5v11l9-5.5z",
  pause: "M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z",
  prev: "M3 2.5h2v11H3zM13 2.5v11L6 8z",
  next: "M11 2.5h2v11h-2zM3 2.5v11L10 8z"
};
function icon(name) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("width", "14");
  svg.setAttribute("height", "14");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "gw-svg");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", PATHS[name]);
  path.setAttribute("fill", "currentColor");
  svg.append(path);
  return svg;
}
function setPlayIcon(button, playing) {
  button.replaceChildren(icon(playing ? "pause" : "play"));
  button.setAttribute("aria-label", playing ? "Pause" : "Play");
}

// src/edit-guard.js
function keyframeEditRefused(bus) {
  const error = bus?.state?.textError;
  if (!error) return false;
  bus.emit("keyframe-edit-refused", error);
  return true;
}
var refusedWords = (error) => `Keyframes were not changed: fix the prompt text first (${error}), or the fix would undo the edit.`;

// src/keyframes.js
var byFrame = (a, b) => a.frame - b.frame;
var sortKeyframes = (keyframes) => [...keyframes].sort(byFrame);
var findKeyframe = (keyframes, frame) => keyframes.find((k) => k.frame === frame) ?? null;
var isFree = (keyframes, frame) => Number.isInteger(frame) && frame >= 0 && !keyframes.some((k) => k.frame === frame);
function inheritedPrompt(keyframes, frame) {
  const sorted = sortKeyframes(keyframes);
  let before = null;
  for (const k of sorted) if (k.frame < frame) before = k;
  const source = before ?? sorted.find((k) => k.frame > frame);
  return source ? source.prompt : "a red circle on a white background";
}
function addKeyframe(keyframes, frame, fields = {}) {
  if (!isFree(keyframes, frame)) return keyframes;
  const keyframe = {
    frame,
    prompt: fields.prompt ?? inheritedPrompt(keyframes, frame),
    negative: fields.negative ?? null,
    seed: fields.seed ?? null
  };
  return sortKeyframes([...keyframes, keyframe]);
}
function moveKeyframe(keyframes, from, to) {
  if (from === to) return keyframes;
  const index = keyframes.findIndex((k) => k.frame === from);
  if (index < 0 || !isFree(keyframes, to)) return keyframes;
  return sortKeyframes(keyframes.map((k, i) => i === index ? { ...k, frame: to } : k));
}
function dragTarget(keyframes, from, target) {
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  for (const k of keyframes) {
    if (k.frame < from) lo = Math.max(lo, k.frame + 1);
    else if (k.frame > from) hi = Math.min(hi, k.frame - 1);
  }
  return Math.min(hi, Math.max(lo, target));
}
function removeKeyframe(keyframes, frame) {
  const next = keyframes.filter((k) => k.frame !== frame);
  return next.length === keyframes.length ? keyframes : next;
}
function updateKeyframe(keyframes, frame, changes) {
  const index = keyframes.findIndex((k) => k.frame === frame);
  if (index < 0) return keyframes;
  const { frame: to, ...rest } = changes;
  let next = keyframes.map((k, i) => i === index ? { ...k, ...rest } : k);
  if (to !== void 0 && to !== frame) {
    const moved = moveKeyframe(next, frame, to);
    if (moved === next) return keyframes;
    next = moved;
  }
  return next;
}
function nearestKeyframe(keyframes, frame, maxDistance) {
  let best = null;
  let bestDistance = Infinity;
  for (const k of keyframes) {
    const d = Math.abs(k.frame - frame);
    if (d <= maxDistance && d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}
function lowerBound(sorted, frame) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = lo + hi >> 1;
    if (sorted[mid].frame < frame) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
function sameKeyframes(a, b) {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((k, i) => {
    const o = b[i];
    return k.frame === o.frame && k.prompt === o.prompt && (k.negative ?? null) === (o.negative ?? null) && (k.seed ?? null) === (o.seed ?? null) && (k.image ?? null) === (o.image ?? null);
  });
}

// src/keyframe-editor.js
var nextId = 0;
function mountKeyframeEditor(el, model, bus) {
  const cleanup = cleanupList();
  nextId += 1;
  const id = `gw-kf-${nextId}`;
  const frameInput = h("input", { class: "gw-input gw-num", type: "number", min: "0", step: "1", id: `${id}-frame` });
  const prompt = h("textarea", {
    class: "gw-input",
    rows: 2,
    id: `${id}-prompt`,
    placeholder: "what this keyframe shows, e.g. a watercolor of a lighthouse"
  });
  const negative = h("input", { class: "gw-input", type: "text", id: `${id}-neg` });
  const seed = h("input", { class: "gw-input gw-num", type: "number", min: "0", step: "1", id: `${id}-seed` });
  const image = h("input", {
    class: "gw-input",
    type: "text",
    id: `${id}-image`,
    spellcheck: false,
    placeholder: "none: a plain keyframe"
  });
  const message = h("div", { class: "gw-field-error", role: "status" });
  const removeButton = h("button", {
    class: "gw-btn gw-danger",
    type: "button",
    title: "Remove this keyframe (Delete)",
    onclick: () => bus.emit("remove-selected")
  }, "Remove");
  const form = h(
    "div",
    { class: "gw-kf-form" },
    h(
      "div",
      { class: "gw-kf-head" },
      h("label", { for: frameInput.id }, "Keyframe at frame"),
      frameInput,
      h("span", { class: "gw-spacer" }),
      removeButton
    ),
    h("label", { for: prompt.id }, "Prompt"),
    prompt,
    h(
      "div",
      { class: "gw-kf-row" },
      h("div", { class: "gw-kf-cell" }, h("label", { for: negative.id }, "Negative prompt"), negative),
      h("div", { class: "gw-kf-cell gw-kf-seed" }, h("label", { for: seed.id }, "Seed (empty: project's)"), seed)
    ),
    h("label", { for: image.id }, "Picture (an image keyframe: its frames start from it)"),
    image,
    message
  );
  const empty = h(
    "div",
    { class: "gw-empty" },
    "Select a keyframe on the timeline to edit its prompt, or double-click the timeline to add one."
  );
  const section2 = h(
    "div",
    { class: "gw-kf-editor" },
    h("div", { class: "gw-subtitle" }, "Selected keyframe"),
    form,
    empty
  );
  el.append(section2);
  const selected = () => findKeyframe(projectKeyframes(model), bus.state.selected);
  function commit(frame, changes) {
    if (frame === null || keyframeEditRefused(bus)) return;
    const keyframes = projectKeyframes(model);
    if ("frame" in changes && changes.frame !== frame && !isFree(keyframes, changes.frame)) {
      message.textContent = Number.isInteger(changes.frame) && changes.frame >= 0 ? `frame ${changes.frame} already has a keyframe` : "the frame must be a whole number, 0 or more";
      return;
    }
    message.textContent = "";
    const next = updateKeyframe(keyframes, frame, changes);
    if (next === keyframes) return;
    if ("frame" in changes && bus.state.selected === frame) bus.set("selected", changes.frame);
    setKeyframes(model, next);
  }
  const oneLine = (text) => text.replace(/\s*[\r\n]+\s*/g, " ");
  const commitPrompt = debounce((frame, value) => {
    const text = oneLine(value).trim();
    if (!text) {
      message.textContent = "a keyframe needs a prompt";
      return;
    }
    commit(frame, { prompt: text });
  }, 350);
  const commitNegative = debounce((frame, value) => {
    const text = oneLine(value).trim();
    commit(frame, { negative: text ? text : null });
  }, 350);
  const commitSeed = () => {
    const frame = bus.state.selected;
    const raw = seed.value.trim();
    if (raw === "") return commit(frame, { seed: null });
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) {
      message.textContent = "seed must be a whole number, 0 or more (empty: the project's seed)";
      return;
    }
    commit(frame, { seed: value });
  };
  const commitFrame = () => {
    const value = Number(frameInput.value);
    if (frameInput.value.trim() === "" || !Number.isInteger(value) || value < 0) {
      message.textContent = "the frame must be a whole number, 0 or more";
      return;
    }
    commit(bus.state.selected, { frame: value });
  };
  cleanup.listen(prompt, "input", () => commitPrompt(bus.state.selected, prompt.value));
  cleanup.listen(prompt, "blur", () => commitPrompt.flush());
  cleanup.listen(prompt, "keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      commitPrompt.flush();
    }
  });
  cleanup.listen(negative, "input", () => commitNegative(bus.state.selected, negative.value));
  cleanup.listen(negative, "blur", () => commitNegative.flush());
  cleanup.listen(seed, "change", commitSeed);
  cleanup.listen(image, "change", () => commit(bus.state.selected, { image: image.value.trim() || null }));
  cleanup.listen(frameInput, "change", commitFrame);
  const flush = () => {
    commitPrompt.flush();
    commitNegative.flush();
  };
  cleanup.add(bus.on("flush", flush));
  cleanup.add(flush);
  function show() {
    const k = selected();
    form.hidden = !k;
    empty.hidden = Boolean(k);
    if (!k) return;
    const project = getProject(model);
    if (!isEditing(frameInput)) frameInput.value = String(k.frame);
    if (!isEditing(prompt)) prompt.value = k.prompt;
    if (!isEditing(negative)) negative.value = k.negative ?? "";
    if (!isEditing(seed)) seed.value = k.seed ?? "";
    if (!isEditing(image)) image.value = k.image ?? "";
    negative.placeholder = project?.negative_prompt ? `empty: the project's (“${project.negative_prompt}”)` : "things to avoid (optional)";
    seed.placeholder = String(project?.seed ?? 42);
    seed.title = "Empty: the project's seed";
  }
  let shownFrame = null;
  const onSelect = () => {
    if (shownFrame !== bus.state.selected) {
      commitPrompt.flush();
      commitNegative.flush();
      message.textContent = "";
      shownFrame = bus.state.selected;
      for (const input of [frameInput, prompt, negative, seed]) if (isEditing(input)) input.blur();
    }
    show();
  };
  cleanup.add(bus.on("selected", onSelect));
  cleanup.add(bus.on("focus-editor", () => {
    show();
    if (selected()) {
      prompt.focus();
      prompt.select();
    }
  }));
  cleanup.add(watch(model, ["project"], show));
  onSelect();
  return () => {
    cleanup.run();
    section2.remove();
  };
}

// src/timeaxis.js
var MAX_PX_PER_FRAME = 48;
var OVERSCROLL = 0.15;
var EDGE_PX = 10;
var MAX_TAIL_SHARE = 0.4;
function makeAxis({ start = 0, pxPerFrame = 1, width = 0, length = 1, tailPx = 0 } = {}) {
  return { start, pxPerFrame, width, length: Math.max(1, length), tailPx };
}
var frameToX = (axis, frame) => (frame - axis.start) * axis.pxPerFrame;
var xToFrame = (axis, x) => axis.start + x / axis.pxPerFrame;
var xToNearestFrame = (axis, x) => Math.max(0, Math.round(xToFrame(axis, x)));
var spanFrames = (axis) => Math.max(axis.length * (1 + OVERSCROLL), axis.length + 2);
var tailPixels = (axis) => Math.min(axis.tailPx ?? 0, Math.max(0, axis.width - 2 * EDGE_PX) * MAX_TAIL_SHARE);
function minPxPerFrame(axis) {
  const usable = axis.width - 2 * EDGE_PX;
  if (usable <= 0) return 1e-6;
  return Math.min(MAX_PX_PER_FRAME, usable / spanFrames(axis), (usable - tailPixels(axis)) / axis.length);
}
function clampAxis(axis) {
  const pxPerFrame = Math.min(MAX_PX_PER_FRAME, Math.max(minPxPerFrame(axis), axis.pxPerFrame));
  const minStart = -EDGE_PX / pxPerFrame;
  const end = Math.max(spanFrames(axis), axis.length + tailPixels(axis) / pxPerFrame);
  const maxStart = Math.max(minStart, end - (axis.width - EDGE_PX) / pxPerFrame);
  const start = Math.min(maxStart, Math.max(minStart, axis.start));
  return { ...axis, pxPerFrame, start };
}
function fitAxis(axis) {
  const pxPerFrame = minPxPerFrame(axis);
  return { ...axis, pxPerFrame, start: -EDGE_PX / pxPerFrame };
}
function zoomAxis(axis, factor, anchorX = axis.width / 2) {
  const anchorFrame = xToFrame(axis, anchorX);
  const pxPerFrame = Math.min(MAX_PX_PER_FRAME, Math.max(minPxPerFrame(axis), axis.pxPerFrame * factor));
  return clampAxis({ ...axis, pxPerFrame, start: anchorFrame - anchorX / pxPerFrame });
}
function panAxis(axis, dx) {
  return clampAxis({ ...axis, start: axis.start - dx / axis.pxPerFrame });
}
function visibleFrames(axis) {
  const first = Math.max(0, Math.floor(axis.start));
  const last = Math.max(first, Math.ceil(axis.start + axis.width / axis.pxPerFrame));
  return { first, last };
}
var FRAME_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1e3, 2e3, 2500, 5e3, 1e4, 2e4, 5e4, 1e5];
var TIME_STEPS = [0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
function chooseStep(pxPerUnit, minPx, steps) {
  for (const step of steps) if (step * pxPerUnit >= minPx) return step;
  return steps[steps.length - 1];
}
function frameTicks(axis, minPx = 64) {
  const step = chooseStep(axis.pxPerFrame, minPx, FRAME_STEPS);
  const { first, last } = visibleFrames(axis);
  const ticks = [];
  for (let f = Math.ceil(first / step) * step; f <= last; f += step) ticks.push(f);
  return { step, ticks };
}
function timeTicks(axis, fps, minPx = 64) {
  const pxPerSecond = axis.pxPerFrame * fps;
  const step = chooseStep(pxPerSecond, minPx, TIME_STEPS);
  const t0 = Math.max(0, axis.start / fps);
  const t1 = (axis.start + axis.width / axis.pxPerFrame) / fps;
  const ticks = [];
  for (let i = Math.ceil(t0 / step - 1e-9); i * step <= t1 + 1e-9; i += 1) ticks.push(Number((i * step).toFixed(3)));
  return { step, ticks };
}
function formatTime(seconds, step = 1) {
  const s = Math.max(0, seconds);
  if (s < 60) {
    const decimals = step < 0.1 ? 2 : step < 1 ? 1 : 0;
    return `${s.toFixed(decimals)} s`;
  }
  const whole = Math.round(s);
  const h2 = Math.floor(whole / 3600);
  const m = Math.floor(whole % 3600 / 60);
  const sec = String(whole % 60).padStart(2, "0");
  return h2 ? `${h2}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

// src/axisview.js
function contentLength(project, bus, frameCount = 0) {
  const lastKeyframe = Math.max(-1, ...(project?.keyframes ?? []).map((k) => k.frame));
  return Math.max(lastKeyframe + 1, bus.state.audioFrames || 0, frameCount || 0, 1);
}
function updateAxis(bus, { width, length, tailPx }) {
  const current = bus.state.axis ?? makeAxis({ width, length, tailPx });
  let axis = {
    ...current,
    width: width ?? current.width,
    length: Math.max(1, length ?? current.length),
    tailPx: tailPx ?? current.tailPx ?? 0
  };
  axis = bus.state.fit ? fitAxis(axis) : clampAxis(axis);
  const old = bus.state.axis;
  if (!old || ["start", "pxPerFrame", "width", "length", "tailPx"].some((key) => old[key] !== axis[key])) {
    bus.set("axis", axis);
  }
}
function syncAxis(bus, model, width, tailPx) {
  updateAxis(bus, { width, tailPx, length: contentLength(getProject(model), bus, model.get("frame_count") ?? 0) });
}
function zoomBy(bus, factor, anchorX) {
  const axis = bus.state.axis;
  if (!axis) return;
  moveTo(bus, zoomAxis(axis, factor, anchorX));
}
function panBy(bus, dx) {
  const axis = bus.state.axis;
  if (!axis) return;
  moveTo(bus, panAxis(axis, dx));
}
function moveTo(bus, next) {
  const old = bus.state.axis;
  if (Math.abs(next.start - old.start) < 1e-9 && Math.abs(next.pxPerFrame - old.pxPerFrame) < 1e-9) return;
  bus.set("fit", false);
  bus.set("axis", next);
}
function fit(bus) {
  const axis = bus.state.axis;
  if (!axis) return;
  bus.set("fit", true);
  bus.set("axis", fitAxis(axis));
}
function handleWheel(bus, event, x) {
  if (event.ctrlKey || event.metaKey) {
    event.preventDefault();
    zoomBy(bus, Math.exp(-event.deltaY * 2e-3), x);
  } else if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
    event.preventDefault();
    panBy(bus, -(event.shiftKey && !event.deltaX ? event.deltaY : event.deltaX));
  }
}

// src/theme.js
function parseRgb(color) {
  const m = /rgba?\(([\d.]+)[ ,]+([\d.]+)[ ,]+([\d.]+)(?:[ ,/]+([\d.]+))?/.exec(color);
  return m ? { r: +m[1], g: +m[2], b: +m[3], a: m[4] === void 0 ? 1 : +m[4] } : null;
}
function hostIsDark(el) {
  for (let node = el.parentElement; node; node = node.parentElement) {
    const c = parseRgb(getComputedStyle(node).backgroundColor);
    if (c && c.a > 0.5) return (0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b) / 255 < 0.5;
  }
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ?? false;
}
function followHostTheme(root) {
  const apply = () => root.classList.toggle("gw-dark", hostIsDark(root));
  apply();
  requestAnimationFrame(apply);
  const media = window.matchMedia?.("(prefers-color-scheme: dark)");
  media?.addEventListener?.("change", apply);
  const observer = new MutationObserver(apply);
  for (const target of [document.documentElement, document.body]) {
    observer.observe(target, { attributes: true, attributeFilter: ["class", "data-jp-theme-name", "theme", "style"] });
  }
  return () => {
    media?.removeEventListener?.("change", apply);
    observer.disconnect();
  };
}
function onThemeChange(fn) {
  let frame = null;
  let timer = null;
  const later = () => {
    if (frame === null) frame = requestAnimationFrame(() => {
      frame = null;
      fn();
    });
    clearTimeout(timer);
    timer = setTimeout(fn, 300);
  };
  const observer = new MutationObserver(later);
  const attributeFilter = ["class", "style", "data-jp-theme-light", "data-jp-theme-name", "theme"];
  for (const target of [document.documentElement, document.body]) observer.observe(target, { attributes: true, attributeFilter });
  observer.observe(document.head, { childList: true });
  const media = window.matchMedia?.("(prefers-color-scheme: dark)");
  media?.addEventListener?.("change", later);
  return () => {
    observer.disconnect();
    media?.removeEventListener?.("change", later);
    if (frame !== null) cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}

// src/canvas.js
function createCanvas(container, { height, draw, className = "" }) {
  const canvas = document.createElement("canvas");
  canvas.className = className;
  canvas.style.height = `${height}px`;
  container.append(canvas);
  const ctx = canvas.getContext("2d");
  const view = { canvas, ctx, width: 0, height, requestDraw, resize, dispose };
  let pending = null;
  function resize() {
    const width = Math.max(0, Math.floor(container.clientWidth));
    const dpr = window.devicePixelRatio || 1;
    view.width = width;
    canvas.width = Math.max(1, Math.round(width * dpr));
    canvas.height = Math.max(1, Math.round(height * dpr));
    canvas.style.width = `${width}px`;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    paint();
  }
  function paint() {
    pending = null;
    if (view.width > 0) draw(ctx, view.width, height);
  }
  function requestDraw() {
    if (pending === null) pending = requestAnimationFrame(paint);
  }
  let resizePending = null;
  const observer = new ResizeObserver(() => {
    if (resizePending !== null) return;
    resizePending = requestAnimationFrame(() => {
      resizePending = null;
      if (Math.floor(container.clientWidth) !== view.width) {
        resize();
        view.onresize?.(view.width);
      }
    });
  });
  observer.observe(container);
  const stopTheme = onThemeChange(() => {
    resize();
    view.onresize?.(view.width);
  });
  function dispose() {
    observer.disconnect();
    stopTheme();
    if (pending !== null) cancelAnimationFrame(pending);
    if (resizePending !== null) cancelAnimationFrame(resizePending);
    canvas.remove();
  }
  resize();
  return view;
}
function themeColors(el) {
  const root = el.closest(".gw-root") ?? el;
  const style = getComputedStyle(root);
  const v = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
  return {
    bg: v("--gw-bg1", "#fff"),
    bg2: v("--gw-bg2", "#eee"),
    fg: v("--gw-fg1", "#222"),
    muted: v("--gw-fg2", "#777"),
    faint: v("--gw-fg3", "#aaa"),
    border: v("--gw-border", "#ccc"),
    grid: v("--gw-border2", "#e5e5e5"),
    accent: v("--gw-accent", "#1976d2"),
    accentSoft: v("--gw-accent-soft", "rgba(25,118,210,.15)"),
    playhead: v("--gw-playhead", "#e65100"),
    onset: v("--gw-onset", "#8e24aa"),
    wave: v("--gw-wave", "#5c6bc0"),
    done: v("--gw-done", "#43a047"),
    font: v("--gw-font", "system-ui, sans-serif"),
    mono: v("--gw-mono", "monospace")
  };
}

// src/fold.js
var storedOpen = (model, name) => {
  const value = model.get("folds")?.[name];
  return typeof value === "boolean" ? value : void 0;
};
function remember(model, name, open) {
  const folds = model.get("folds");
  if (folds === void 0 || folds === null || storedOpen(model, name) === open) return;
  model.set("folds", { ...folds, [name]: open });
  model.save_changes();
}
function keepOpen(model, name, details) {
  const made = details.open;
  const onToggle = () => {
    if (storedOpen(model, name) !== void 0 || details.open !== made) remember(model, name, details.open);
  };
  details.addEventListener("toggle", onToggle);
  const stop = watch(model, ["folds"], () => {
    const open = storedOpen(model, name);
    if (open !== void 0 && details.open !== open) details.open = open;
  });
  return () => {
    stop();
    details.removeEventListener("toggle", onToggle);
  };
}
var ids = 0;
function foldToggle(model, name, title, body, { open = true } = {}) {
  body.id || (body.id = `gw-fold-${++ids}`);
  const button = h(
    "button",
    { class: "gw-fold", type: "button", "aria-controls": body.id, "data-fold": name },
    h("span", { class: "gw-fold-mark", "aria-hidden": "true" }, "▸"),
    h("span", { class: "gw-title" }, title)
  );
  const show = (shown) => {
    body.hidden = !shown;
    button.setAttribute("aria-expanded", String(shown));
    button.title = shown ? `Fold away ${title.toLowerCase()}` : `Show ${title.toLowerCase()}`;
  };
  const set = (shown) => {
    show(shown);
    remember(model, name, shown);
  };
  button.addEventListener("click", () => set(body.hidden));
  show(storedOpen(model, name) ?? open);
  const stop = watch(model, ["folds"], () => {
    const stored = storedOpen(model, name);
    if (stored !== void 0) show(stored);
  }, { now: false });
  return { button, open: () => set(true), dispose: stop };
}

// src/schedule-text.js
function formatNumber(value) {
  if (!Number.isFinite(value)) throw new RangeError(`a schedule point must be finite, got ${value}`);
  if (Object.is(value, -0)) return "-0";
  const text = String(value);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!m) return text;
  const [, sign, lead, rest = "", exp] = m;
  const digits = lead + rest;
  const point = 1 + Number(exp);
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + "0".repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
function pointsText(points) {
  if (!points.length) throw new RangeError("a schedule needs at least one point");
  const seen = /* @__PURE__ */ new Set();
  for (const [frame] of points) {
    if (!Number.isInteger(frame) || frame < 0) {
      throw new RangeError(`a point's frame must be a whole number >= 0, got ${frame}`);
    }
    if (seen.has(frame)) throw new RangeError(`two points share frame ${frame}`);
    seen.add(frame);
  }
  return [...points].sort((a, b) => a[0] - b[0]).map(([f, v]) => `${f}:(${formatNumber(v)})`).join(", ");
}
var NUMBER = String.raw`[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?`;
var VALUE = String.raw`(?:\(\s*(${NUMBER})\s*\)|(${NUMBER}))`;
var BARE = new RegExp(String.raw`^\s*${VALUE}\s*$`);
var KEY = new RegExp(String.raw`^\s*(["']?)\s*(\d+)\s*\1\s*:\s*${VALUE}\s*$`);
var MAX_FRAME = 1e6;
function numericPoints(text) {
  if (typeof text === "number") return Number.isFinite(text) ? [[0, text]] : null;
  if (typeof text !== "string" || !text.trim()) return null;
  const bare = BARE.exec(text);
  if (bare) {
    const value = Number(bare[1] ?? bare[2]);
    return Number.isFinite(value) ? [[0, value]] : null;
  }
  const entries = text.split(",");
  if (entries.length > 1 && !entries[entries.length - 1].trim()) entries.pop();
  const points = /* @__PURE__ */ new Map();
  for (const entry of entries) {
    const m = KEY.exec(entry);
    if (!m) return null;
    const frame = Number(m[2]);
    const value = Number(m[3] ?? m[4]);
    if (frame >= MAX_FRAME || points.has(frame) || !Number.isFinite(value)) return null;
    points.set(frame, value);
  }
  return [...points].sort((a, b) => a[0] - b[0]);
}
function previewValues(points, numFrames) {
  const out = new Array(numFrames);
  let j = 0;
  for (let f = 0; f < numFrames; f += 1) {
    while (j + 1 < points.length && points[j + 1][0] <= f) j += 1;
    const [f0, v0] = points[j];
    if (f <= f0 || j + 1 >= points.length) {
      out[f] = f < f0 ? points[0][1] : v0;
      continue;
    }
    const [f1, v1] = points[j + 1];
    out[f] = (v1 - v0) / (f1 - f0) * (f - f0) + v0;
  }
  return out;
}
function scheduledValue(text) {
  const trimmed = String(text).trim();
  const number = new RegExp(`^${NUMBER}$`).test(trimmed) ? Number(trimmed) : Number.NaN;
  return Number.isFinite(number) ? number : text;
}
function columnToIndex(text, column) {
  let index = 0;
  for (let c = 1; c < column && index < text.length; c += 1) {
    index += text.codePointAt(index) > 65535 ? 2 : 1;
  }
  return index;
}

// src/lane-points.js
var LANE_SCALES = {
  strength: { range: [0, 1], neutral: null },
  guidance_scale: { range: [0, 12], neutral: null },
  noise: { range: [0, 0.1], neutral: 0 },
  contrast: { range: [0.9, 1.1], neutral: 1 },
  zoom: { range: [0.98, 1.02], neutral: 1 },
  angle: { range: [-2, 2], neutral: 0 },
  translation_x: { range: [-4, 4], neutral: 0 },
  translation_y: { range: [-4, 4], neutral: 0 }
};
function valuePoints(value, kernelPoints = null) {
  if (typeof value === "number") return Number.isFinite(value) ? [[0, value]] : null;
  return numericPoints(value) ?? (kernelPoints ? kernelPoints.map(([f, v]) => [f, v]) : null);
}
function pointsValue(points, toText) {
  return points.length === 1 && points[0][0] === 0 ? points[0][1] : toText(points);
}
var byFrame2 = (points) => [...points].sort((a, b) => a[0] - b[0]);
var pointAt = (points, frame) => points.find((p) => p[0] === frame) ?? null;
function addPoint(points, frame, value) {
  if (!Number.isInteger(frame) || frame < 0 || pointAt(points, frame)) return points;
  return byFrame2([...points, [frame, value]]);
}
function movePoint(points, from, frame, value) {
  if (!pointAt(points, from) || !Number.isInteger(frame) || frame < 0) return points;
  if (frame !== from && pointAt(points, frame)) return points;
  return byFrame2(points.map((p) => p[0] === from ? [frame, value] : p));
}
function removePoint(points, frame) {
  if (points.length <= 1 || !pointAt(points, frame)) return points;
  return points.filter((p) => p[0] !== frame);
}
function nearestPoint(points, distance, tolerancePx) {
  let best = null;
  let bestD = tolerancePx;
  for (const p of points) {
    const d = distance(p);
    if (d <= bestD) {
      best = p;
      bestD = d;
    }
  }
  return best;
}
function valueRange(values, name) {
  const [softLow, softHigh] = LANE_SCALES[name]?.range ?? [0, 1];
  let lo = softLow;
  let hi = softHigh;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const margin = (hi - lo) * 0.08 || 1;
  return [lo - margin, hi + margin];
}
var valueStep = ([lo, hi]) => 10 ** Math.round(Math.log10((hi - lo) / 50));
function roundValue(value, [lo, hi]) {
  const step = valueStep([lo, hi]);
  const rounded = Math.round(value / step) * step;
  return Number(rounded.toFixed(Math.max(0, -Math.floor(Math.log10(step)))));
}
function valueTicks([lo, hi], most = 5) {
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return [];
  const power = 10 ** Math.floor(Math.log10(span / most));
  const slack = span * 1e-9;
  const count = (s) => Math.floor((hi + slack) / s) - Math.ceil((lo - slack) / s) + 1;
  const step = [1, 2, 5, 10, 20].map((m) => m * power).find((s) => count(s) <= most);
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  const ticks = [];
  for (let i = Math.ceil((lo - slack) / step); i * step <= hi + slack; i += 1) {
    ticks.push(Number((i * step).toFixed(digits)));
  }
  return ticks;
}

// src/lanes.js
var HEIGHT = 60;
var PAD = 7;
var HIT_PX = 7;
var DRAG_START_PX = 3;
function laneTerms(model) {
  const listed = terms(model, "scheduled_settings");
  return listed.length ? listed : Object.keys(LANE_SCALES).map((value) => ({ value, label: value, hint: "" }));
}
var valueText = (value) => value === null || value === void 0 ? "" : String(value);
function mountLane(list, model, bus, term, onHide) {
  const name = term.value;
  const cleanup = cleanupList();
  const scale = LANE_SCALES[name] ?? { range: [0, 1], neutral: null };
  let points = null;
  let values = [];
  let stride = 1;
  let lastGood = null;
  let range = scale.range;
  let drag = null;
  let selected = null;
  let hover = null;
  const text = h("input", {
    class: "gw-input gw-lane-text",
    type: "text",
    spellcheck: false,
    autocomplete: "off",
    "aria-label": `${term.label} schedule`,
    placeholder: "a number, or 0:(1), 30:(1.05)"
  });
  const interpolation = h(
    "select",
    {
      class: "gw-input gw-select",
      "aria-label": `${term.label} interpolation`,
      title: "How the value goes from one point to the next"
    },
    terms(model, "schedule_interpolations").map((t) => h(
      "option",
      { value: t.value, title: t.hint || void 0 },
      t.label
    ))
  );
  const readout = h("span", { class: "gw-readout", "data-readout": `lane-${name}` });
  const hide = h(
    "button",
    { class: "gw-btn gw-icon", type: "button", title: `Hide this lane (the schedule stays in effect; its text is in the project)`, "aria-label": `Hide the ${term.label} lane`, onclick: () => onHide(name) },
    "×"
  );
  const error = h("div", { class: "gw-lane-error", role: "status" });
  const wrap = h("div", { class: "gw-canvas-wrap gw-lane-canvas" });
  const lane = h(
    "div",
    { class: "gw-lane", "data-lane": name, "data-field": name },
    h("div", { class: "gw-lane-head" }, h(
      "span",
      { class: "gw-lane-name", title: term.hint || void 0 },
      term.label
    ), text, interpolation, readout, hide),
    error,
    wrap
  );
  list.append(lane);
  const project = () => getProject(model);
  const defaultInterpolation = () => terms(model, "schedule_interpolations")[0]?.value ?? "";
  const interpolationOf = () => project()?.schedule_interpolation?.[name] ?? defaultInterpolation();
  const curveOf = () => model.get("schedules")?.curves?.[name] ?? null;
  const numFrames = () => Math.max(1, model.get("schedules")?.num_frames || Math.max(-1, ...(project()?.keyframes ?? []).map((k) => k.frame)) + 1);
  const plot = () => ({ top: PAD, bottom: HEIGHT - PAD });
  const toY = (v, r = range) => {
    const { top, bottom } = plot();
    return bottom - (v - r[0]) / (r[1] - r[0]) * (bottom - top);
  };
  const toValue = (y, r = range) => {
    const { top, bottom } = plot();
    const clamped = Math.min(bottom, Math.max(top, y));
    return r[0] + (bottom - clamped) / (bottom - top) * (r[1] - r[0]);
  };
  const view = createCanvas(wrap, { height: HEIGHT, draw, className: "gw-canvas" });
  const canvas = view.canvas;
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "application");
  canvas.setAttribute("aria-label", `${term.label} over the frames. Drag a point to change it, double-click to add or remove one; arrow keys move the selected point, Delete removes it.`);
  cleanup.add(() => view.dispose());
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
    } else if (points) values = previewValues(points, n);
    else values = [];
    if (values.length) lastGood = { values, stride };
    const faint = !values.length && lastGood;
    if (!drag) range = valueRange([...faint ? lastGood.values : values, ...(points ?? []).map((p) => p[1])], name);
    if (selected !== null && !(points && pointAt(points, selected))) selected = null;
    canvas.dataset.valueMin = String(range[0]);
    canvas.dataset.valueMax = String(range[1]);
    canvas.dataset.plotTop = String(plot().top);
    canvas.dataset.plotBottom = String(plot().bottom);
    canvas.dataset.points = points ? JSON.stringify(points) : "";
    if (!isEditing(text) && !typing.pending()) text.value = shownText;
    const term2 = terms(model, "schedule_interpolations").find((t) => kind === t.value || kind.startsWith(`${t.value}(`));
    if (!isEditing(interpolation) && term2) interpolation.value = term2.value;
    showError();
    view.requestDraw();
  }
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
    editProject(model, (p) => {
      p[name] = value;
    });
  }
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
        const typed = numericPoints(text.value);
        if (typed) {
          points = typed;
          stride = 1;
          values = previewValues(typed, numFrames());
          view.requestDraw();
        }
      },
      flush: () => send.flush(),
      pending: () => pending
    };
  })();
  cleanup.listen(text, "input", () => typing.input());
  cleanup.listen(text, "blur", () => typing.flush());
  cleanup.listen(text, "keydown", (event) => {
    event.stopPropagation();
    if (event.key === "Enter") typing.flush();
  });
  cleanup.add(() => typing.flush());
  cleanup.add(bus.on("flush", () => typing.flush()));
  cleanup.listen(interpolation, "change", () => editProject(model, (p) => {
    const chosen = { ...p.schedule_interpolation ?? {} };
    if (interpolation.value === defaultInterpolation()) delete chosen[name];
    else chosen[name] = interpolation.value;
    p.schedule_interpolation = chosen;
  }));
  function writePoints(next) {
    points = next;
    store(pointsValue(next, pointsText));
  }
  function draw(ctx, width, height) {
    const axis = bus.state.axis;
    const c = themeColors(lane);
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = c.bg;
    ctx.fillRect(0, 0, width, height);
    if (!axis) return;
    ctx.canvas.dataset.originX = frameToX(axis, 0).toFixed(3);
    ctx.canvas.dataset.pxPerFrame = axis.pxPerFrame.toFixed(6);
    const n = numFrames();
    const x0 = Math.max(0, frameToX(axis, -0.5));
    ctx.fillStyle = c.bg2;
    ctx.fillRect(x0, 0, Math.max(0, frameToX(axis, n - 0.5) - x0), height);
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
      const active = f === selected || drag && !drag.pan && f === drag.frame;
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
    const next = hit ? removePoint(points, hit[0]) : addPoint(
      points,
      xToNearestFrame(axis, at.x),
      roundValue(toValue(at.y), range)
    );
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
    }
  };
}
function shortNumber(value, digits = 3) {
  if (value === void 0 || !Number.isFinite(value)) return "";
  return String(Number(value.toPrecision(digits)));
}
function mountLanes(el, model, bus) {
  const cleanup = cleanupList();
  const lanes = /* @__PURE__ */ new Map();
  const seen = {};
  const add = h("select", { class: "gw-input gw-select gw-lane-add", "aria-label": "Add a schedule lane" });
  const list = h("div", { class: "gw-lane-list" });
  const hint = h("span", { class: "gw-hint" });
  const fold = foldToggle(model, "schedules", "Schedules", list);
  cleanup.add(fold.dispose);
  const box = h(
    "div",
    { class: "gw-lanes" },
    h("div", { class: "gw-toolbar gw-lanes-bar" }, fold.button, hint, h("span", { class: "gw-spacer" }), add),
    list
  );
  cleanup.add(watch(model, ["schedules"], () => {
    hint.textContent = model.get("schedules")?.audio === "pending" ? "the audio is being analysed: curves that read it show silence until then" : "settings that change over the frames";
  }));
  el.append(box);
  const order = () => laneTerms(model).map((t) => t.value);
  function fillAdd() {
    const free = laneTerms(model).filter((t) => !lanes.has(t.value));
    add.replaceChildren(
      h("option", { value: "" }, free.length ? "+ Add a lane…" : "All lanes shown"),
      ...free.map((t) => h("option", { value: t.value, title: t.hint || void 0 }, t.label))
    );
    add.disabled = !free.length;
    add.value = "";
  }
  function show(name) {
    const term = laneTerms(model).find((t) => t.value === name);
    if (!term || lanes.has(name)) return;
    const lane = mountLane(list, model, bus, term, hideLane);
    lanes.set(name, lane);
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
      fold.open();
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

// src/frames.js
var stores = /* @__PURE__ */ new WeakMap();
function createFrameStore(model) {
  const listeners = /* @__PURE__ */ new Set();
  const store = {
    run: null,
    total: 0,
    urls: [],
    count: 0,
    latest: -1,
    /** Subscribe to changes: fn({kind: "run"|"frame", index}); returns the unsubscribe function. */
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    get(index) {
      return store.urls[index] ?? null;
    },
    has(index) {
      return Boolean(store.urls[index]);
    },
    /** Frames 0..n-1 are all here: the first index to ask the kernel for. */
    contiguous() {
      let n = 0;
      while (store.urls[n]) n += 1;
      return n;
    },
    reset(run, total) {
      for (const url of store.urls) if (url) URL.revokeObjectURL(url);
      store.run = run;
      store.total = total ?? 0;
      store.urls = [];
      store.count = 0;
      store.latest = -1;
      notify({ kind: "run" });
    },
    add(index, bytes, mime, total) {
      const old = store.urls[index];
      if (old) URL.revokeObjectURL(old);
      else store.count += 1;
      store.urls[index] = URL.createObjectURL(new Blob([bytes], { type: mime || "image/png" }));
      if (total !== void 0 && total !== null) store.total = Math.max(store.total, total);
      store.latest = index;
      notify({ kind: "frame", index });
    },
    /** Handle one custom message from the kernel; true when it was a frame-store message. */
    handle(content, buffers) {
      if (!content || typeof content !== "object") return false;
      if (content.type === "run") {
        store.reset(content.run, content.total);
        return true;
      }
      if (content.type !== "frame") return false;
      if (content.run !== store.run) {
        if (content.run !== model.get("run_id")) return true;
        store.reset(content.run, content.total);
      }
      const buffer = buffers?.[0];
      if (buffer) store.add(content.index, buffer, content.mime, content.total);
      return true;
    },
    dispose() {
      model.off("msg:custom", onMessage);
      store.reset(null, 0);
      listeners.clear();
      stores.delete(model);
    }
  };
  const notify = (event) => {
    for (const fn of listeners) fn(event);
  };
  const onMessage = (content, buffers) => store.handle(content, buffers);
  model.on("msg:custom", onMessage);
  return store;
}
function frameStore(model) {
  let store = stores.get(model);
  if (!store) {
    store = createFrameStore(model);
    stores.set(model, store);
    if (model.get("run_id")) model.send({ type: "frames", from: 0 });
  }
  return store;
}

// src/words.js
var countOf = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

// src/offline.js
var needsKernel = (className, ...children) => h(
  "fieldset",
  { class: `gw-live ${className}`.trim() },
  ...children
);
function lockWithoutKernel(root, lost) {
  for (const part of root.querySelectorAll("fieldset.gw-live")) {
    part.disabled = lost;
    for (const canvas of part.querySelectorAll(".gw-canvas-wrap")) canvas.inert = lost;
  }
}
function mountPoster(scrubBox, model, bus) {
  const cleanup = cleanupList();
  const store = frameStore(model);
  let url = null;
  const img = h("img", { class: "gw-frame-img" });
  const stage = h("div", { class: "gw-stage" }, img);
  const caption = h("figcaption", { class: "gw-hint" });
  const count = h("span", { class: "gw-count" });
  const box = h(
    "figure",
    { class: "gw-poster", hidden: true },
    h("div", { class: "gw-toolbar" }, h("span", { class: "gw-title" }, "Frames"), count),
    stage,
    caption
  );
  scrubBox.after(box);
  cleanup.listen(img, "load", () => {
    if (!img.naturalWidth || !img.naturalHeight) return;
    stage.style.setProperty("--gw-frame-aspect", String(img.naturalWidth / img.naturalHeight));
    img.classList.toggle("gw-pixelated", img.naturalWidth * 2.5 < stage.clientWidth);
  });
  let shownBytes = null;
  const show = () => {
    const poster = model.get("poster") ?? {};
    const bytes = toBytes(poster.png);
    const shown = bus.state.connected === false && store.count === 0 && Boolean(bytes) && poster.run_id === model.get("run_id");
    box.hidden = !shown;
    scrubBox.hidden = shown;
    if (!shown) return;
    if (bytes !== shownBytes) {
      if (url) URL.revokeObjectURL(url);
      url = blobUrl(bytes, "image/png");
      img.src = url;
      shownBytes = bytes;
    }
    const total = model.get("status")?.total ?? 0;
    img.alt = `Frame ${poster.frame}, the last frame of the run`;
    count.textContent = `frame ${poster.frame} · the last of the run`;
    caption.textContent = `Not connected to a kernel: this is the run as the notebook saved it. Run the Studio cell again, then Render: ${total > 1 ? `its ${countOf(total, "frame")}` : "the frames"} come back from the cache.`;
  };
  cleanup.add(watch(model, ["poster", "run_id", "status"], show));
  cleanup.add(store.subscribe(show));
  cleanup.add(bus.on("connected", show));
  return () => {
    cleanup.run();
    if (url) URL.revokeObjectURL(url);
    box.remove();
    scrubBox.hidden = false;
  };
}

// src/player.js
function createPlayer(bus) {
  let raf = null;
  let startFrame = 0;
  let startTime = 0;
  const clock = () => bus.state.clock ?? null;
  const fps = () => Math.max(1, bus.state.fps || 10);
  const last = () => Math.max(0, bus.state.lastFrame || 0);
  function tick(now) {
    if (!bus.state.playing) return;
    const c = clock();
    let frame;
    if (c?.ready()) {
      frame = Math.floor(c.seconds() * fps() + 1e-6);
      startFrame = frame;
      startTime = now - (c.seconds() * fps() - frame) / fps() * 1e3;
    } else {
      frame = startFrame + Math.floor((now - startTime) / 1e3 * fps());
    }
    if (frame > last()) {
      frame = 0;
      startFrame = 0;
      startTime = now;
      c?.play(0);
    }
    if (frame !== bus.state.frame) bus.set("frame", frame);
    raf = requestAnimationFrame(tick);
  }
  const player = {
    play() {
      if (bus.state.playing) return;
      if (bus.state.frame >= last()) bus.set("frame", 0);
      startFrame = bus.state.frame;
      startTime = performance.now();
      bus.set("playing", true);
      const c = clock();
      c?.play(startFrame / fps());
      raf = requestAnimationFrame(tick);
    },
    pause() {
      if (!bus.state.playing) return;
      bus.set("playing", false);
      cancelAnimationFrame(raf);
      clock()?.pause();
    },
    toggle() {
      if (bus.state.playing) player.pause();
      else player.play();
    },
    seek(frame) {
      const f = Math.max(0, Math.min(last(), Math.round(frame)));
      const wasPlaying = bus.state.playing;
      if (wasPlaying) player.pause();
      bus.set("frame", f);
      if (wasPlaying) player.play();
    },
    step(delta) {
      player.pause();
      const n = last() + 1;
      bus.set("frame", ((bus.state.frame + delta) % n + n) % n);
    },
    dispose() {
      cancelAnimationFrame(raf);
      bus.state.playing = false;
    }
  };
  return player;
}

// src/grammar.js
var PromptSyntaxError = class extends Error {
  constructor(reason, line, column, textLine = "") {
    super(`line ${line}, column ${column}: ${reason}`);
    this.name = "PromptSyntaxError";
    this.reason = reason;
    this.line = line;
    this.column = column;
    this.textLine = textLine;
  }
};
var OPTION_KEYS = { negative: "negative", neg: "negative", seed: "seed", image: "image" };
var MAX_FRAMES = 1e5;
var MAX_FRAME2 = MAX_FRAMES - 1;
var MAX_SEED = Number.MAX_SAFE_INTEGER;
var BLANK = new Set("	                　");
var INVISIBLE = /^[\p{Zs}\p{Zl}\p{Zp}\p{Cc}\p{Cf}]*$/u;
var isBlank = (ch) => BLANK.has(ch);
var invisible = (text) => INVISIBLE.test(text);
var str = (chars) => chars.join("");
function splitLines(text) {
  const lines = text.replace(/^\ufeff/, "").split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}
function quote(text) {
  const shown = (ch) => {
    if (ch === '"' || ch === "\\") return `\\${ch}`;
    return ch === " " || !invisible(ch) ? ch : `\\u{${ch.codePointAt(0).toString(16)}}`;
  };
  return `"${Array.from(text, shown).join("")}"`;
}
function leadingBlanks(chars) {
  let i = 0;
  while (i < chars.length && isBlank(chars[i])) i += 1;
  return i;
}
function strip(chars) {
  let a = 0;
  let b = chars.length;
  while (a < b && isBlank(chars[a])) a += 1;
  while (b > a && isBlank(chars[b - 1])) b -= 1;
  return chars.slice(a, b);
}
var tooBig = (digits, limit) => Number(digits) > limit;
function splitUnescaped(body, startCol) {
  const pieces = [];
  let buf = [];
  let pieceCol = startCol;
  let i = 0;
  while (i < body.length) {
    const ch = body[i];
    if (ch === "\\" && i + 1 < body.length && (body[i + 1] === "|" || body[i + 1] === "\\")) {
      buf.push(body[i + 1]);
      i += 2;
      continue;
    }
    if (ch === "|") {
      pieces.push([buf, pieceCol]);
      buf = [];
      pieceCol = startCol + i + 1;
    } else {
      buf.push(ch);
    }
    i += 1;
  }
  pieces.push([buf, pieceCol]);
  return pieces;
}
var stripWithCol = (chars, col) => [strip(chars), col + leadingBlanks(chars)];
function parsePrompts(text) {
  const keyframes = [];
  const seen = /* @__PURE__ */ new Map();
  const lines = splitLines(text);
  for (let n = 0; n < lines.length; n += 1) {
    const lineno = n + 1;
    const raw = lines[n];
    const line = Array.from(raw);
    const stripped = strip(line);
    if (!stripped.length || stripped[0] === "#") continue;
    const indent = leadingBlanks(line);
    const col0 = indent + 1;
    const fail = (reason, col) => new PromptSyntaxError(reason, lineno, col, raw);
    const match = /^([+-]?)([0-9]+)/.exec(str(line.slice(indent)));
    if (!match) {
      const colon = line.indexOf(":");
      if (colon < 0) {
        throw fail("missing ':' - each line reads '<frame>: <prompt>', e.g. '0: a picture of a corgi'", col0);
      }
      throw fail(
        `frame must be a whole number (digits 0-9), got ${quote(str(strip(line.slice(indent, colon))))}`,
        col0
      );
    }
    const [written, sign, digits] = match;
    const after = indent + written.length;
    const rest = line.slice(after);
    const gap = leadingBlanks(rest);
    if (rest[gap] !== ":") {
      if (strip(rest).length && !isBlank(rest[0]) && rest.includes(":")) {
        throw fail(
          `frame must be a whole number (digits 0-9), got ${quote(str(strip(line.slice(indent, line.indexOf(":")))))}`,
          col0
        );
      }
      throw fail("missing ':' after the frame number", after + gap + 1);
    }
    if (sign === "-" && /[1-9]/.test(digits)) throw fail("frame must be 0 or more", col0);
    if (tooBig(digits, MAX_FRAME2)) {
      throw fail(`frame must be at most ${MAX_FRAME2} (an animation has at most ${MAX_FRAMES} frames)`, col0);
    }
    const frame = Number(digits);
    if (seen.has(frame)) throw fail(`frame ${frame} already has a keyframe on line ${seen.get(frame)}`, col0);
    const bodyStart = after + gap + 1;
    const pieces = splitUnescaped(line.slice(bodyStart), bodyStart + 1);
    const [promptChars, promptCol] = stripWithCol(...pieces[0]);
    const prompt = str(promptChars);
    if (!prompt) throw fail(`empty prompt for frame ${frame}`, promptCol);
    if (invisible(prompt)) {
      throw fail(`the prompt for frame ${frame} has only invisible characters (${quote(prompt)})`, promptCol);
    }
    const options = {};
    for (const [piece, col] of pieces.slice(1)) {
      const colon = piece.indexOf(":");
      const key = colon < 0 ? piece : piece.slice(0, colon);
      const [keyChars, keyCol] = stripWithCol(key, col);
      const keyText = str(keyChars);
      const name = Object.hasOwn(OPTION_KEYS, keyText.toLowerCase()) ? OPTION_KEYS[keyText.toLowerCase()] : null;
      if (colon < 0 || name === null) {
        throw fail(
          `unknown option ${quote(keyText)} after '|': use '| negative: <text>', '| seed: <number>' or '| image: <file>'`,
          keyCol
        );
      }
      if (name in options) throw fail(`'${name}' is given twice`, keyCol);
      const [valueChars, valueCol] = stripWithCol(piece.slice(colon + 1), col + key.length + 1);
      const value = str(valueChars);
      if (name === "seed") {
        if (!/^[0-9]+$/.test(value)) {
          throw fail(`seed must be a whole number >= 0 (digits 0-9), got ${quote(value)}`, valueCol);
        }
        if (tooBig(value, MAX_SEED)) throw fail(`seed must be at most ${MAX_SEED}`, valueCol);
        options.seed = Number(value);
      } else if (name === "image") {
        if (!value) throw fail("image needs a picture file, e.g. '| image: cat.png'", valueCol);
        options.image = value;
      } else {
        options.negative = value;
      }
    }
    seen.set(frame, lineno);
    const keyframe = { frame, prompt, negative: options.negative ?? null, seed: options.seed ?? null };
    if (options.image !== void 0) keyframe.image = options.image;
    keyframes.push(keyframe);
  }
  keyframes.sort((a, b) => a.frame - b.frame);
  return keyframes;
}
var escapeField = (text) => text.replaceAll("\\", "\\\\").replaceAll("|", "\\|");
function formatKeyframe(k) {
  let line = `${k.frame}: ${escapeField(k.prompt)}`;
  if (k.negative !== null && k.negative !== void 0) line += k.negative ? ` | negative: ${escapeField(k.negative)}` : " | negative:";
  if (k.seed !== null && k.seed !== void 0) line += ` | seed: ${k.seed}`;
  if (k.image !== null && k.image !== void 0) line += ` | image: ${escapeField(k.image)}`;
  return line;
}
function formatPrompts(keyframes) {
  return [...keyframes].sort((a, b) => a.frame - b.frame).map((k) => `${formatKeyframe(k)}
`).join("");
}
function tryParsePrompts(text) {
  try {
    return { keyframes: parsePrompts(text), error: null };
  } catch (err) {
    if (!(err instanceof PromptSyntaxError)) throw err;
    return { keyframes: null, error: { line: err.line, column: err.column, reason: err.reason, message: err.message } };
  }
}

// src/prompt-text.js
var nextId2 = 0;
function mountPromptText(el, model, bus) {
  const cleanup = cleanupList();
  nextId2 += 1;
  const id = `gw-text-${nextId2}`;
  const area = h("textarea", {
    class: "gw-input gw-code",
    id,
    rows: 6,
    spellcheck: false,
    autocomplete: "off",
    "aria-describedby": `${id}-status`,
    placeholder: "0: a red circle on a white background\n60: a blue square on a sky background | seed: 7"
  });
  const status = h("div", { class: "gw-text-status", id: `${id}-status`, role: "status", "aria-live": "polite" });
  const section2 = h(
    "div",
    { class: "gw-prompt-text" },
    h("div", { class: "gw-subtitle" }, h("label", { for: id }, "Prompts as text")),
    area,
    status,
    h(
      "div",
      { class: "gw-hint" },
      "One keyframe a line: ",
      h("code", {}, "frame: prompt | negative: … | seed: …"),
      ". Lines starting with # are comments."
    )
  );
  el.append(section2);
  let error = null;
  const refused = h("div", { class: "gw-field-error gw-edit-refused", role: "alert", hidden: true });
  status.after(refused);
  cleanup.add(bus.on("keyframe-edit-refused", (why) => {
    refused.textContent = refusedWords(why);
    refused.hidden = false;
  }));
  cleanup.add(() => {
    bus.state.textError = null;
  });
  function showStatus() {
    bus.state.textError = error ? error.message : null;
    if (!error) refused.hidden = true;
    status.classList.toggle("gw-bad", Boolean(error));
    if (error) {
      status.textContent = error.message;
      return;
    }
    const n = projectKeyframes(model).length;
    status.textContent = `${n} keyframe${n === 1 ? "" : "s"}`;
  }
  const apply = debounce(() => {
    const result = tryParsePrompts(area.value);
    error = result.error;
    area.setAttribute("aria-invalid", error ? "true" : "false");
    if (!error && !sameKeyframes(result.keyframes, projectKeyframes(model))) setKeyframes(model, result.keyframes);
    showStatus();
  }, 300);
  cleanup.listen(area, "input", apply);
  cleanup.listen(area, "blur", () => {
    apply.flush();
    syncFromProject();
  });
  cleanup.listen(area, "keydown", (event) => {
    if (error && event.key === "." && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      area.setSelectionRange(...errorRange(area.value, error));
    }
  });
  cleanup.listen(status, "click", () => {
    if (!error) return;
    area.focus();
    area.setSelectionRange(...errorRange(area.value, error));
  });
  cleanup.add(bus.on("flush", () => apply.flush()));
  cleanup.add(() => apply.flush());
  const fitRows = () => {
    area.rows = Math.max(4, Math.min(14, area.value.split("\n").length + 1));
  };
  cleanup.listen(area, "input", fitRows);
  function syncFromProject() {
    const keyframes = projectKeyframes(model);
    if (!error && !isEditing(area)) {
      const parsed = tryParsePrompts(area.value);
      if (parsed.error || !sameKeyframes(parsed.keyframes, keyframes)) area.value = formatPrompts(keyframes);
    }
    fitRows();
    showStatus();
  }
  cleanup.add(watch(model, ["project"], syncFromProject));
  return () => {
    cleanup.run();
    section2.remove();
  };
}
function errorRange(text, error) {
  const lines = text.split(/\r\n|\n|\r/);
  let offset = 0;
  for (let i = 0; i < error.line - 1 && i < lines.length; i += 1) offset += lines[i].length + 1;
  const line = lines[error.line - 1] ?? "";
  const codePoints = Array.from(line);
  const before = codePoints.slice(0, Math.max(0, error.column - 1)).join("").length;
  return [offset + before, offset + line.length];
}

// src/keys.js
var EDITABLE = "input, textarea, select, [contenteditable=''], [contenteditable='true']";
var KEY_EVENTS = ["keydown", "keypress", "keyup"];
var COMMIT_ON_ENTER = /* @__PURE__ */ new Set(["number", "text", "search", "url", "email", ""]);
function isEditable(target) {
  return target instanceof Element && target.matches(EDITABLE);
}
function keepKeysInFields(root) {
  const onKey = (event) => {
    const target = event.target;
    if (!isEditable(target)) return;
    event.stopPropagation();
    if (event.type === "keydown" && event.key === "Enter" && !event.isComposing && !event.defaultPrevented && target.tagName === "INPUT" && COMMIT_ON_ENTER.has(target.getAttribute("type") ?? "")) {
      target.dispatchEvent(new Event("change", { bubbles: true }));
    }
  };
  for (const type of KEY_EVENTS) root.addEventListener(type, onKey);
  return () => {
    for (const type of KEY_EVENTS) root.removeEventListener(type, onKey);
  };
}

// src/root.js
function rootElement(el, widget, className = "gw-standalone") {
  const cleanup = cleanupList();
  const body = h("div", { class: "gw-body" });
  const root = h("div", { class: `gw-root ${className}`.trim(), "data-widget": widget }, body);
  el.append(root);
  cleanup.add(followHostTheme(root));
  cleanup.add(keepKeysInFields(root));
  return {
    root,
    body,
    dispose() {
      cleanup.run();
      root.remove();
    }
  };
}
function mountErrorBanner(el, model) {
  const text = h("span", { class: "gw-error-text" });
  const banner = h(
    "div",
    { class: "gw-error", role: "alert", hidden: true },
    h("span", { class: "gw-error-icon", "aria-hidden": "true" }, "!"),
    text,
    h("button", {
      class: "gw-btn gw-icon gw-dismiss",
      type: "button",
      title: "Dismiss",
      "aria-label": "Dismiss error",
      onclick: () => {
        model.set("error", "");
        model.save_changes();
      }
    }, "×")
  );
  const problems = h("ul", { class: "gw-problems", "aria-live": "polite", hidden: true });
  el.append(banner, problems);
  const stop = watch(model, ["error", "problems"], () => {
    const message = model.get("error") || "";
    const view = el.closest(".gw-root") ?? el;
    text.textContent = (model.get("problems") ?? []).reduce((words, p) => inLabelWords(words, p.field, labelOf(view, p.field)), message);
    banner.hidden = !message;
  });
  const showProblems = () => {
    const view = el.closest(".gw-root") ?? el;
    const unclaimed = (model.get("problems") ?? []).filter((p) => !view.querySelector(`[data-field="${CSS.escape(String(p.field))}"]`));
    problems.replaceChildren(...unclaimed.map((p) => h("li", { "data-field-problem": p.field }, p.message)));
    problems.hidden = !unclaimed.length;
  };
  const stopProblems = watch(model, ["problems"], () => queueMicrotask(showProblems));
  return () => {
    stop();
    stopProblems();
    banner.remove();
    problems.remove();
  };
}

// src/run-extras.js
var THUMB_PX = 40;
function parseRange(startText, endText, numFrames) {
  const [a, b] = [String(startText).trim(), String(endText).trim()];
  const start = Number(a);
  const end = Number(b);
  if (!a || !b || !Number.isInteger(start) || !Number.isInteger(end)) return { ok: false, why: "whole frame numbers" };
  if (start < 0 || end < start || end >= numFrames) {
    return { ok: false, why: `frames 0 to ${Math.max(0, numFrames - 1)}, first ≤ last` };
  }
  return { ok: true, start, end };
}
function describeRun(entry) {
  const parts = [
    entry.kind,
    `${entry.frames} frame${entry.frames === 1 ? "" : "s"}`,
    `${entry.rendered} rendered, ${entry.reused} from cache`
  ];
  if (entry.settings?.seed !== void 0) parts.push(`seed ${entry.settings.seed}`);
  return parts.join(" · ");
}
var numFramesOf = (project) => project?.keyframes?.length ? Math.max(...project.keyframes.map((k) => k.frame)) + 1 : 0;
function mountRunTools(el, model, bus) {
  const cleanup = cleanupList();
  const flushAndSend = (content) => {
    bus.emit("flush");
    model.send(content);
  };
  const draft = h("button", {
    class: "gw-btn",
    type: "button",
    "data-action": "draft",
    title: "A quick storyboard: only the keyframes, a quarter of the steps, half the size",
    onclick: () => flushAndSend({ type: "draft" })
  }, "Draft");
  const start = h("input", {
    class: "gw-input gw-num gw-range-start",
    type: "number",
    min: 0,
    step: 1,
    "aria-label": "First frame of the range",
    value: "0"
  });
  const end = h("input", {
    class: "gw-input gw-num gw-range-end",
    type: "number",
    min: 0,
    step: 1,
    "aria-label": "Last frame of the range",
    value: "0"
  });
  const note = h("span", { class: "gw-field-error gw-range-note" });
  const range = h("button", {
    class: "gw-btn",
    type: "button",
    "data-action": "render-range",
    title: "Render only these frames (the full render reuses them from the cache)",
    onclick: () => {
      const result = parseRange(start.value, end.value, numFramesOf(getProject(model)));
      note.textContent = result.ok ? "" : result.why;
      if (result.ok) flushAndSend({ type: "render_range", start: result.start, end: result.end });
    }
  }, "Render frames");
  const row = h(
    "div",
    { class: "gw-row gw-run-tools" },
    draft,
    h("span", { class: "gw-spacer" }),
    h("span", { class: "gw-label" }, "Frames"),
    start,
    h("span", {}, "to"),
    end,
    range,
    note
  );
  el.append(row);
  let known = -1;
  cleanup.add(watch(model, ["status", "project"], () => {
    const state = model.get("status")?.state;
    const busy = state === "rendering" || state === "loading";
    draft.disabled = busy;
    range.disabled = busy;
    const last = numFramesOf(getProject(model)) - 1;
    if (last !== known) {
      if (Number(end.value) === known || known < 0) end.value = String(Math.max(0, last));
      start.max = end.max = String(Math.max(0, last));
      known = last;
    }
  }));
  return () => {
    cleanup.run();
    row.remove();
  };
}
function mountStoryboard(el, model) {
  const cleanup = cleanupList();
  const store = frameStore(model);
  const grid = h("div", { class: "gw-storyboard-frames" });
  const box = h(
    "div",
    { class: "gw-storyboard", hidden: true },
    h(
      "div",
      { class: "gw-toolbar" },
      h("span", { class: "gw-title" }, "Draft storyboard"),
      h("span", { class: "gw-count" }, "keyframes only · fewer steps · half size")
    ),
    grid
  );
  el.append(box);
  const show = () => {
    const isDraft = model.get("status")?.kind === "draft";
    box.hidden = !isDraft;
    if (!isDraft) return;
    const items = [];
    store.urls.forEach((url, index) => {
      if (url) items.push(h(
        "figure",
        { class: "gw-story-frame", "data-frame": String(index) },
        h("img", { src: url, alt: `Draft frame ${index}` }),
        h("figcaption", {}, `frame ${index}`)
      ));
    });
    grid.replaceChildren(...items);
  };
  cleanup.add(watch(model, ["status"], show));
  cleanup.add(store.subscribe(show));
  return () => {
    cleanup.run();
    box.remove();
  };
}
function mountKeyframeThumbs(el, model, bus) {
  const cleanup = cleanupList();
  const store = frameStore(model);
  const strip2 = h("div", { class: "gw-keyframe-thumbs", "aria-hidden": "true" });
  el.append(strip2);
  const draw = () => {
    const axis = bus.state.axis;
    const keyframes = getProject(model)?.keyframes ?? [];
    const pictures = model.get("keyframe_pictures") ?? {};
    const pictureOf = (k) => k.image ? pictures[k.image] : void 0;
    const shown = axis ? keyframes.filter((k) => (pictureOf(k) || store.has(k.frame)) && frameToX(axis, k.frame) >= 0 && frameToX(axis, k.frame) <= axis.width) : [];
    strip2.hidden = !shown.length;
    strip2.replaceChildren(...shown.map((k) => {
      const left = Math.max(0, Math.min(axis.width - THUMB_PX, frameToX(axis, k.frame) - THUMB_PX / 2));
      const picture = pictureOf(k);
      return h("img", {
        class: picture ? "gw-keyframe-thumb gw-keyframe-picture" : "gw-keyframe-thumb",
        src: picture ?? store.get(k.frame),
        alt: "",
        "data-frame": String(k.frame),
        title: picture ? `frame ${k.frame}: ${k.prompt} (starts from ${k.image})` : `frame ${k.frame}: ${k.prompt}`,
        style: `left: ${left.toFixed(1)}px`
      });
    }));
  };
  cleanup.add(watch(model, ["project", "keyframe_pictures"], draw));
  cleanup.add(store.subscribe(draw));
  cleanup.add(bus.on("axis", draw));
  return () => {
    cleanup.run();
    strip2.remove();
  };
}
function mountRunHistory(el, model) {
  const cleanup = cleanupList();
  let urls = [];
  const list = h("div", { class: "gw-history-runs" });
  const undo = h("button", {
    class: "gw-btn",
    type: "button",
    "data-action": "undo-restore",
    hidden: true,
    title: "Put back the settings the last restore replaced",
    onclick: () => {
      model.send({ type: "undo_restore" });
      undo.hidden = true;
    }
  }, "Undo restore");
  const fold = foldToggle(model, "history", "Recent runs", list);
  cleanup.add(fold.dispose);
  const box = h(
    "section",
    { class: "gw-card gw-history", hidden: true },
    h(
      "div",
      { class: "gw-toolbar" },
      fold.button,
      h("span", { class: "gw-count gw-history-count" }),
      h("span", { class: "gw-spacer" }),
      undo
    ),
    list
  );
  el.append(box);
  const show = () => {
    for (const url of urls) URL.revokeObjectURL(url);
    urls = [];
    const entries = model.get("run_history") ?? [];
    box.hidden = !entries.length;
    box.querySelector(".gw-history-count").textContent = `the last ${entries.length}`;
    list.replaceChildren(...entries.map((entry) => {
      const url = blobUrl(entry.output, entry.mime);
      if (url) urls.push(url);
      const media = !url ? h("div", { class: "gw-output-empty" }, "kept on disk") : String(entry.mime).startsWith("video/") ? h("video", { src: url, muted: true, loop: true, autoplay: true }) : h("img", { src: url, alt: `Run ${entry.run_id}` });
      return h(
        "figure",
        { class: "gw-history-run", "data-run": entry.run_id },
        media,
        h(
          "figcaption",
          {},
          h("div", { class: "gw-history-what" }, describeRun(entry)),
          h("div", { class: "gw-hint", title: (entry.prompts ?? []).join("\n") }, (entry.prompts ?? []).join(" → ")),
          h("button", {
            class: "gw-btn",
            type: "button",
            "data-action": "restore-run",
            title: "Bring this run's settings back (Undo restore takes it back)",
            onclick: () => {
              model.send({ type: "restore_run", run_id: entry.run_id });
              undo.hidden = false;
            }
          }, "Restore")
        )
      );
    }));
  };
  cleanup.add(watch(model, ["run_history"], show));
  return () => {
    cleanup.run();
    for (const url of urls) URL.revokeObjectURL(url);
    box.remove();
  };
}

// src/filmstrip.js
var THUMB_HEIGHT = 56;
var GAP = 6;
var REVEAL_PAD = 40;
var INSET = 3;
var COMING_WIDTH = 96;
var OVERSCAN = 4;
function visibleRange(scrollLeft, viewWidth, pitch, count, overscan = OVERSCAN) {
  if (count <= 0 || pitch <= 0) return [0, 0];
  const first = Math.max(0, Math.floor(scrollLeft / pitch) - overscan);
  const last = Math.min(count, Math.ceil((scrollLeft + viewWidth) / pitch) + overscan);
  return [first, Math.max(first, last)];
}
function revealScroll(scrollLeft, viewWidth, x, width, pad = GAP) {
  if (x - pad < scrollLeft) return Math.max(0, x - pad);
  if (x + width + pad > scrollLeft + viewWidth) return x + width + pad - viewWidth;
  return scrollLeft;
}
function sortedIndexOf(list, value) {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = lo + hi >> 1;
    if (list[mid] === value) return mid;
    if (list[mid] < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
var NOTHING_STALE = { has: () => false, changed: () => false };
function thumbTitle(index, stale, changed) {
  if (stale) return `Frame ${index}: stale, the current settings re-render it`;
  if (changed) return `Frame ${index}: the current settings give another picture (in the cache already)`;
  return `Frame ${index}`;
}
function createFilmstrip({ store, onPick }) {
  const track = h("div", { class: "gw-strip-track" });
  const scroller = h("div", {
    class: "gw-filmstrip",
    role: "listbox",
    "aria-label": "Filmstrip",
    "aria-orientation": "horizontal"
  }, track);
  const nudge = (direction) => h("button", {
    class: `gw-btn gw-strip-nudge gw-strip-${direction}`,
    type: "button",
    tabindex: -1,
    "aria-label": direction === "left" ? "Earlier frames" : "Later frames",
    onclick: () => scroller.scrollBy({ left: (direction === "left" ? -0.8 : 0.8) * scroller.clientWidth })
  }, direction === "left" ? "‹" : "›");
  const before = nudge("left");
  const after = nudge("right");
  const el = h("div", { class: "gw-strip-wrap" }, scroller, before, after);
  const coming = h("div", { class: "gw-strip-coming", "aria-hidden": "true" });
  track.append(coming);
  let indices = [];
  let current = -1;
  let revealed = -1;
  let thumbWidth = THUMB_HEIGHT;
  let marks = NOTHING_STALE;
  const made = /* @__PURE__ */ new Map();
  const pitch = () => thumbWidth + GAP;
  function makeThumb(index) {
    const thumb = h(
      "button",
      {
        class: "gw-thumb",
        type: "button",
        role: "option",
        title: `Frame ${index}`,
        "data-frame": String(index),
        onclick: () => onPick(index)
      },
      h("img", { alt: "", draggable: "false" }),
      h("span", { class: "gw-thumb-label" }, String(index))
    );
    return thumb;
  }
  function layout() {
    const [first, last] = visibleRange(
      Math.max(0, scroller.scrollLeft - INSET),
      scroller.clientWidth || 480,
      pitch(),
      indices.length
    );
    const wanted = new Set(indices.slice(first, last));
    for (const [index, thumb] of made) {
      if (!wanted.has(index) || !store.has(index)) {
        thumb.remove();
        made.delete(index);
      }
    }
    for (let position = first; position < last; position += 1) {
      const index = indices[position];
      let thumb = made.get(index);
      if (!thumb) {
        thumb = makeThumb(index);
        made.set(index, thumb);
        track.append(thumb);
      }
      thumb.style.left = `${INSET + position * pitch()}px`;
      thumb.style.width = `${thumbWidth}px`;
      const img = thumb.firstChild;
      const url = store.get(index);
      if (img.getAttribute("src") !== url) img.src = url;
      const isCurrent = index === current;
      thumb.classList.toggle("gw-current", isCurrent);
      thumb.setAttribute("aria-selected", isCurrent ? "true" : "false");
      const stale = marks.has(index);
      const changed = !stale && marks.changed(index);
      thumb.classList.toggle("gw-stale", stale);
      thumb.classList.toggle("gw-changed", changed);
      thumb.dataset.stale = stale ? "stale" : changed ? "changed" : "";
      thumb.title = thumbTitle(index, stale, changed);
    }
    const scrollable = scroller.scrollWidth - scroller.clientWidth;
    before.hidden = scroller.scrollLeft <= 1;
    after.hidden = scroller.scrollLeft >= scrollable - 1;
    el.classList.toggle("gw-more-left", !before.hidden);
    el.classList.toggle("gw-more-right", !after.hidden);
  }
  function update({ current: frame, aspect = 1, coming: due = 0, stale = NOTHING_STALE }) {
    marks = stale;
    indices = [];
    for (let i = 0; i < store.urls.length; i += 1) if (store.urls[i]) indices.push(i);
    thumbWidth = Math.round(THUMB_HEIGHT * Math.min(3, Math.max(1 / 3, aspect || 1)));
    coming.hidden = due <= 0;
    coming.textContent = due > 0 ? `${due} more coming` : "";
    coming.style.left = `${INSET + indices.length * pitch()}px`;
    const comingWidth = due > 0 ? COMING_WIDTH + GAP : 0;
    track.style.width = `${Math.max(0, 2 * INSET + indices.length * pitch() - GAP + comingWidth)}px`;
    current = frame;
    const position = sortedIndexOf(indices, frame);
    if (position >= 0 && revealed !== frame && scroller.clientWidth > 0) {
      revealed = frame;
      const target = revealScroll(
        scroller.scrollLeft,
        scroller.clientWidth,
        INSET + position * pitch(),
        thumbWidth,
        REVEAL_PAD
      );
      if (target !== scroller.scrollLeft) scroller.scrollLeft = target;
    }
    layout();
  }
  let pending = null;
  const onScroll = () => {
    if (pending === null) pending = requestAnimationFrame(() => {
      pending = null;
      layout();
    });
  };
  scroller.addEventListener("scroll", onScroll, { passive: true });
  return {
    el,
    update,
    layout,
    dispose() {
      scroller.removeEventListener("scroll", onScroll);
      cancelAnimationFrame(pending);
      el.remove();
    }
  };
}

// src/stale.js
function inRanges(ranges, index) {
  let lo = 0;
  let hi = (ranges?.length ?? 0) - 1;
  while (lo <= hi) {
    const mid = lo + hi >> 1;
    const [first, last] = ranges[mid];
    if (index < first) hi = mid - 1;
    else if (index > last) lo = mid + 1;
    else return true;
  }
  return false;
}
function rangesText(ranges) {
  return (ranges ?? []).map(([a, b]) => a === b ? String(a) : `${a}-${b}`).join(", ");
}
function staleFrames(model) {
  const value = model.get("stale_frames") ?? {};
  const stale = value.known ? value.stale ?? [] : [];
  const changed = value.known ? value.changed ?? [] : [];
  return {
    known: Boolean(value.known),
    stale,
    has: (index) => inRanges(stale, index),
    changed: (index) => inRanges(changed, index),
    message: value.message ?? "",
    count: value.count ?? 0,
    total: value.total ?? 0,
    output: value.output ?? ""
  };
}
function runCounts(status) {
  const total = status?.total ?? 0;
  const done = Math.min(status?.done ?? 0, total);
  return { done, total, left: Math.max(0, total - done) };
}

// src/scrubber.js
var WAITING = {
  idle: "Press Render to make frames; they appear here as they finish.",
  loading: "Loading the pipeline… the first frame appears here when it is done.",
  rendering: "Rendering… the first frame appears here when it is done."
};
function mount(el, model, bus, { inputs = true, studio = false } = {}) {
  const cleanup = cleanupList();
  const store = frameStore(model);
  let follow = true;
  let aspect = 0;
  const img = h("img", { class: "gw-frame-img", alt: "" });
  const empty = h("div", { class: "gw-stage-empty" });
  const stage = h("div", {
    class: "gw-stage",
    tabindex: 0,
    role: "img",
    "aria-label": "Current frame. Arrow keys step, Space plays."
  }, img, empty);
  const position = h("span", { class: "gw-readout gw-position" });
  const toImage = h("button", {
    class: "gw-btn",
    type: "button",
    title: "Use this frame as the initial image of the next render",
    onclick: () => model.send({ type: "send_frame_to_image", frame: bus.state.frame })
  }, "Frame → image input");
  const toVideo = h("button", {
    class: "gw-btn",
    type: "button",
    title: "Use the finished animation as the video input of the next render",
    onclick: () => model.send({ type: "send_video_to_video" })
  }, "Video → video input");
  const playButton = h("button", {
    class: "gw-btn gw-icon gw-play",
    type: "button",
    title: "Play / pause (Space)",
    "aria-label": "Play",
    onclick: () => userAction(() => bus.player.toggle())
  }, icon("play"));
  const slider = h("input", {
    class: "gw-slider",
    type: "range",
    min: "0",
    max: "0",
    step: "1",
    value: "0",
    "aria-label": "Frame"
  });
  const strip2 = createFilmstrip({ store, onPick: (index) => userAction(() => bus.player.seek(index)) });
  const transport = h(
    "div",
    { class: "gw-transport" },
    h("button", {
      class: "gw-btn gw-icon",
      type: "button",
      title: "Previous frame (←)",
      "aria-label": "Previous frame",
      onclick: () => userAction(() => bus.player.step(-1))
    }, icon("prev")),
    playButton,
    h("button", {
      class: "gw-btn gw-icon",
      type: "button",
      title: "Next frame (→)",
      "aria-label": "Next frame",
      onclick: () => userAction(() => bus.player.step(1))
    }, icon("next")),
    slider
  );
  const sendRow = inputs ? h("div", { class: "gw-row gw-send" }, h("span", { class: "gw-label" }, "Use as input:"), toImage, toVideo) : null;
  const section2 = h(
    "div",
    { class: "gw-scrubber" },
    h(
      "div",
      { class: "gw-toolbar" },
      h("span", { class: "gw-title" }, "Frames"),
      h("span", { class: "gw-spacer" }),
      position
    ),
    stage,
    transport,
    strip2.el,
    sendRow
  );
  el.append(section2);
  function total() {
    const project = getProject(model);
    const planned = project?.keyframes?.length ? Math.max(...project.keyframes.map((k) => k.frame)) + 1 : 0;
    return Math.max(store.total, model.get("frame_count") ?? 0, planned);
  }
  function userAction(fn) {
    follow = false;
    fn();
    stage.focus({ preventScroll: true });
    if (!bus.state.playing) syncModelFrame();
  }
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
    const waiting = store.count === 0;
    stage.classList.toggle("gw-waiting", waiting);
    section2.style.setProperty("--gw-frame-aspect", String(frameAspect()));
    if (url) {
      if (img.getAttribute("src") !== url) img.src = url;
      img.hidden = false;
      empty.hidden = true;
    } else {
      img.hidden = true;
      empty.hidden = false;
      empty.textContent = waiting ? studio ? WAITING[state] ?? WAITING.idle : "No frames to show yet." : `Frame ${frame} is not rendered yet.`;
    }
    slider.max = String(Math.max(0, n - 1));
    slider.value = String(frame);
    slider.disabled = n <= 1;
    const fps = bus.state.fps;
    const counts = runCounts(model.get("status"));
    const done = counts.total ? counts.done : store.count;
    position.textContent = n ? `frame ${frame} · ${formatTime(frame / fps, 0.01)} · ${done} of ${counts.total || store.total || n} frames rendered` : "";
    Object.assign(section2.dataset, {
      frame: String(frame),
      rendered: String(store.count),
      total: String(n),
      run: store.run ?? ""
    });
    toImage.disabled = !url;
    toVideo.disabled = studio ? !model.get("output")?.byteLength : state !== "finished";
    transport.hidden = waiting;
    strip2.el.hidden = waiting;
    if (sendRow) sendRow.hidden = waiting;
    strip2.update({
      current: frame,
      aspect: frameAspect(),
      coming: state === "rendering" ? counts.left : 0,
      stale: staleFrames(model)
    });
  }
  cleanup.listen(img, "load", () => {
    img.classList.toggle("gw-pixelated", img.naturalWidth > 0 && img.naturalWidth * 2.5 < stage.clientWidth);
    const loaded = img.naturalWidth && img.naturalHeight ? img.naturalWidth / img.naturalHeight : 0;
    if (loaded && loaded !== aspect) {
      aspect = loaded;
      show();
    }
  });
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
      End: () => bus.player.seek(total() - 1)
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
      strip2.layout();
    });
  });
  resize.observe(strip2.el);
  cleanup.add(() => {
    resize.disconnect();
    cancelAnimationFrame(resizePending);
    strip2.dispose();
  });
  return () => {
    cleanup.run();
    section2.remove();
  };
}

// src/control-settings.js
var PREPROCESSORS = ["none", "canny"];
var AUX_PREPROCESSORS = [
  "depth_midas",
  "depth_zoe",
  "lineart_realistic",
  "lineart_anime",
  "openpose",
  "softedge_hed",
  "normal_bae",
  "mlsd",
  "shuffle"
];
var SOURCES = ["video", "image", "previous"];
function controlSummary(project) {
  const parts = [];
  const count = (n, one, many) => n === 1 ? `1 ${one}` : `${n} ${many}`;
  const nets = project?.controlnets ?? [];
  const adapters = project?.adapters ?? [];
  if (nets.length) parts.push(count(nets.length, "ControlNet", "ControlNets"));
  if (adapters.length) parts.push(count(adapters.length, "adapter", "adapters"));
  const images = (project?.keyframes ?? []).filter((k) => k.image).length;
  if (images) parts.push(count(images, "image keyframe", "image keyframes"));
  return parts.join(" · ") || "none";
}
function parseScale(text) {
  const raw = String(text ?? "").trim();
  if (raw === "") return 1;
  const value = Number(raw);
  return Number.isFinite(value) ? value : raw;
}
function newEntry(project, kind) {
  const source = project?.video_input ? "video" : project?.image_input ? "image" : "";
  const entry = { model: "", source, preprocessor: "canny", conditioning_scale: 1 };
  return kind === "controlnets" ? { ...entry, guidance_start: 0, guidance_end: 1 } : entry;
}
var nextId3 = 0;
var uid = (name) => {
  nextId3 += 1;
  return `gw-control-${name}-${nextId3}`;
};
function controlList(model, cleanup, kind, label, previews) {
  const what = kind === "controlnets" ? "ControlNet" : "adapter";
  const rows = h("div", { class: "gw-control-rows" });
  const note = h("div", { class: "gw-field-error" });
  const listId = uid("preprocessors");
  const sourcesId = uid("sources");
  const edit = (fn) => editProject(model, (p) => {
    p[kind] = fn((p[kind] ?? []).map((e) => ({ ...e })));
  });
  const set = (index, key, value) => edit((list) => {
    list[index][key] = value;
    return list;
  });
  const row = (entry, index) => {
    const n = index + 1;
    const text = (key, value, placeholder, extra = {}) => {
      const input = h("input", {
        class: "gw-input",
        type: "text",
        value: value ?? "",
        spellcheck: false,
        placeholder,
        "aria-label": `${what} ${n} ${key.replace("_", " ")}`,
        dataset: { key },
        ...extra
      });
      return input;
    };
    const modelInput = text("model", entry.model, "Hub id or local folder");
    const source = text("source", entry.source, "video, image, previous or a file", { list: sourcesId });
    const preprocessor = text("preprocessor", entry.preprocessor ?? "none", "canny", { list: listId });
    const scale = text("conditioning_scale", String(entry.conditioning_scale ?? 1), "1.0 or 0:(1), 30:(0.2)");
    cleanup.listen(modelInput, "change", () => set(index, "model", modelInput.value.trim()));
    cleanup.listen(source, "change", () => set(index, "source", source.value.trim() || null));
    cleanup.listen(preprocessor, "change", () => set(index, "preprocessor", preprocessor.value.trim() || "none"));
    cleanup.listen(scale, "change", () => set(index, "conditioning_scale", parseScale(scale.value)));
    const cells = [modelInput, source, preprocessor, scale];
    if (kind === "controlnets") {
      for (const [key, fallback] of [["guidance_start", 0], ["guidance_end", 1]]) {
        const input = h("input", {
          class: "gw-input gw-num",
          type: "number",
          step: 0.05,
          min: 0,
          max: 1,
          value: String(entry[key] ?? fallback),
          "aria-label": `${what} ${n} ${key.replace("_", " ")}`,
          dataset: { key }
        });
        cleanup.listen(input, "change", () => {
          const value = Number(input.value);
          if (input.value.trim() !== "" && Number.isFinite(value)) set(index, key, value);
        });
        cells.push(input);
      }
    }
    const preview = h("button", { class: "gw-btn", type: "button", title: "Show the preprocessor's picture of the current frame", "aria-label": `Preview ${what} ${n}` }, "Preview");
    cleanup.listen(preview, "click", () => model.send({
      type: "control_preview",
      kind,
      index,
      frame: Number(model.get("frame") ?? 0) || 0
    }));
    const remove = h("button", {
      class: "gw-btn gw-icon",
      type: "button",
      title: `Remove this ${what}`,
      "aria-label": `Remove ${what} ${n}`
    }, "×");
    cleanup.listen(remove, "click", () => edit((list) => list.filter((_, i) => i !== index)));
    const picture = h("img", { class: "gw-control-preview", alt: `${what} ${n}'s conditioning image`, hidden: true });
    previews.set(`${kind}:${index}`, picture);
    return h(
      "div",
      { class: "gw-control", dataset: { index: String(index) } },
      h("div", { class: "gw-row gw-control-cells" }, ...cells, preview, remove),
      picture
    );
  };
  const add = h("button", {
    class: "gw-btn",
    type: "button",
    onclick: () => edit((list) => [...list, newEntry(getProject(model), kind)])
  }, `Add ${what}`);
  let shown = "";
  function show(project) {
    const entries = project?.[kind] ?? [];
    const now = JSON.stringify(entries);
    const typing = rows.contains(rows.ownerDocument?.activeElement);
    if (now !== shown && !typing) {
      for (const key of [...previews.keys()]) if (key.startsWith(`${kind}:`)) previews.delete(key);
      rows.replaceChildren(...entries.map(row));
      shown = now;
    }
    note.textContent = problemsOf(model, kind).map((p) => p.message).join(" · ");
  }
  const options = (id, values) => h("datalist", { id }, values.map((v) => h("option", { value: v })));
  const el = h(
    "div",
    { class: "gw-field", dataset: { field: kind } },
    h("span", { class: "gw-label" }, label),
    rows,
    h("div", { class: "gw-row" }, add),
    options(listId, [...PREPROCESSORS, ...AUX_PREPROCESSORS]),
    options(sourcesId, SOURCES),
    note
  );
  return { row: el, show };
}
function controlSettings(model, cleanup) {
  const previews = /* @__PURE__ */ new Map();
  const nets = controlList(model, cleanup, "controlnets", "ControlNets", previews);
  const adapters = controlList(model, cleanup, "adapters", "T2I adapters", previews);
  const summaryText = h("span", { class: "gw-summary-text" });
  const previewNote = h("div", { class: "gw-field-error", dataset: { field: "control_preview" } });
  const details = h(
    "details",
    { class: "gw-section gw-control-section" },
    h("summary", {}, h("span", { class: "gw-section-title" }, "Control"), summaryText),
    h(
      "div",
      { class: "gw-section-body" },
      nets.row,
      adapters.row,
      h("div", { class: "gw-hint" }, "Sources: the video input, the image input, a picture file, or previous (the 2D mode). canny and none always work; the other preprocessors need controlnet-aux. Image keyframes: '| image: cat.png' in the prompt text."),
      previewNote
    )
  );
  cleanup.add(watch(model, ["project", "problems"], () => {
    const project = getProject(model);
    nets.show(project);
    adapters.show(project);
    summaryText.textContent = controlSummary(project);
  }));
  const onMessage = (content, buffers) => {
    if (content?.type !== "control_preview") return;
    previewNote.textContent = content.error ?? "";
    const picture = previews.get(`${content.kind}:${content.index}`);
    if (!picture || content.error || !buffers?.length) return;
    const old = picture.src;
    picture.src = URL.createObjectURL(new Blob([buffers[0]], { type: "image/png" }));
    if (old) URL.revokeObjectURL(old);
    picture.hidden = false;
  };
  model.on("msg:custom", onMessage);
  cleanup.add(() => model.off("msg:custom", onMessage));
  return { details, summaryText, summary: controlSummary, flush: () => {
  } };
}

// src/input-notes.js
var SHAPE_TOLERANCE = 0.01;
function stretched(kind, item, project) {
  const width = project?.width;
  const height = project?.height;
  if (!item?.width || !item?.height || !width || !height) return null;
  if (Math.abs(item.width / item.height - width / height) <= SHAPE_TOLERANCE * (width / height)) return null;
  return `The ${item.width}×${item.height} ${kind} is stretched to ${width}×${height} frames: leave Width or Height empty (auto) to keep its shape.`;
}
function inputNotes(project, media) {
  const notes = [];
  if (project?.image_input && project?.video_input) {
    notes.push("Both an image and a video are set: the image is used for every frame. Remove it to use the video.");
  }
  const image = project?.image_input ? stretched("image", media?.image, project) : null;
  const video = !project?.image_input && project?.video_input ? stretched("video", media?.video, project) : null;
  for (const note of [image, video]) if (note) notes.push(note);
  return notes;
}

// src/beat-settings.js
function beatSummary(project, labelOf2) {
  if (!project) return "";
  const unit = `keyframes in ${labelOf2("keyframe_units", project.keyframe_unit)}`;
  return project.bpm ? `${project.bpm} BPM · ${project.beats_per_bar} a bar · ${unit}` : `no tempo · ${unit}`;
}
function beatFields(add, terms2, grid, button) {
  return [
    grid(
      add("bpm", "Tempo (BPM)", {
        kind: "optfloat",
        min: 20,
        max: 400,
        placeholder: "none",
        hint: "beats per minute: the timeline draws beats and bars, keyframes snap to them (Alt frees)"
      }),
      add("beats_per_bar", "Beats per bar", { kind: "int", min: 1, max: 32 }),
      add("beat_offset", "First beat (s)", {
        kind: "float",
        min: 0,
        max: 60,
        step: 0.01,
        hint: "where the grid starts, so bars line up with the music"
      }),
      add("keyframe_unit", "Keyframes stay on their", {
        kind: "select",
        options: terms2("keyframe_units"),
        hint: "when fps changes; the timeline counts in this unit"
      })
    ),
    button
  ];
}

// src/motion-settings.js
function motionSummary(project, labelOf2) {
  const parts = [labelOf2("animation_modes", project.animation_mode)];
  if (project.color_match) parts.push("colour match");
  if (project.cadence > 1) parts.push(`cadence ${project.cadence}`);
  if (project.loop) parts.push("loop");
  if (project.boomerang) parts.push("boomerang");
  return parts.filter(Boolean).join(" · ");
}
function motionFields(add, terms2, grid) {
  return [
    grid(
      add("animation_mode", "Animation mode", {
        kind: "select",
        options: terms2("animation_modes"),
        hint: "2D feedback grows each frame from the previous one; the lanes under the timeline move the camera."
      }),
      add("border_mode", "Border", {
        kind: "select",
        options: terms2("border_modes"),
        hint: "what fills the edges the motion uncovers (2D)"
      }),
      add("cadence", "Cadence", {
        kind: "int",
        min: 1,
        max: 50,
        hint: "2D: diffuse every Nth frame, warp the ones between"
      })
    ),
    add("color_match", "Match colours to the first frame", {
      kind: "check",
      hint: "2D: stops the colours drifting over a long feedback chain."
    }),
    add("loop", "Loop: the last frames walk back to the first keyframe", {
      kind: "check",
      hint: "The animation closes on itself."
    }),
    add("boomerang", "Boomerang: play forward, then backward", {
      kind: "check",
      hint: "The GIF or MP4 holds the frames both ways."
    })
  ];
}

// src/pipeline-additions.js
function lineColumn(text, index) {
  const before = text.slice(0, Math.max(0, index));
  const lines = before.split("\n");
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}
function parseArguments(text) {
  const raw = String(text ?? "");
  if (raw.trim() === "") return { ok: true, value: {} };
  let value;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    const message = String(err?.message ?? err);
    const at = /position (\d+)/.exec(message);
    const where = at ? lineColumn(raw, Number(at[1])) : lineColumn(raw, raw.length);
    const what = at ? "not valid JSON here" : "the JSON ends too soon";
    return { ok: false, why: `line ${where.line}, column ${where.column}: ${what} (write {"name": value, ...})` };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, why: 'must be a JSON object: {"name": value, ...}' };
  }
  return { ok: true, value };
}
var formatArguments = (value) => value && Object.keys(value).length ? JSON.stringify(value, null, 2) : "";
function additionsSummary(project) {
  const parts = [];
  const loras = project?.loras ?? [];
  if (loras.length) parts.push(loras.length === 1 ? "1 LoRA" : `${loras.length} LoRAs`);
  const args = Object.keys(project?.pipeline_kwargs ?? {}).length + Object.keys(project?.scheduler_kwargs ?? {}).length;
  if (args) parts.push(args === 1 ? "1 argument" : `${args} arguments`);
  if (project?.prompt_weighting) parts.push("weighted prompts");
  if (project?.custom_pipeline) parts.push(project.trust_remote_code ? "custom code (trusted)" : "custom code");
  return parts.join(" · ") || "none";
}
var nextId4 = 0;
var uid2 = (name) => {
  nextId4 += 1;
  return `gw-add-${name}-${nextId4}`;
};
function marked(input, note, why) {
  note.textContent = why;
  input.setAttribute("aria-invalid", why ? "true" : "false");
  input.classList.toggle("gw-invalid", Boolean(why));
}
function argumentsBox(model, cleanup, key, label, hint) {
  const id = uid2(key);
  const input = h("textarea", {
    class: "gw-input gw-json",
    id,
    rows: 3,
    spellcheck: false,
    placeholder: '{"name": value}'
  });
  const note = h("div", { class: "gw-field-error" });
  let localWhy = "";
  const commit = () => {
    const result = parseArguments(input.value);
    localWhy = result.ok ? "" : result.why;
    show(getProject(model));
    if (!result.ok) return;
    if (JSON.stringify(getProject(model)?.[key] ?? {}) === JSON.stringify(result.value)) return;
    editProject(model, (p) => {
      p[key] = result.value;
    });
  };
  const typed = debounce(commit, 500);
  cleanup.listen(input, "input", typed);
  cleanup.listen(input, "blur", () => typed.flush());
  cleanup.add(() => typed.flush());
  function show(project) {
    if (!isEditing(input) && !localWhy) input.value = formatArguments(project?.[key]);
    marked(input, note, localWhy || problemsOf(model, key).map((p) => p.message).join(" · "));
  }
  const row = h(
    "div",
    { class: "gw-field", dataset: { field: key } },
    h("label", { class: "gw-label", for: id }, label),
    input,
    h("div", { class: "gw-hint" }, hint),
    note
  );
  return { row, show, flush: () => typed.flush() };
}
function loraList(model, cleanup) {
  const rows = h("div", { class: "gw-lora-rows" });
  const note = h("div", { class: "gw-field-error" });
  const edit = (fn) => editProject(model, (p) => {
    p.loras = fn((p.loras ?? []).map((l) => ({ ...l })));
  });
  const row = (lora, index) => {
    const path = h("input", {
      class: "gw-input",
      type: "text",
      value: lora.path ?? "",
      spellcheck: false,
      placeholder: "file, folder or Hub id",
      "aria-label": `LoRA ${index + 1} path`
    });
    const weight = h("input", {
      class: "gw-input gw-num",
      type: "number",
      step: 0.05,
      min: -10,
      max: 10,
      value: String(lora.weight ?? 1),
      "aria-label": `LoRA ${index + 1} weight`
    });
    const remove = h("button", {
      class: "gw-btn gw-icon",
      type: "button",
      title: "Remove this LoRA",
      "aria-label": `Remove LoRA ${index + 1}`
    }, "×");
    cleanup.listen(path, "change", () => edit((list) => {
      list[index].path = path.value.trim();
      return list;
    }));
    cleanup.listen(weight, "change", () => {
      const value = Number(weight.value);
      if (weight.value.trim() === "" || !Number.isFinite(value)) {
        marked(weight, note, "a LoRA's weight is a number, such as 0.8");
        return;
      }
      edit((list) => {
        list[index].weight = value;
        return list;
      });
    });
    cleanup.listen(remove, "click", () => edit((list) => list.filter((_, i) => i !== index)));
    return h("div", { class: "gw-row gw-lora" }, path, weight, remove);
  };
  const add = h("button", {
    class: "gw-btn",
    type: "button",
    onclick: () => edit((list) => [...list, { path: "", weight: 1 }])
  }, "Add LoRA");
  let shown = "";
  function show(project) {
    const loras = project?.loras ?? [];
    const now = JSON.stringify(loras);
    const typing = rows.contains(rows.ownerDocument?.activeElement);
    if (now !== shown && !typing) {
      rows.replaceChildren(...loras.map(row));
      shown = now;
    }
    const why = problemsOf(model, "loras").map((p) => p.message).join(" · ");
    note.textContent = why;
  }
  const el = h(
    "div",
    { class: "gw-field", dataset: { field: "loras" } },
    h("span", { class: "gw-label" }, "LoRAs"),
    rows,
    h("div", { class: "gw-row" }, add),
    h(
      "div",
      { class: "gw-hint" },
      "Weights from -10 to 10 (1: as trained). Each is loaded for the render and taken out afterwards."
    ),
    note
  );
  return { row: el, show };
}
function check(model, cleanup, key, label, hint) {
  const id = uid2(key);
  const input = h("input", { type: "checkbox", class: "gw-check", id });
  const note = h("div", { class: "gw-field-error" });
  cleanup.listen(input, "change", () => editProject(model, (p) => {
    p[key] = input.checked;
  }));
  const show = (project) => {
    input.checked = Boolean(project?.[key]);
    note.textContent = problemsOf(model, key).map((p) => p.message).join(" · ");
  };
  return { row: h(
    "div",
    { class: "gw-field gw-field-check", dataset: { field: key } },
    input,
    h("label", { class: "gw-label", for: id }, label),
    h("div", { class: "gw-hint" }, hint),
    note
  ), show };
}
function pipelineAdditions(model, cleanup) {
  const loras = loraList(model, cleanup);
  const callArgs = argumentsBox(
    model,
    cleanup,
    "pipeline_kwargs",
    "Pipeline arguments",
    `Passed to the pipeline's call, e.g. {"eta": 0.5} or InstructPix2Pix's {"image_guidance_scale": 1.5}.`
  );
  const schedulerArgs = argumentsBox(
    model,
    cleanup,
    "scheduler_kwargs",
    "Scheduler arguments",
    `Over the scheduler's config, e.g. {"timestep_spacing": "leading"}.`
  );
  const weighting = check(
    model,
    cleanup,
    "prompt_weighting",
    "Weighted prompts (Compel)",
    "a (red)1.3 circle, circle++; needs the compel package."
  );
  const customId = uid2("custom-pipeline");
  const custom = h("input", {
    class: "gw-input",
    type: "text",
    id: customId,
    spellcheck: false,
    placeholder: "none: the checkpoint's own pipeline"
  });
  const customNote = h("div", { class: "gw-field-error" });
  cleanup.listen(custom, "change", () => editProject(model, (p) => {
    p.custom_pipeline = custom.value.trim() || null;
  }));
  const trust = check(
    model,
    cleanup,
    "trust_remote_code",
    "Trust remote code",
    "Runs the custom pipeline's Python code in this kernel."
  );
  const warning = h(
    "div",
    { class: "gw-warning", role: "alert", hidden: true },
    "Remote code is on: the custom pipeline's code runs with this kernel's rights. Use only code you trust."
  );
  const summaryText = h("span", { class: "gw-summary-text" });
  const details = h(
    "details",
    { class: "gw-section gw-additions" },
    h("summary", {}, h("span", { class: "gw-section-title" }, "LoRA and arguments"), summaryText),
    h(
      "div",
      { class: "gw-section-body" },
      loras.row,
      callArgs.row,
      schedulerArgs.row,
      weighting.row,
      h(
        "div",
        { class: "gw-field", dataset: { field: "custom_pipeline" } },
        h("label", { class: "gw-label", for: customId }, "Custom pipeline"),
        custom,
        h("div", { class: "gw-hint" }, "A community pipeline's name or a local pipeline.py."),
        customNote
      ),
      trust.row,
      warning
    )
  );
  cleanup.add(watch(model, ["project", "problems"], () => {
    const project = getProject(model);
    loras.show(project);
    callArgs.show(project);
    schedulerArgs.show(project);
    weighting.show(project);
    trust.show(project);
    if (!isEditing(custom)) custom.value = project?.custom_pipeline ?? "";
    customNote.textContent = problemsOf(model, "custom_pipeline").map((p) => p.message).join(" · ");
    warning.hidden = !project?.trust_remote_code;
    summaryText.textContent = additionsSummary(project);
  }));
  return { details, summaryText, summary: additionsSummary, flush: () => {
    callArgs.flush();
    schedulerArgs.flush();
  } };
}

// src/pipeline-words.js
var EMBEDDED = "Embedded model (offline, trained on shapes)";
var EMBEDDED_PREFIX = "giffusion-widgets/";
function deviceWords(device) {
  const name = String(device ?? "").trim();
  if (!name) return "";
  if (name === "cpu") return "CPU";
  const cuda = /^cuda(?::(\d+))?$/.exec(name);
  if (cuda) return cuda[1] && cuda[1] !== "0" ? `GPU ${cuda[1]}` : "GPU";
  if (name === "mps") return "Apple GPU";
  return name;
}
function describePipeline(info, project) {
  const i = info ?? {};
  const checkpoint = i.checkpoint || project?.checkpoint || "";
  const builtin = i.builtin ?? (!checkpoint || checkpoint.startsWith(EMBEDDED_PREFIX));
  const name = builtin ? EMBEDDED : checkpoint;
  const fromMessage = i.state === "ready" && /^\S+ · \S+$/.test(i.message ?? "") ? i.message.split(" · ") : [];
  const device = i.device ?? fromMessage[0] ?? "";
  const dtype = i.dtype ?? fromMessage[1] ?? "";
  const details = [i.pipeline_class, checkpoint, device, dtype, i.accepts?.length ? `accepts ${i.accepts.join(", ")}` : ""].filter(Boolean).join(" · ");
  switch (i.state) {
    case "ready":
      return { line: [name, deviceWords(device)].filter(Boolean).join(" · "), details };
    case "loading":
      return { line: `Loading ${builtin ? "the embedded model" : checkpoint}…`, details };
    case "failed":
      return {
        line: `Could not load ${builtin ? "the embedded model" : checkpoint}: ${i.message || "see the error"}`,
        details
      };
    default:
      return { line: `${name} · loads on the first render`, details };
  }
}

// src/settings.js
function schedulerChoices(vocabulary, pipelineInfo) {
  const known = vocabulary?.schedulers ?? [];
  const accepted = pipelineInfo?.state === "ready" && Array.isArray(pipelineInfo.schedulers) ? new Set(pipelineInfo.schedulers) : null;
  return accepted ? known.filter((t) => accepted.has(t.value)) : known;
}
var nextId5 = 0;
var uid3 = (name) => {
  nextId5 += 1;
  return `gw-${name}-${nextId5}`;
};
function field(model, cleanup, key, label, {
  kind = "text",
  hint = "",
  placeholder = "",
  options = [],
  min,
  max,
  step,
  list,
  nullable = false
} = {}) {
  const id = uid3(key);
  let input;
  if (kind === "select") {
    input = h(
      "select",
      { class: "gw-input gw-select", id },
      options.map((t) => h("option", { value: t.value, title: t.hint || void 0 }, t.label))
    );
  } else if (kind === "check") {
    input = h("input", { type: "checkbox", id, class: "gw-check" });
  } else {
    const numeric = ["int", "float", "optint", "optfloat", "range"].includes(kind);
    input = h("input", {
      class: `gw-input${numeric && kind !== "range" ? " gw-num" : ""}`,
      id,
      type: kind === "range" ? "range" : numeric ? "number" : "text",
      min,
      max,
      step: step ?? (kind === "float" || kind === "optfloat" ? "any" : numeric ? "1" : void 0),
      placeholder,
      list: list ? `${id}-list` : void 0,
      autocomplete: "off",
      spellcheck: false
    });
  }
  const valueLabel = kind === "range" ? h("output", { class: "gw-range-value", for: id }) : null;
  const datalist = list ? h("datalist", { id: `${id}-list` }) : null;
  const suggest = (items) => datalist?.replaceChildren(...items.map((v) => typeof v === "object" ? h("option", { value: v.value, label: v.label }) : h("option", { value: v })));
  if (list) suggest(list);
  const note = h("div", { class: "gw-field-error" });
  function parse() {
    const raw = String(input.value).trim();
    if (kind === "check") return { ok: true, value: input.checked };
    if (kind === "text") return { ok: true, value: raw === "" && nullable ? null : raw };
    if (kind === "select") return { ok: true, value: raw === "" && nullable ? null : raw };
    if (kind === "batch" && raw.toLowerCase() === "auto") return { ok: true, value: "auto" };
    if (kind === "scheduled" && raw !== "") return { ok: true, value: scheduledValue(raw) };
    if (raw === "") {
      return kind === "optint" || kind === "optfloat" ? { ok: true, value: null } : { ok: false, why: "enter a number" };
    }
    const value = Number(raw);
    if (!Number.isFinite(value)) return { ok: false, why: "enter a number" };
    if ((kind === "int" || kind === "optint" || kind === "batch") && !Number.isInteger(value)) {
      return { ok: false, why: kind === "batch" ? "a whole number or auto" : "a whole number" };
    }
    return { ok: true, value };
  }
  let localWhy = "";
  let kernelWhy = "";
  function mark() {
    const why = localWhy || kernelWhy;
    note.textContent = why;
    input.setAttribute("aria-invalid", why ? "true" : "false");
    input.classList.toggle("gw-invalid", Boolean(why));
    row.dataset.problem = why ? "true" : "false";
  }
  function commit() {
    const result = parse();
    localWhy = result.ok ? "" : result.why;
    mark();
    if (!result.ok) return;
    if (getProject(model)?.[key] === result.value) return;
    editProject(model, (p) => {
      p[key] = result.value;
    });
  }
  const typed = kind === "text" ? debounce(commit, 400) : null;
  if (typed) {
    cleanup.listen(input, "input", typed);
    cleanup.listen(input, "blur", () => typed.flush());
    cleanup.add(() => typed.flush());
  } else if (kind === "range") {
    cleanup.listen(input, "input", () => {
      valueLabel.textContent = Number(input.value).toFixed(2);
    });
    cleanup.listen(input, "change", commit);
  } else {
    cleanup.listen(input, "change", commit);
  }
  function show(project) {
    const value = project?.[key];
    if (!isEditing(input)) {
      if (kind === "check") input.checked = Boolean(value);
      else input.value = value === null || value === void 0 ? "" : String(value);
      if (valueLabel) valueLabel.textContent = Number(value ?? 0).toFixed(2);
      localWhy = "";
    }
    kernelWhy = problemsOf(model, key).map((p) => inLabelWords(p.message, key, label)).join(" · ");
    mark();
  }
  const labelEl = h("label", { for: id, class: "gw-label" }, label);
  const row = kind === "check" ? h(
    "div",
    { class: "gw-field gw-field-check" },
    input,
    labelEl,
    hint ? h("div", { class: "gw-hint" }, hint) : null,
    note
  ) : h(
    "div",
    { class: "gw-field" },
    labelEl,
    h("div", { class: "gw-field-input" }, input, valueLabel, datalist),
    hint ? h("div", { class: "gw-hint" }, hint) : null,
    note
  );
  row.dataset.field = key;
  return { key, row, show, suggest, flush: () => typed?.flush(), input };
}
function section(title, summary, open, ...children) {
  const summaryText = h("span", { class: "gw-summary-text" });
  const details = h(
    "details",
    { class: "gw-section", open },
    h("summary", {}, h("span", { class: "gw-section-title" }, title), summaryText),
    h("div", { class: "gw-section-body" }, children)
  );
  return { details, summaryText, summary };
}
function uploadButton(model, kind, label) {
  const accept = terms(model, "media_kinds").find((t) => t.value === kind)?.hint ?? ".json,application/json";
  const input = h("input", { type: "file", accept, hidden: true });
  input.addEventListener("change", async () => {
    const file = input.files?.[0];
    if (!file) return;
    const bytes = await file.arrayBuffer();
    model.send({ type: "upload", kind, name: file.name }, void 0, [bytes]);
    input.value = "";
  });
  const button = h("button", { class: "gw-btn", type: "button", onclick: () => input.click() }, label);
  return h("span", { class: "gw-upload" }, button, input);
}
function mount2(el, model, bus) {
  const cleanup = cleanupList();
  const fields = [];
  const add = (...args) => {
    const f = field(model, cleanup, ...args);
    fields.push(f);
    return f.row;
  };
  const fieldOf = (key) => fields.find((f) => f.key === key);
  const send = (content) => model.send(content);
  const pipelineState = h("span", { class: "gw-badge" });
  const pipelineMessage = h("div", { class: "gw-hint" });
  const pipelineKnows = h("div", { class: "gw-hint" });
  const loadButton = h("button", { class: "gw-btn", type: "button", onclick: () => {
    for (const f of fields) f.flush();
    const p = getProject(model) ?? {};
    send({ type: "load_pipeline", checkpoint: p.checkpoint ?? "", pipeline_class: p.pipeline_class ?? "" });
  } }, "Load pipeline");
  const pipeline = section(
    "Pipeline",
    (p) => describePipeline(model.get("pipeline_info"), p).line,
    false,
    h(
      "div",
      { class: "gw-grid gw-grid-wide" },
      add("checkpoint", "Checkpoint", {
        nullable: true,
        placeholder: "empty: the embedded model",
        hint: "A Hub id (stabilityai/sd-turbo) or a local folder. Hub downloads need network access."
      }),
      add("pipeline_class", "Pipeline class", {
        nullable: true,
        placeholder: "auto",
        list: terms(model, "pipeline_classes")
      })
    ),
    h("div", { class: "gw-row gw-pipeline-row" }, loadButton, pipelineState, pipelineMessage),
    pipelineKnows
  );
  const media = {};
  const kindLabel = (kind) => terms(model, "media_kinds").find((t) => t.value === kind)?.label ?? kind;
  const mediaRow = (kind, extra = []) => {
    const title = kindLabel(kind);
    const name = h("span", { class: "gw-media-name" });
    const clear = h("button", {
      class: "gw-btn gw-icon",
      type: "button",
      title: `Remove the ${kind} input`,
      "aria-label": `Remove the ${kind} input`,
      onclick: () => send({ type: "clear_media", kind })
    }, "×");
    media[kind] = { name, clear };
    return h(
      "div",
      { class: "gw-media" },
      h("div", { class: "gw-media-head" }, h("span", { class: "gw-label" }, title), name, clear),
      h("div", { class: "gw-row" }, uploadButton(model, kind, `Choose ${kind}…`), extra)
    );
  };
  const preview = h("img", { class: "gw-preview", alt: "Initial image", hidden: true });
  let previewUrl = null;
  const inputs = section(
    "Inputs",
    () => mediaSummary(model.get("media")),
    false,
    h(
      "div",
      { class: "gw-grid gw-grid-wide" },
      mediaRow("image", [preview]),
      h(
        "div",
        {},
        mediaRow("audio", [
          h("button", {
            class: "gw-btn",
            type: "button",
            title: "Put a keyframe on each onset of the audio component",
            onclick: () => send({ type: "audio_keyframes" })
          }, "Get keyframes from audio")
        ]),
        add("audio_component", "Audio component", {
          kind: "select",
          options: terms(model, "audio_components"),
          hint: "Onsets of this part of the sound become keyframes."
        })
      ),
      mediaRow("video", [
        h("button", {
          class: "gw-btn",
          type: "button",
          title: "Match keyframes and fps to the video",
          onclick: () => send({ type: "video_keyframes" })
        }, "Get keyframes from video")
      ])
    ),
    h("div", { class: "gw-hint" }, "Files are saved beside the notebook. Strength (Diffusion) sets how far frames may move away from the image or video.")
  );
  const diffusion = section(
    "Diffusion",
    (p) => `${p.num_inference_steps} steps · guidance ${p.guidance_scale} · seed ${p.seed}`,
    false,
    h(
      "div",
      { class: "gw-grid" },
      add("num_inference_steps", "Steps", { kind: "int", min: 1 }),
      add("guidance_scale", "Guidance scale", { kind: "scheduled", hint: "or a schedule: a lane draws it" }),
      add("strength", "Strength", { kind: "scheduled", hint: "image and video inputs, 2D frames" }),
      add("seed", "Seed", { kind: "int", min: 0 }),
      add("batch_size", "Batch size", {
        kind: "batch",
        list: ["auto", "1", "2", "4", "8"],
        hint: "frames per pipeline call; auto finds what fits"
      }),
      add("scheduler", "Scheduler", {
        nullable: true,
        placeholder: "the pipeline's",
        list: schedulerChoices(model.get("vocabulary"), model.get("pipeline_info"))
      }),
      add("height", "Height", { kind: "optint", min: 8, step: 8, placeholder: "auto" }),
      add("width", "Width", { kind: "optint", min: 8, step: 8, placeholder: "auto" }),
      add("latent_channels", "Latent channels", { kind: "optint", min: 1, placeholder: "auto" })
    ),
    add("negative_prompt", "Negative prompt", {
      placeholder: "things to avoid in every frame",
      hint: "A keyframe's own negative prompt replaces this one."
    })
  );
  const interpolation = section(
    "Interpolation",
    (p) => `${p.use_prompt_embeds ? `${p.embedding_interpolation} embeddings` : "prompt text"} · ${p.easing}`,
    false,
    add("use_prompt_embeds", "Blend prompt embeddings between keyframes", {
      kind: "check",
      hint: "Off: each frame uses its nearest keyframe's prompt."
    }),
    add("use_fixed_latent", "Same starting noise for every frame", {
      kind: "check",
      hint: "Steadier animations; off lets the noise drift between keyframe seeds."
    }),
    h(
      "div",
      { class: "gw-grid" },
      add("embedding_interpolation", "Blend", { kind: "select", options: terms(model, "interpolations") }),
      add("easing", "Easing", { kind: "select", options: terms(model, "easings") }),
      add("easing_frequency", "Sine frequency", {
        kind: "float",
        min: 0,
        step: 0.5,
        hint: "swings per segment (sine wave easing)"
      })
    ),
    add("easing_curve", "Custom curve", {
      nullable: true,
      placeholder: "0:(0), 12:(0.2), 24:(1)",
      hint: "The weight between keyframes, 0..1, as a schedule over the frames (custom easing)."
    })
  );
  const formatName = (value) => terms(model, "output_formats").find((t) => t.value === value)?.label ?? value;
  const output = section(
    "Output",
    (p) => `${formatName(p.output_format)} · ${p.fps} fps`,
    true,
    h(
      "div",
      { class: "gw-grid" },
      add("output_format", "Format", { kind: "select", options: terms(model, "output_formats") }),
      add("fps", "Frames per second", { kind: "int", min: 1 })
    )
  );
  const timing = section(
    "Audio timing",
    (p) => p.audio_timing ? `on · smooth ${p.audio_smooth}` : "off",
    false,
    add("audio_timing", "Let the audio's energy set the pace between keyframes", {
      kind: "check",
      hint: "Loud passages move faster; needs an audio input."
    }),
    add("audio_smooth", "Smoothing", { kind: "range", min: 0, max: 1, step: 0.05 })
  );
  const topics = h("input", {
    class: "gw-input",
    type: "text",
    id: uid3("topics"),
    placeholder: "e.g. lighthouses, northern lights, watercolor",
    spellcheck: false
  });
  const modeName = uid3("mode");
  const modes = terms(model, "inspiration_modes").map((t, i) => ({
    term: t,
    input: h("input", { type: "radio", name: modeName, value: t.value, checked: i === 0 })
  }));
  const chosenMode = () => modes.find((m) => m.input.checked)?.term.value;
  const inspire = section(
    "Inspire",
    () => "prompts from topics",
    false,
    h("div", { class: "gw-field" }, h("label", { class: "gw-label", for: topics.id }, "Topics"), topics),
    h(
      "div",
      { class: "gw-row" },
      modes.map(({ term, input }) => h("label", { class: "gw-radio", title: term.hint }, input, ` ${term.label}`)),
      h("span", { class: "gw-spacer" }),
      h("button", { class: "gw-btn", type: "button", onclick: () => send({
        type: "inspire",
        topics: topics.value,
        mode: chosenMode()
      }) }, "Inspire me")
    )
  );
  const path = h("input", {
    class: "gw-input",
    type: "text",
    id: uid3("path"),
    value: "project.json",
    spellcheck: false
  });
  const comet = h("input", { type: "checkbox", class: "gw-check", id: uid3("comet") });
  cleanup.listen(comet, "change", () => {
    model.set("log_to_comet", comet.checked);
    model.save_changes();
  });
  const projectSection = section(
    "Project file",
    () => model.get("log_to_comet") ? "Comet logging on" : "",
    false,
    h(
      "div",
      { class: "gw-field" },
      h("label", { class: "gw-label", for: path.id }, "Path"),
      h(
        "div",
        { class: "gw-row" },
        path,
        h("button", {
          class: "gw-btn",
          type: "button",
          title: "Write the settings to this JSON file",
          onclick: () => {
            for (const f of fields) f.flush();
            bus?.emit("flush");
            send({ type: "save_project", path: path.value });
          }
        }, "Save"),
        h("button", {
          class: "gw-btn",
          type: "button",
          title: "Read settings from this JSON file",
          onclick: () => send({ type: "load_project", path: path.value })
        }, "Load"),
        uploadButton(model, "project", "Open file…")
      )
    ),
    h(
      "div",
      { class: "gw-field gw-field-check" },
      comet,
      h("label", { for: comet.id, class: "gw-label" }, "Log each finished render to Comet"),
      h("div", { class: "gw-hint" }, "Needs comet_ml and an API key (or offline mode).")
    )
  );
  const labelOf2 = (name, value) => terms(model, name).find((t) => t.value === value)?.label ?? value;
  const motion = section(
    "Motion",
    (p) => motionSummary(p, labelOf2),
    false,
    ...motionFields(add, (name) => terms(model, name), (...rows) => h("div", { class: "gw-grid" }, rows))
  );
  const tempoButton = h("button", {
    class: "gw-btn",
    type: "button",
    "data-action": "tempo-from-audio",
    title: "Find the tempo of the audio input (librosa's beat tracker)",
    onclick: () => send({ type: "tempo_from_audio" })
  }, "Tempo from audio");
  const beats = section(
    "Beat grid",
    (p) => beatSummary(p, labelOf2),
    false,
    ...beatFields(
      add,
      (name) => terms(model, name),
      (...rows) => h("div", { class: "gw-grid" }, rows),
      h("div", { class: "gw-row" }, tempoButton)
    )
  );
  const additions = pipelineAdditions(model, cleanup);
  fields.push({ key: "additions", show: () => {
  }, flush: additions.flush });
  const control = controlSettings(model, cleanup);
  const sections = [
    pipeline,
    additions,
    control,
    inputs,
    diffusion,
    interpolation,
    motion,
    output,
    beats,
    timing,
    inspire,
    projectSection
  ];
  const root = h("div", { class: "gw-settings" }, sections.map((s) => s.details));
  el.append(root);
  for (const s of sections) {
    const title = s.details.querySelector(".gw-section-title")?.textContent ?? "";
    cleanup.add(keepOpen(model, `settings.${title.toLowerCase()}`, s.details));
  }
  if (bus) cleanup.add(bus.on("flush", () => {
    for (const f of fields) f.flush();
  }));
  cleanup.add(watch(model, ["project", "problems"], () => {
    const project = getProject(model);
    for (const f of fields) f.show(project);
    if (project) sections.forEach((s) => {
      s.summaryText.textContent = s.summary(project) || "";
    });
  }));
  cleanup.add(watch(model, ["pipeline_info", "project"], () => {
    const info = model.get("pipeline_info") ?? {};
    const state = info.state ?? "unloaded";
    pipelineState.textContent = { unloaded: "not loaded", loading: "loading…", ready: "ready", failed: "failed" }[state] ?? state;
    pipelineState.dataset.state = state;
    loadButton.disabled = state === "loading";
    fieldOf("scheduler").suggest(schedulerChoices(model.get("vocabulary"), info));
    const words = describePipeline(info, getProject(model));
    pipelineMessage.textContent = words.line;
    pipelineMessage.title = words.details;
    pipelineKnows.textContent = info.knows ?? "";
    pipelineKnows.hidden = !info.knows;
    pipeline.summaryText.textContent = words.line;
    pipeline.summaryText.title = words.details;
  }));
  cleanup.add(watch(model, ["media"], () => {
    const m = model.get("media") ?? {};
    for (const kind of Object.keys(media)) {
      const item = m[kind];
      media[kind].name.textContent = item ? describeMedia(kind, item) : "none";
      media[kind].name.classList.toggle("gw-muted", !item);
      media[kind].clear.hidden = !item;
    }
    inputs.summaryText.textContent = inputs.summary();
  }));
  const notes = h("div", { class: "gw-hint gw-input-notes", "aria-live": "polite" });
  inputs.details.querySelector(".gw-section-body").append(notes);
  cleanup.add(watch(model, ["media", "project"], () => {
    const found = inputNotes(getProject(model), model.get("media"));
    notes.replaceChildren(...found.map((note) => h("div", {}, note)));
    notes.hidden = !found.length;
  }));
  cleanup.add(watch(model, ["image_preview"], () => {
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    const value = model.get("image_preview");
    previewUrl = value?.byteLength ? URL.createObjectURL(new Blob([value], { type: "image/png" })) : null;
    preview.hidden = !previewUrl;
    if (previewUrl) preview.src = previewUrl;
    else preview.removeAttribute("src");
  }));
  cleanup.add(watch(model, ["log_to_comet"], () => {
    comet.checked = Boolean(model.get("log_to_comet"));
  }));
  cleanup.add(() => previewUrl && URL.revokeObjectURL(previewUrl));
  return () => {
    cleanup.run();
    root.remove();
  };
}
function describeMedia(kind, item) {
  if (kind === "image") return `${item.name} · ${item.width}×${item.height}`;
  if (kind === "audio") return `${item.name} · ${Number(item.duration).toFixed(1)} s`;
  return `${item.name} · ${countOf(item.frame_count, "frame")} at ${Math.round(item.fps * 100) / 100} fps`;
}
function mediaSummary(media) {
  const names = Object.keys(media ?? {}).filter((k) => media[k]);
  return names.length ? names.join(" + ") : "none";
}

// src/beat-grid.js
var BEAT_STEPS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
var MIN_BEAT_LINE_PX = 6;
function beatGrid(project) {
  const bpm = Number(project?.bpm);
  const fps = Number(project?.fps);
  if (!(bpm > 0) || !(fps > 0)) return null;
  return {
    framesPerBeat: fps * 60 / bpm,
    beatsPerBar: Math.max(1, Math.round(project.beats_per_bar || 4)),
    offset: Math.max(0, Number(project.beat_offset) || 0) * fps
  };
}
var beatOf = (frame, grid) => (frame - grid.offset) / grid.framesPerBeat;
var frameOfBeat = (beat, grid) => grid.offset + beat * grid.framesPerBeat;
function snapFrame(frame, project, free = false) {
  const grid = beatGrid(project);
  if (!grid || free) return frame;
  let beat = Math.round(beatOf(frame, grid));
  if (frameOfBeat(beat, grid) < -0.5) beat += 1;
  return Math.max(0, Math.round(frameOfBeat(beat, grid)));
}
function beatLines(axis, project) {
  const grid = beatGrid(project);
  if (!grid) return [];
  const { first, last } = visibleFrames(axis);
  const beatPx = grid.framesPerBeat * axis.pxPerFrame;
  const barPx = beatPx * grid.beatsPerBar;
  if (barPx < MIN_BEAT_LINE_PX) return [];
  const onlyBars = beatPx < MIN_BEAT_LINE_PX;
  const lines = [];
  for (let beat = Math.ceil(beatOf(first, grid)); frameOfBeat(beat, grid) <= last; beat += 1) {
    const bar = modulo(beat, grid.beatsPerBar) === 0;
    if (bar || !onlyBars) lines.push({ frame: frameOfBeat(beat, grid), beat, bar });
  }
  return lines;
}
var modulo = (n, m) => (n % m + m) % m;
function barBeat(beat, grid) {
  const whole = Math.round(beat);
  return `${Math.floor(whole / grid.beatsPerBar) + 1}.${modulo(whole, grid.beatsPerBar) + 1}`;
}
function rulerTicks(axis, project, minPx = 64) {
  const unit = project?.keyframe_unit;
  const fps = Number(project?.fps) || 1;
  const grid = beatGrid(project);
  if (unit === "seconds") {
    const { step, ticks } = timeTicks(axis, fps, minPx);
    return { unit, ticks: ticks.map((t) => ({ frame: t * fps, label: formatTime(t, step) })) };
  }
  if (unit === "beats" && grid) {
    const step = chooseStep(grid.framesPerBeat * axis.pxPerFrame, minPx, BEAT_STEPS);
    const { first, last } = visibleFrames(axis);
    const ticks = [];
    for (let b = Math.ceil(beatOf(first, grid) / step) * step; frameOfBeat(b, grid) <= last; b += step) {
      if (frameOfBeat(b, grid) >= 0) ticks.push({ frame: frameOfBeat(b, grid), label: barBeat(b, grid) });
    }
    return { unit, ticks };
  }
  return { unit: "frames", ticks: frameTicks(axis, minPx).ticks.map((f) => ({ frame: f, label: String(f) })) };
}
function beatSuffix(frame, project) {
  const grid = beatGrid(project);
  if (project?.keyframe_unit !== "beats" || !grid) return "";
  const beat = beatOf(frame, grid);
  const onBeat = Math.abs(beat - Math.round(beat)) < 1e-6;
  return ` · bar ${onBeat ? barBeat(beat, grid) : `${barBeat(Math.floor(beat), grid)}+`}`;
}
function drawBeatGrid(ctx, axis, project, colors, top, height, frameToX2) {
  const lines = beatLines(axis, project);
  if (!lines.length) return;
  ctx.save();
  ctx.lineWidth = 1;
  for (const bar of [false, true]) {
    ctx.strokeStyle = bar ? colors.accent : colors.grid;
    ctx.globalAlpha = bar ? 0.35 : 0.6;
    ctx.beginPath();
    for (const line of lines) {
      if (line.bar !== bar) continue;
      const x = Math.round(frameToX2(axis, line.frame)) + 0.5;
      ctx.moveTo(x, top);
      ctx.lineTo(x, height);
    }
    ctx.stroke();
  }
  ctx.restore();
}

// src/timeline.js
var RULER = 22;
var TRACK_MID = 50;
var HEIGHT2 = 92;
var HIT_PX2 = 7;
var DRAG_START_PX2 = 3;
var LABEL_FONT_PX = 11;
var LABEL_GAP = 11;
var LABEL_ROOM = 22;
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
function staleShown(store, marks) {
  const out = [];
  for (let f = 0; f < store.urls.length; f += 1) {
    if (!store.urls[f] || !marks.has(f)) continue;
    const last = out[out.length - 1];
    if (last && last[1] === f - 1) last[1] = f;
    else out.push([f, f]);
  }
  return out;
}
function mountTimelineAxis(el, model, bus, { afterCanvas = null } = {}) {
  const cleanup = cleanupList();
  const store = model.get("run_id") !== void 0 ? frameStore(model) : null;
  let keyframes = projectKeyframes(model);
  let hover = null;
  let drag = null;
  const readout = h("span", { class: "gw-readout", "data-readout": "timeline", "aria-label": "Timeline pointer" });
  const count = h("span", { class: "gw-count" });
  const addButton = h("button", {
    class: "gw-btn",
    type: "button",
    title: "Add a keyframe at the playhead (or a second after the last one)",
    onclick: () => addAtPlayhead()
  }, "+ Add keyframe");
  const toolbar = h(
    "div",
    { class: "gw-toolbar" },
    h("span", { class: "gw-title" }, "Keyframes"),
    count,
    readout,
    addButton,
    h(
      "span",
      { class: "gw-btn-group", role: "group", "aria-label": "Zoom" },
      h("button", {
        class: "gw-btn gw-icon",
        type: "button",
        title: "Zoom out",
        "aria-label": "Zoom out",
        onclick: () => zoomBy(bus, 1 / 1.5)
      }, "−"),
      h("button", {
        class: "gw-btn gw-icon",
        type: "button",
        title: "Zoom in",
        "aria-label": "Zoom in",
        onclick: () => zoomBy(bus, 1.5)
      }, "+"),
      h(
        "button",
        { class: "gw-btn", type: "button", title: "Show the whole animation", onclick: () => fit(bus) },
        "Fit"
      )
    )
  );
  const wrap = h("div", { class: "gw-canvas-wrap gw-timeline-canvas" });
  const hint = h("div", { class: "gw-hint gw-caption" }, "Double-click to add a keyframe · drag a marker to move it · Delete removes the selected one · Ctrl+wheel zooms, Shift+wheel pans");
  el.append(toolbar, wrap, hint);
  if (afterCanvas) el.append(afterCanvas);
  const view = createCanvas(wrap, { height: HEIGHT2, draw, className: "gw-canvas" });
  const canvas = view.canvas;
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "application");
  canvas.setAttribute(
    "aria-label",
    "Keyframe timeline. Arrow keys move the playhead, Delete removes the selected keyframe, plus and minus zoom."
  );
  cleanup.add(() => view.dispose());
  view.onresize = (width) => syncAxis(bus, model, width);
  const refreshAxis = () => syncAxis(bus, model, view.width, lastLabelPx());
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
  function exposeAxis(axis) {
    if (!axis) return;
    const attrs = {
      viewStart: axis.start.toFixed(4),
      viewEnd: xToFrame(axis, axis.width).toFixed(4),
      pxPerFrame: axis.pxPerFrame.toFixed(6),
      originX: frameToX(axis, 0).toFixed(3)
    };
    const grid = beatGrid(getProject(model));
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
    drawBeatGrid(ctx, axis, getProject(model), c, RULER, height, frameToX);
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
      if (k.image) pictureBadge(ctx, x, TRACK_MID - 15, c);
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
  const localX = (event) => event.clientX - canvas.getBoundingClientRect().left;
  function hitKeyframe(x) {
    const axis = bus.state.axis;
    if (!axis) return null;
    const k = nearestKeyframe(keyframes, xToFrame(axis, x), HIT_PX2 / axis.pxPerFrame);
    return k;
  }
  function setReadout(frame, keyframe) {
    const fps = getProject(model)?.fps || 10;
    readout.dataset.frame = frame === null ? "" : String(frame);
    if (frame === null) {
      readout.textContent = "";
      return;
    }
    readout.textContent = keyframe ? `frame ${keyframe.frame} · ${formatTime(keyframe.frame / fps, 0.01)} · “${keyframe.prompt}”` : `frame ${frame} · ${formatTime(frame / fps, 0.01)}${beatSuffix(frame, getProject(model))}`;
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
      if (!drag.moved && Math.abs(x - drag.x0) < DRAG_START_PX2) return;
      drag.moved = true;
      if (drag.pan) {
        panBy(bus, x - drag.lastX);
        drag.lastX = x;
        canvas.style.cursor = "grabbing";
      } else {
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
  cleanup.add(watch(model, ["project", "frame_count"], () => {
    keyframes = projectKeyframes(model);
    if (bus.state.selected !== null && !keyframes.some((k) => k.frame === bus.state.selected)) {
      bus.set("selected", null);
    }
    count.textContent = `${countOf(keyframes.length, "keyframe")} · ${countOf(Math.max(0, ...keyframes.map((k) => k.frame)) + 1, "frame")}`;
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
    const mid = lo + hi + 1 >> 1;
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= width) lo = mid;
    else hi = mid - 1;
  }
  return lo ? `${text.slice(0, lo)}…` : "";
}

// src/waveform.js
var HEIGHT3 = 84;
var RULER2 = 16;
var HIT_PX3 = 6;
function columnRange(peaks, c0, c1) {
  let lo = Infinity;
  let hi = -Infinity;
  for (let c = Math.max(0, c0); c < Math.min(peaks.min.length, c1); c += 1) {
    if (peaks.min[c] < lo) lo = peaks.min[c];
    if (peaks.max[c] > hi) hi = peaks.max[c];
  }
  return lo === Infinity ? null : [lo, hi];
}
function mount3(el, model, bus) {
  const cleanup = cleanupList();
  let peaks = null;
  let audioUrl = null;
  let hoverOnset = null;
  let marks = [];
  let drag = null;
  const audio = h("audio", { preload: "auto" });
  const playButton = h("button", {
    class: "gw-btn gw-icon",
    type: "button",
    title: "Play the audio (Space)",
    "aria-label": "Play",
    onclick: () => bus.player?.toggle()
  }, icon("play"));
  const component = h(
    "select",
    { class: "gw-input gw-select", "aria-label": "Onsets of" },
    terms(model, "audio_components").map((t) => h("option", { value: t.value, title: t.hint }, t.label))
  );
  const info = h("span", { class: "gw-count" });
  const readout = h("span", { class: "gw-readout", "data-readout": "waveform", "aria-label": "Waveform pointer" });
  const toolbar = h(
    "div",
    { class: "gw-toolbar" },
    playButton,
    h("span", { class: "gw-title" }, "Audio"),
    info,
    readout,
    h("label", { class: "gw-inline-label" }, "Onsets ", component)
  );
  const wrap = h("div", { class: "gw-canvas-wrap gw-wave-canvas" });
  const hint = h(
    "div",
    { class: "gw-hint gw-caption" },
    "Click an onset marker to add a keyframe there · drag to pan · Space plays the audio"
  );
  const section2 = h("div", { class: "gw-waveform" }, toolbar, wrap, hint, audio);
  el.append(section2);
  const view = createCanvas(wrap, { height: HEIGHT3, draw, className: "gw-canvas" });
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
    const mid = RULER2 + (height - RULER2) / 2;
    const amp = (height - RULER2) / 2 - 3;
    const perSecond = peaks.columns / peaks.duration;
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
    const { step, ticks } = timeTicks(axis, rate);
    ctx.font = `10px ${c.font}`;
    ctx.textBaseline = "top";
    ctx.fillStyle = c.muted;
    ctx.strokeStyle = c.border;
    ctx.beginPath();
    for (const t of ticks) {
      const x = Math.round(frameToX(axis, t * rate)) + 0.5;
      ctx.moveTo(x, 0);
      ctx.lineTo(x, RULER2 - 4);
      ctx.fillText(formatTime(t, step), x + 3, 2);
    }
    ctx.stroke();
    ctx.strokeStyle = c.accent;
    ctx.globalAlpha = 0.35;
    ctx.beginPath();
    for (const k of projectKeyframes(model)) {
      const x = Math.round(frameToX(axis, k.frame)) + 0.5;
      if (x < 0 || x > width) continue;
      ctx.moveTo(x, RULER2);
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
      ctx.moveTo(x, RULER2);
      ctx.lineTo(x, height);
      ctx.stroke();
      ctx.globalAlpha = 1;
      ctx.fillStyle = taken ? c.accent : c.onset;
      ctx.beginPath();
      ctx.moveTo(x - 4, RULER2);
      ctx.lineTo(x + 4, RULER2);
      ctx.lineTo(x, RULER2 + 6);
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
    let bestD = HIT_PX3 + 1;
    for (const mark of marks) {
      const d = Math.abs(frameToX(axis, mark.time * fps()) - x);
      if (d < bestD) {
        best = mark;
        bestD = d;
      }
    }
    return best;
  }
  function addAtOnset({ frame }) {
    const keyframes = projectKeyframes(model);
    if (keyframeEditRefused(bus)) return;
    const next = addKeyframe(keyframes, frame);
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
    readout.textContent = onset !== null ? `onset at ${formatTime(onset.time, 0.01)} → add a keyframe at frame ${onset.frame}` : `${formatTime(Math.max(0, xToFrame(axis, x)) / fps(), 0.01)} · frame ${xToNearestFrame(axis, x)}`;
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
  cleanup.listen(canvas, "pointercancel", () => {
    drag = null;
  });
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
  const clock = {
    ready: () => Boolean(audioUrl) && audio.readyState >= 2 && !audio.ended && audio.currentTime < (audio.duration || Infinity) - 0.01,
    play: (seconds) => {
      if (!audioUrl) return;
      audio.currentTime = Math.min(seconds, audio.duration || seconds);
      audio.play().catch(() => {
      });
    },
    pause: () => audio.pause(),
    seconds: () => audio.currentTime
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
    section2.hidden = !peaks;
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
    section2.remove();
  };
}

// src/studio.js
function formatEta(seconds) {
  if (seconds === null || seconds === void 0 || !Number.isFinite(seconds) || seconds < 0) return "";
  if (seconds < 1) return "almost done";
  if (seconds < 90) return `about ${Math.ceil(seconds)} s left`;
  if (seconds < 5400) return `about ${Math.round(seconds / 60)} min left`;
  return `about ${(seconds / 3600).toFixed(1)} h left`;
}
function describeStatus(status, problems = []) {
  const s = status ?? {};
  const { done, total } = runCounts(s);
  const reused = s.reused ? ` · ${s.reused} from cache` : "";
  switch (s.state) {
    case "loading":
      return s.message || "Loading the pipeline…";
    case "rendering": {
      if (!total) return s.message || "Starting…";
      const step = s.steps && s.step < s.steps && done < total ? ` · step ${s.step}/${s.steps}` : "";
      const eta = formatEta(s.eta) ? ` · ${formatEta(s.eta)}` : "";
      const note = s.message ? ` · ${s.message}` : "";
      return `Rendering frame ${Math.min(done + 1, total)} of ${total}${step}${reused}${eta}${note}`;
    }
    case "finished":
      return `Finished: ${countOf(total, "frame")}${s.rendered !== void 0 ? ` (${s.rendered} rendered${reused})` : ""}`;
    case "cancelled":
      return `Cancelled after ${done} of ${countOf(total, "frame")}; finished frames are kept.`;
    case "failed":
      return s.message ? `Failed: ${s.message}` : "Failed.";
    default:
      if (problems.length) {
        return `Render cannot start: ${problems.length === 1 ? "one setting needs" : `${problems.length} settings need`} fixing (marked in the panel).`;
      }
      return s.message || "Ready. Edit the keyframes, then press Render.";
  }
}
function cannotStartWords(el, problems) {
  if (!problems.length) return "";
  const view = el.closest(".gw-root") ?? el;
  return `Render cannot start: ${problems.map((p) => problemWords(view, p)).join(" · ")}.`;
}
function mountHeader(el, model, bus) {
  const cleanup = cleanupList();
  const render = h("button", { class: "gw-btn gw-primary", type: "button", title: "Render the animation (frames already rendered with the same settings come from the cache)", onclick: () => {
    bus.emit("flush");
    model.send({ type: "render" });
  } }, icon("play"), "Render");
  const cancel = h("button", { class: "gw-btn", type: "button", title: "Stop after the current frame; finished frames are kept", onclick: () => model.send({ type: "cancel" }) }, "Cancel");
  const bar = h("div", { class: "gw-progress-bar" });
  const progress = h("div", { class: "gw-progress", role: "progressbar", "aria-valuemin": "0" }, bar);
  const words = h("div", { class: "gw-status", "aria-live": "polite" });
  const header = h(
    "div",
    { class: "gw-header" },
    h(
      "div",
      { class: "gw-brand" },
      h("span", { class: "gw-logo", "aria-hidden": "true" }),
      h("span", { class: "gw-name" }, "Giffusion"),
      h("span", { class: "gw-tagline" }, "keyframed prompt animation")
    ),
    words,
    h("div", { class: "gw-actions" }, cancel, render),
    progress
  );
  const staleNote = h("div", { class: "gw-stale-note", "aria-live": "polite", hidden: true });
  el.append(header, staleNote);
  cleanup.add(mountClusterLink(cancel, model));
  const update = () => {
    const status = model.get("status") ?? {};
    const problems = model.get("problems") ?? [];
    const busy = status.state === "rendering" || status.state === "loading";
    render.disabled = busy;
    render.classList.toggle("gw-busy", busy);
    render.replaceChildren(...busy ? [h("span", { class: "gw-spinner", "aria-hidden": "true" }), status.state === "loading" ? "Loading…" : "Rendering…"] : [icon("play"), "Render"]);
    cancel.disabled = !busy;
    const { done, total } = runCounts(status);
    const share = status.state === "finished" ? 1 : total ? done / total : 0;
    bar.style.width = `${(share * 100).toFixed(1)}%`;
    progress.dataset.state = status.state ?? "idle";
    progress.classList.toggle("gw-indeterminate", status.state === "loading" || busy && !total);
    progress.setAttribute("aria-valuemax", String(total || 1));
    progress.setAttribute("aria-valuenow", String(done));
    words.textContent = describeStatus(status, problems);
    const why = cannotStartWords(el, problems);
    if (why && (status.state ?? "idle") === "idle") words.textContent = why;
    const stale = staleFrames(model);
    render.title = why ? why : `Render the animation (frames already rendered with the same settings come from the cache)${stale.message ? `. ${stale.message}` : ""}`;
    words.dataset.state = status.state ?? "idle";
    staleNote.textContent = stale.message;
    staleNote.hidden = !stale.message || Boolean(why) || status.state === "loading";
    Object.assign(staleNote.dataset, {
      count: String(stale.count),
      total: String(stale.total),
      output: stale.output,
      known: String(stale.known)
    });
    showConnection();
  };
  const link = watchConnection(model, () => queueMicrotask(update));
  const showConnection = () => {
    const lost = !link.connected();
    const root = el.closest(".gw-root") ?? el;
    root.toggleAttribute("data-disconnected", lost);
    lockWithoutKernel(root, lost);
    bus.set("connected", !lost);
    if (!lost) return;
    render.disabled = true;
    cancel.disabled = true;
    render.title = DISCONNECTED_WORDS;
    words.textContent = DISCONNECTED_WORDS;
    words.dataset.state = "disconnected";
  };
  cleanup.add(() => link.dispose());
  cleanup.add(watch(model, ["status", "pipeline_info", "problems", "stale_frames"], update));
  return () => {
    cleanup.run();
    header.remove();
    staleNote.remove();
  };
}
function mountNotices(el, model) {
  const list = h("div", { class: "gw-notices", "aria-live": "polite" });
  el.append(list);
  const onMessage = (content) => {
    if (content?.type !== "notice") return;
    const level = content.level === "error" ? "error" : "info";
    const item = h(
      "div",
      { class: `gw-notice gw-notice-${level}`, role: level === "error" ? "alert" : "status" },
      h("span", {}, content.message),
      h("button", {
        class: "gw-btn gw-icon gw-dismiss",
        type: "button",
        "aria-label": "Dismiss",
        onclick: () => item.remove()
      }, "×")
    );
    list.append(item);
    while (list.children.length > 4) list.firstChild.remove();
    if (level === "info") setTimeout(() => item.remove(), 6e3);
  };
  model.on("msg:custom", onMessage);
  return () => {
    model.off("msg:custom", onMessage);
    list.remove();
  };
}
function outputPlaceholder(status, name = "GIF") {
  const { total } = runCounts(status);
  switch (status?.state) {
    case "loading":
    case "rendering":
      return total ? `The ${name} appears here when ${total === 1 ? "the frame is" : `all ${total} frames are`} done.` : `The ${name} appears here when the frames are done.`;
    case "cancelled":
      return `This run was cancelled, so it has no ${name}. Render again to finish it: the frames done so far come from the cache.`;
    case "failed":
      return `No ${name}: the render failed.`;
    default:
      return `The finished ${name} appears here after a render.`;
  }
}
function downloadName(runDir, ext) {
  const run = String(runDir ?? "").split(/[\\/]/).filter(Boolean).pop();
  return `${run ? `giffusion-${run}` : "animation"}.${ext}`;
}
function mountOutput(el, model) {
  let url = null;
  const holder = h("div", { class: "gw-output-media" });
  const placeholder = h("div", { class: "gw-output-empty" });
  const download = h("a", { class: "gw-btn" }, "Download");
  const caption = h("span", { class: "gw-count" });
  const box = h(
    "div",
    { class: "gw-output" },
    h(
      "div",
      { class: "gw-toolbar" },
      h("span", { class: "gw-title" }, "Animation"),
      caption,
      h("span", { class: "gw-spacer" }),
      download
    ),
    holder,
    placeholder
  );
  el.append(box);
  const stopMedia = watch(model, ["output", "output_mime"], () => {
    if (url) URL.revokeObjectURL(url);
    const mime = model.get("output_mime") || "image/gif";
    url = blobUrl(model.get("output"), mime);
    for (const part of [holder, download, caption]) part.hidden = !url;
    placeholder.hidden = Boolean(url);
    if (!url) {
      holder.replaceChildren();
      return;
    }
    const isVideo = mime.startsWith("video/");
    const media = isVideo ? h("video", { src: url, controls: true, loop: true, playsInline: true }) : h("img", { src: url, alt: "The finished animation" });
    media.addEventListener(isVideo ? "loadedmetadata" : "load", () => {
      const [width, height] = isVideo ? [media.videoWidth, media.videoHeight] : [media.naturalWidth, media.naturalHeight];
      if (width && height) holder.style.setProperty("--gw-output-aspect", String(width / height));
    });
    holder.replaceChildren(media);
    const ext = mime.split("/")[1] || "bin";
    download.href = url;
    download.download = downloadName(model.get("status")?.run_dir, ext);
    const size = model.get("output")?.byteLength ?? 0;
    caption.textContent = `${ext.toUpperCase()} · ${(size / 1024).toFixed(size > 1e6 ? 0 : 1)} KB`;
  });
  const stopWords = watch(model, ["status", "project"], () => {
    const status = model.get("status") ?? {};
    const project = getProject(model);
    const format = (status.state ?? "idle") !== "idle" && status.format ? status.format : project?.output_format;
    placeholder.textContent = outputPlaceholder(status, String(format ?? "").toUpperCase() || void 0);
    placeholder.classList.toggle("gw-reserved", status.state !== "idle" && (status.done ?? 0) > 0);
    if (project?.width && project?.height) box.style.setProperty("--gw-output-aspect", String(project.width / project.height));
  });
  return () => {
    stopMedia();
    stopWords();
    if (url) URL.revokeObjectURL(url);
    box.remove();
  };
}
function mount4(el, model, bus) {
  const cleanup = cleanupList();
  cleanup.add(mountHeader(el, model, bus));
  cleanup.add(mountErrorBanner(el, model));
  cleanup.add(mountNotices(el, model));
  const thumbsBox = h("div", { class: "gw-thumbs-slot" });
  const toolsBox = needsKernel("gw-run-tools-slot");
  const storyBox = h("div", { class: "gw-storyboard-slot" });
  const historyBox = needsKernel("gw-history-slot");
  const waveBox = h("div", { class: "gw-wave-slot" });
  const lanesBox = h("div", { class: "gw-lanes-slot" });
  const axisBox = h("div", { class: "gw-timeline" });
  const prompts = h("section", { class: "gw-card gw-prompts" }, needsKernel("", axisBox));
  const editorBox = h("div", { class: "gw-editor-box" });
  const textBox = h("div", { class: "gw-text-box" });
  const editors = h(
    "section",
    { class: "gw-card gw-editors-card" },
    needsKernel("", h("div", { class: "gw-editors" }, editorBox, textBox))
  );
  const scrubBox = h("div", { class: "gw-scrub-slot" });
  const outBox = h("div", { class: "gw-out-slot" });
  const results = h("section", { class: "gw-card gw-frames" }, toolsBox, scrubBox, outBox, storyBox);
  const settingsBox = needsKernel("");
  const settings = h(
    "section",
    { class: "gw-card" },
    h("div", { class: "gw-toolbar" }, h("span", { class: "gw-title" }, "Settings")),
    settingsBox
  );
  el.append(prompts, h("div", { class: "gw-work" }, editors, results, historyBox), settings);
  cleanup.add(mount3(waveBox, model, bus));
  cleanup.add(mountLanes(lanesBox, model, bus));
  cleanup.add(mountTimelineAxis(axisBox, model, bus, { afterCanvas: h("div", {}, thumbsBox, waveBox, lanesBox) }));
  cleanup.add(mountKeyframeEditor(editorBox, model, bus));
  cleanup.add(mountPromptText(textBox, model, bus));
  cleanup.add(mountKeyframeThumbs(thumbsBox, model, bus));
  cleanup.add(mountRunTools(toolsBox, model, bus));
  cleanup.add(mountStoryboard(storyBox, model));
  cleanup.add(mountRunHistory(historyBox, model));
  cleanup.add(mount(scrubBox, model, bus, { studio: true }));
  cleanup.add(mountOutput(outBox, model));
  cleanup.add(mount2(settingsBox, model, bus));
  cleanup.add(mountPoster(scrubBox, model, bus));
  cleanup.add(watch(model, ["project"], () => {
    bus.state.fps = getProject(model)?.fps || 10;
  }));
  cleanup.add(watch(model, ["frame"], () => {
    if (!bus.state.playing) bus.set("frame", model.get("frame") ?? 0);
  }));
  return () => cleanup.run();
}
var studio_default = {
  render({ model, el }) {
    const bus = createBus();
    bus.player = createPlayer(bus);
    const root = rootElement(el, "studio", "gw-studio");
    const stop = mount4(root.body, model, bus);
    return () => {
      stop();
      bus.player.dispose();
      root.dispose();
    };
  }
};
export {
  studio_default as default,
  describeStatus,
  downloadName,
  formatEta,
  mount4 as mount,
  outputPlaceholder
};
