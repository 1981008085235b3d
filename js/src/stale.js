// What the kernel says about the frames and counts, read in one place so every part of the panel says the same:
// `stale_frames` (widgets/stale_view.py): the frames the current settings would re-render and the sentence about
// it; `status` (widgets/run_view.py): the running or shown run's own counts, whatever the project became since.

/** Whether frame `index` lies in `ranges` ([[first, last], ...], sorted, both ends included). */
export function inRanges(ranges, index) {
  let lo = 0;
  let hi = (ranges?.length ?? 0) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [first, last] = ranges[mid];
    if (index < first) hi = mid - 1;
    else if (index > last) lo = mid + 1;
    else return true;
  }
  return false;
}

/** "1-7, 9": ranges as short text (for data attributes and titles). */
export function rangesText(ranges) {
  return (ranges ?? []).map(([a, b]) => (a === b ? String(a) : `${a}-${b}`)).join(", ");
}

/** The stale frames trait as {known, has(i), changed(i), message, count, total, output}; nothing stale without it. */
export function staleFrames(model) {
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
    output: value.output ?? "",
  };
}

/** The run's counts from the kernel's status: {done, total, left}; total 0 when there is no run. */
export function runCounts(status) {
  const total = status?.total ?? 0;
  const done = Math.min(status?.done ?? 0, total);
  return { done, total, left: Math.max(0, total - done) };
}
