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
var setKeyframes = (model, keyframes) => editProject(model, (p) => {
  p.keyframes = keyframes.map((k) => ({ ...k }));
});
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

// src/edit-guard.js
function keyframeEditRefused(bus) {
  const error = bus?.state?.textError;
  if (!error) return false;
  bus.emit("keyframe-edit-refused", error);
  return true;
}
var refusedWords = (error) => `Keyframes were not changed: fix the prompt text first (${error}), or the fix would undo the edit.`;

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
  const section = h(
    "div",
    { class: "gw-kf-editor" },
    h("div", { class: "gw-subtitle" }, "Selected keyframe"),
    form,
    empty
  );
  el.append(section);
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
    section.remove();
  };
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
var MAX_FRAME = MAX_FRAMES - 1;
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
    if (tooBig(digits, MAX_FRAME)) {
      throw fail(`frame must be at most ${MAX_FRAME} (an animation has at most ${MAX_FRAMES} frames)`, col0);
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
  const section = h(
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
  el.append(section);
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
    section.remove();
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

// src/words.js
var countOf = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

// src/timeline.js
var RULER = 22;
var TRACK_MID = 50;
var HEIGHT = 92;
var HIT_PX = 7;
var DRAG_START_PX = 3;
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
  const view = createCanvas(wrap, { height: HEIGHT, draw, className: "gw-canvas" });
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
      if (!drag.moved && Math.abs(x - drag.x0) < DRAG_START_PX) return;
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
function mount(el, model, bus, options = {}) {
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
var timeline_default = {
  render({ model, el }) {
    const { bus, body, cleanup, dispose } = standaloneView(el, model, "timeline");
    cleanup.add(watch(model, ["frame"], () => bus.set("frame", model.get("frame") ?? 0)));
    cleanup.add(watch(model, ["project"], () => {
      bus.state.lastFrame = contentLength(getProject(model), bus) - 1;
    }));
    cleanup.add(mount(body, model, bus));
    return dispose;
  }
};
export {
  timeline_default as default,
  mount,
  mountTimelineAxis,
  staleShown
};
