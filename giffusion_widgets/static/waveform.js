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
function onsetMarks(model, component) {
  const onsets = model.get("onsets") ?? {};
  const marks = onsets[component];
  if (!marks || onsets.fps !== getProject(model)?.fps) return [];
  return marks.times.map((time, i) => ({ time, frame: marks.frames[i] }));
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
var TIME_STEPS = [0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
function chooseStep(pxPerUnit, minPx, steps) {
  for (const step of steps) if (step * pxPerUnit >= minPx) return step;
  return steps[steps.length - 1];
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

// src/edit-guard.js
function keyframeEditRefused(bus) {
  const error = bus?.state?.textError;
  if (!error) return false;
  bus.emit("keyframe-edit-refused", error);
  return true;
}

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
function standaloneView(el, model, widget) {
  const bus = createBus();
  const root = rootElement(el, widget);
  bus.player = createPlayer(bus);
  const cleanup = cleanupList();
  cleanup.add(mountErrorBanner(root.body, model));
  return {
    bus,
    body: root.body,
    cleanup,
    dispose() {
      cleanup.run();
      bus.player.dispose();
      root.dispose();
    }
  };
}

// src/waveform.js
var HEIGHT = 84;
var RULER = 16;
var HIT_PX = 6;
function columnRange(peaks, c0, c1) {
  let lo = Infinity;
  let hi = -Infinity;
  for (let c = Math.max(0, c0); c < Math.min(peaks.min.length, c1); c += 1) {
    if (peaks.min[c] < lo) lo = peaks.min[c];
    if (peaks.max[c] > hi) hi = peaks.max[c];
  }
  return lo === Infinity ? null : [lo, hi];
}
function mount(el, model, bus) {
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
      ctx.lineTo(x, RULER - 4);
      ctx.fillText(formatTime(t, step), x + 3, 2);
    }
    ctx.stroke();
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
var waveform_default = {
  render({ model, el }) {
    const { bus, body, cleanup, dispose } = standaloneView(el, model, "waveform");
    cleanup.add(watch(model, ["peaks", "project"], () => {
      const peaks = model.get("peaks");
      const fps = getProject(model)?.fps || 10;
      bus.state.fps = fps;
      bus.state.lastFrame = Math.max(
        0,
        peaks?.duration ? Math.ceil(peaks.duration * fps) - 1 : 0,
        contentLength(getProject(model), bus) - 1
      );
    }));
    cleanup.add(watch(model, ["frame"], () => bus.set("frame", model.get("frame") ?? 0)));
    cleanup.add(mount(body, model, bus));
    const empty = h("div", { class: "gw-empty" }, "No audio yet: give Waveform(audio=path) a file.");
    body.append(empty);
    cleanup.add(watch(model, ["peaks"], () => {
      empty.hidden = Boolean(model.get("peaks")?.columns);
    }));
    return dispose;
  }
};
export {
  columnRange,
  waveform_default as default,
  mount
};
