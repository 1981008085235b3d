// A canvas that fills its container's width, stays sharp on high-DPI screens and redraws at most once per animation
// frame, however many changes arrive in between.

import { onThemeChange } from "./theme.js";

export function createCanvas(container, { height, draw, className = "" }) {
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

  // Resizing from inside the observer's callback could change layout again in the same frame; wait for the next.
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
  // Colours come from CSS variables read while drawing: a theme switch needs a redraw, at the size laid out now.
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

/** Canvas colours from the root's CSS variables (themes change them, so read them when drawing). */
export function themeColors(el) {
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
    mono: v("--gw-mono", "monospace"),
  };
}
