// Filmstrip: a thumbnail for each rendered frame in a row that scrolls sideways, the current one kept in view.
// Only the thumbnails in view exist in the DOM (a run can have thousands of frames); fades and arrow buttons at the
// ends say there is more that way. While a render runs, one quiet cell after the last says how many frames are due.
// Frames the current settings would re-render are marked stale (greyed, hatched); frames they would take another
// picture for from the cache are marked changed (a dashed outline).

import { h } from "./dom.js";

export const THUMB_HEIGHT = 56;
const GAP = 6;
const REVEAL_PAD = 40; // px kept between a revealed thumbnail and the strip's ends, clear of the arrow buttons
const INSET = 3; // px before the first thumbnail, so the current one's outline is not cut off
const COMING_WIDTH = 96; // the "n more coming" cell (scrubber.css)
const OVERSCAN = 4; // thumbnails made beyond each end of the view, so a quick scroll shows no holes

/** Positions [first, last) of the thumbnails to make for a view of `viewWidth` px scrolled by `scrollLeft`. */
export function visibleRange(scrollLeft, viewWidth, pitch, count, overscan = OVERSCAN) {
  if (count <= 0 || pitch <= 0) return [0, 0];
  const first = Math.max(0, Math.floor(scrollLeft / pitch) - overscan);
  const last = Math.min(count, Math.ceil((scrollLeft + viewWidth) / pitch) + overscan);
  return [first, Math.max(first, last)];
}

/** The scrollLeft that shows [x, x + width) with `pad` px to spare, moving as little as possible. */
export function revealScroll(scrollLeft, viewWidth, x, width, pad = GAP) {
  if (x - pad < scrollLeft) return Math.max(0, x - pad);
  if (x + width + pad > scrollLeft + viewWidth) return x + width + pad - viewWidth;
  return scrollLeft;
}

/** Index of `value` in the sorted array `list`, or -1. */
export function sortedIndexOf(list, value) {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] === value) return mid;
    if (list[mid] < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

const NOTHING_STALE = { has: () => false, changed: () => false };

/** A thumbnail's title: its frame, and what Render would do to it. */
export function thumbTitle(index, stale, changed) {
  if (stale) return `Frame ${index}: stale, the current settings re-render it`;
  if (changed) return `Frame ${index}: the current settings give another picture (in the cache already)`;
  return `Frame ${index}`;
}

/**
 * createFilmstrip({store, onPick}): `store` is the frame store (frames.js), `onPick(index)` runs when a thumbnail
 * is clicked. Returns {el, update({current, aspect, coming, stale}), dispose}; `stale` is stale.js's staleFrames.
 */
export function createFilmstrip({ store, onPick }) {
  const track = h("div", { class: "gw-strip-track" });
  const scroller = h("div", { class: "gw-filmstrip", role: "listbox", "aria-label": "Filmstrip",
    "aria-orientation": "horizontal" }, track);
  const nudge = (direction) => h("button", { class: `gw-btn gw-strip-nudge gw-strip-${direction}`,
    type: "button", tabindex: -1, "aria-label": direction === "left" ? "Earlier frames" : "Later frames",
    onclick: () => scroller.scrollBy({ left: (direction === "left" ? -0.8 : 0.8) * scroller.clientWidth }),
  }, direction === "left" ? "‹" : "›");
  const before = nudge("left");
  const after = nudge("right");
  const el = h("div", { class: "gw-strip-wrap" }, scroller, before, after);
  const coming = h("div", { class: "gw-strip-coming", "aria-hidden": "true" });
  track.append(coming);

  let indices = []; // rendered frames, in order
  let current = -1;
  let revealed = -1;
  let thumbWidth = THUMB_HEIGHT;
  let marks = NOTHING_STALE;
  const made = new Map(); // frame index -> thumbnail element

  const pitch = () => thumbWidth + GAP;

  function makeThumb(index) {
    const thumb = h("button", { class: "gw-thumb", type: "button", role: "option", title: `Frame ${index}`,
      "data-frame": String(index), onclick: () => onPick(index) },
    h("img", { alt: "", draggable: "false" }), h("span", { class: "gw-thumb-label" }, String(index)));
    return thumb;
  }

  function layout() {
    const [first, last] = visibleRange(Math.max(0, scroller.scrollLeft - INSET), scroller.clientWidth || 480, pitch(),
      indices.length);
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

    // Scroll to the current frame once each time it changes (or its thumbnail arrives), not on every update: the
    // user may have scrolled away to look at other frames.
    current = frame;
    const position = sortedIndexOf(indices, frame);
    if (position >= 0 && revealed !== frame && scroller.clientWidth > 0) {
      revealed = frame;
      const target = revealScroll(scroller.scrollLeft, scroller.clientWidth, INSET + position * pitch(), thumbWidth,
        REVEAL_PAD);
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
    },
  };
}
