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

// src/model.js
var getProject = (model) => model.get("project") ?? null;
function watch(model, names, fn, { now = true } = {}) {
  const handler = () => fn();
  for (const name of names) model.on(`change:${name}`, handler);
  if (now) fn();
  return () => {
    for (const name of names) model.off(`change:${name}`, handler);
  };
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

// src/timeaxis.js
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
  const strip = createFilmstrip({ store, onPick: (index) => userAction(() => bus.player.seek(index)) });
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
  const section = h(
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
    strip.el,
    sendRow
  );
  el.append(section);
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
    section.style.setProperty("--gw-frame-aspect", String(frameAspect()));
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
    Object.assign(section.dataset, {
      frame: String(frame),
      rendered: String(store.count),
      total: String(n),
      run: store.run ?? ""
    });
    toImage.disabled = !url;
    toVideo.disabled = studio ? !model.get("output")?.byteLength : state !== "finished";
    transport.hidden = waiting;
    strip.el.hidden = waiting;
    if (sendRow) sendRow.hidden = waiting;
    strip.update({
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
var scrubber_default = {
  render({ model, el }) {
    const { bus, body, cleanup, dispose } = standaloneView(el, model, "scrubber");
    cleanup.add(watch(model, ["frame"], () => {
      if (!bus.state.playing) bus.set("frame", model.get("frame") ?? 0);
    }));
    cleanup.add(mount(body, model, bus, { inputs: Boolean(model.get("project")) }));
    return dispose;
  }
};
export {
  scrubber_default as default,
  mount
};
