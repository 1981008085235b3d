// Keyframe edits on plain arrays of {frame, prompt, negative, seed, image?}, kept sorted by frame.
//
// Every function returns a new array and never changes its argument. A project cannot hold two keyframes on one
// frame, so an edit that would put a keyframe on an occupied frame (or below 0) is refused: the function returns its
// argument itself, unchanged, and callers test `result === keyframes` to know. While dragging, the timeline keeps the
// last accepted frame, so a marker stops short of an occupied frame instead of jumping over it.

const byFrame = (a, b) => a.frame - b.frame;

export const sortKeyframes = (keyframes) => [...keyframes].sort(byFrame);

export const findKeyframe = (keyframes, frame) => keyframes.find((k) => k.frame === frame) ?? null;

export const isFree = (keyframes, frame) =>
  Number.isInteger(frame) && frame >= 0 && !keyframes.some((k) => k.frame === frame);

/** The prompt a new keyframe at `frame` starts with: that of the keyframe before it (else after), so the
 * animation does not change until the user edits it. */
export function inheritedPrompt(keyframes, frame) {
  const sorted = sortKeyframes(keyframes);
  let before = null;
  for (const k of sorted) if (k.frame < frame) before = k;
  const source = before ?? sorted.find((k) => k.frame > frame);
  return source ? source.prompt : "a red circle on a white background";
}

/** Add a keyframe at `frame`; `fields` may set prompt, negative and seed. Refused on an occupied frame. */
export function addKeyframe(keyframes, frame, fields = {}) {
  if (!isFree(keyframes, frame)) return keyframes;
  const keyframe = {
    frame,
    prompt: fields.prompt ?? inheritedPrompt(keyframes, frame),
    negative: fields.negative ?? null,
    seed: fields.seed ?? null,
  };
  return sortKeyframes([...keyframes, keyframe]);
}

/** Move the keyframe at `from` to `to`. Refused when there is none at `from` or `to` is taken. */
export function moveKeyframe(keyframes, from, to) {
  if (from === to) return keyframes;
  const index = keyframes.findIndex((k) => k.frame === from);
  if (index < 0 || !isFree(keyframes, to)) return keyframes;
  return sortKeyframes(keyframes.map((k, i) => (i === index ? { ...k, frame: to } : k)));
}

/** Where a keyframe dragged from `from` toward `target` goes: never past its neighbours, it stops short of them. */
export function dragTarget(keyframes, from, target) {
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  for (const k of keyframes) {
    if (k.frame < from) lo = Math.max(lo, k.frame + 1);
    else if (k.frame > from) hi = Math.min(hi, k.frame - 1);
  }
  return Math.min(hi, Math.max(lo, target));
}

/** Remove the keyframe at `frame` (refused when there is none). */
export function removeKeyframe(keyframes, frame) {
  const next = keyframes.filter((k) => k.frame !== frame);
  return next.length === keyframes.length ? keyframes : next;
}

/** Change fields of the keyframe at `frame`; a `frame` in `changes` moves it, with moveKeyframe's rule. */
export function updateKeyframe(keyframes, frame, changes) {
  const index = keyframes.findIndex((k) => k.frame === frame);
  if (index < 0) return keyframes;
  const { frame: to, ...rest } = changes;
  let next = keyframes.map((k, i) => (i === index ? { ...k, ...rest } : k));
  if (to !== undefined && to !== frame) {
    const moved = moveKeyframe(next, frame, to);
    if (moved === next) return keyframes;
    next = moved;
  }
  return next;
}

/** The keyframe whose marker is nearest `frame` within `maxDistance` frames, or null (hit testing). */
export function nearestKeyframe(keyframes, frame, maxDistance) {
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

/** Index of the first keyframe at or after `frame` in a sorted array (binary search, for drawing a window). */
export function lowerBound(sorted, frame) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].frame < frame) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Same keyframes, field for field (order included). */
export function sameKeyframes(a, b) {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((k, i) => {
    const o = b[i];
    return k.frame === o.frame && k.prompt === o.prompt && (k.negative ?? null) === (o.negative ?? null)
      && (k.seed ?? null) === (o.seed ?? null) && (k.image ?? null) === (o.image ?? null);
  });
}
