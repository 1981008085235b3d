// What the studio adds around a run: the Draft button and a frame range to re-render, the storyboard a draft shows
// under the scrubber (its keyframes side by side), small thumbnails of the current run's frames at each keyframe
// under the timeline, and the last runs of this studio side by side with "Restore" (and one "Undo").
//
// The kernel does the work: {type: "draft"}, {type: "render_range", start, end}, {type: "restore_run", run_id},
// {type: "undo_restore"}; the runs arrive in the `run_history` trait, newest first.

import { cleanupList, h } from "./dom.js";
import { foldToggle } from "./fold.js";
import { frameStore } from "./frames.js";
import { blobUrl, getProject, watch } from "./model.js";
import { frameToX } from "./timeaxis.js";

const THUMB_PX = 40;

/** The range's frames from two typed values: {ok, start, end} or {ok: false, why}. */
export function parseRange(startText, endText, numFrames) {
  const [a, b] = [String(startText).trim(), String(endText).trim()];
  const start = Number(a);
  const end = Number(b);
  if (!a || !b || !Number.isInteger(start) || !Number.isInteger(end)) return { ok: false, why: "whole frame numbers" };
  if (start < 0 || end < start || end >= numFrames) {
    return { ok: false, why: `frames 0 to ${Math.max(0, numFrames - 1)}, first ≤ last` };
  }
  return { ok: true, start, end };
}

/** One line about a run of the history: "draft · 3 frames · 3 rendered, 0 from cache · seed 42". */
export function describeRun(entry) {
  const parts = [entry.kind, `${entry.frames} frame${entry.frames === 1 ? "" : "s"}`,
    `${entry.rendered} rendered, ${entry.reused} from cache`];
  if (entry.settings?.seed !== undefined) parts.push(`seed ${entry.settings.seed}`);
  return parts.join(" · ");
}

const numFramesOf = (project) => (project?.keyframes?.length
  ? Math.max(...project.keyframes.map((k) => k.frame)) + 1 : 0);

/** The Draft button and the range row, above the scrubber. */
export function mountRunTools(el, model, bus) {
  const cleanup = cleanupList();
  const flushAndSend = (content) => {
    bus.emit("flush");
    model.send(content);
  };
  const draft = h("button", { class: "gw-btn", type: "button", "data-action": "draft",
    title: "A quick storyboard: only the keyframes, a quarter of the steps, half the size",
    onclick: () => flushAndSend({ type: "draft" }) }, "Draft");
  const start = h("input", { class: "gw-input gw-num gw-range-start", type: "number", min: 0, step: 1,
    "aria-label": "First frame of the range", value: "0" });
  const end = h("input", { class: "gw-input gw-num gw-range-end", type: "number", min: 0, step: 1,
    "aria-label": "Last frame of the range", value: "0" });
  const note = h("span", { class: "gw-field-error gw-range-note" });
  const range = h("button", { class: "gw-btn", type: "button", "data-action": "render-range",
    title: "Render only these frames (the full render reuses them from the cache)", onclick: () => {
      const result = parseRange(start.value, end.value, numFramesOf(getProject(model)));
      note.textContent = result.ok ? "" : result.why;
      if (result.ok) flushAndSend({ type: "render_range", start: result.start, end: result.end });
    } }, "Render frames");
  const row = h("div", { class: "gw-row gw-run-tools" }, draft, h("span", { class: "gw-spacer" }),
    h("span", { class: "gw-label" }, "Frames"), start, h("span", {}, "to"), end, range, note);
  el.append(row);
  let known = -1;
  cleanup.add(watch(model, ["status", "project"], () => {
    const state = model.get("status")?.state;
    const busy = state === "rendering" || state === "loading";
    draft.disabled = busy;
    range.disabled = busy;
    const last = numFramesOf(getProject(model)) - 1;
    if (last !== known) { // a new length: the range follows it until the user types one
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

/** A draft's frames side by side, each with its frame number, while the current run is a draft. */
export function mountStoryboard(el, model) {
  const cleanup = cleanupList();
  const store = frameStore(model);
  const grid = h("div", { class: "gw-storyboard-frames" });
  const box = h("div", { class: "gw-storyboard", hidden: true },
    h("div", { class: "gw-toolbar" }, h("span", { class: "gw-title" }, "Draft storyboard"),
      h("span", { class: "gw-count" }, "keyframes only · fewer steps · half size")), grid);
  el.append(box);
  const show = () => {
    const isDraft = model.get("status")?.kind === "draft";
    box.hidden = !isDraft;
    if (!isDraft) return;
    const items = [];
    store.urls.forEach((url, index) => {
      if (url) items.push(h("figure", { class: "gw-story-frame", "data-frame": String(index) },
        h("img", { src: url, alt: `Draft frame ${index}` }), h("figcaption", {}, `frame ${index}`)));
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

/** Thumbnails at the keyframes, placed under their markers on the shared axis: an image keyframe's own picture
 * (`keyframe_pictures`, sent by the kernel), else the current run's frame there. */
export function mountKeyframeThumbs(el, model, bus) {
  const cleanup = cleanupList();
  const store = frameStore(model);
  const strip = h("div", { class: "gw-keyframe-thumbs", "aria-hidden": "true" });
  el.append(strip);
  const draw = () => {
    const axis = bus.state.axis;
    const keyframes = getProject(model)?.keyframes ?? [];
    const pictures = model.get("keyframe_pictures") ?? {};
    const pictureOf = (k) => (k.image ? pictures[k.image] : undefined);
    // keyframes in view with a picture or a frame of the current run; one at an edge stays whole inside the strip
    const shown = axis ? keyframes.filter((k) => (pictureOf(k) || store.has(k.frame))
      && frameToX(axis, k.frame) >= 0 && frameToX(axis, k.frame) <= axis.width) : [];
    strip.hidden = !shown.length;
    strip.replaceChildren(...shown.map((k) => {
      const left = Math.max(0, Math.min(axis.width - THUMB_PX, frameToX(axis, k.frame) - THUMB_PX / 2));
      const picture = pictureOf(k);
      return h("img", { class: picture ? "gw-keyframe-thumb gw-keyframe-picture" : "gw-keyframe-thumb",
        src: picture ?? store.get(k.frame), alt: "", "data-frame": String(k.frame),
        title: picture ? `frame ${k.frame}: ${k.prompt} (starts from ${k.image})` : `frame ${k.frame}: ${k.prompt}`,
        style: `left: ${left.toFixed(1)}px` });
    }));
  };
  cleanup.add(watch(model, ["project", "keyframe_pictures"], draw));
  cleanup.add(store.subscribe(draw));
  cleanup.add(bus.on("axis", draw));
  return () => {
    cleanup.run();
    strip.remove();
  };
}

/** The last runs side by side: each one's GIF or MP4, what it was, and Restore; Undo brings back what a restore
 * replaced. */
export function mountRunHistory(el, model) {
  const cleanup = cleanupList();
  let urls = [];
  const list = h("div", { class: "gw-history-runs" });
  const undo = h("button", { class: "gw-btn", type: "button", "data-action": "undo-restore", hidden: true,
    title: "Put back the settings the last restore replaced", onclick: () => {
      model.send({ type: "undo_restore" });
      undo.hidden = true;
    } }, "Undo restore");
  const fold = foldToggle(model, "history", "Recent runs", list);
  cleanup.add(fold.dispose);
  const box = h("section", { class: "gw-card gw-history", hidden: true },
    h("div", { class: "gw-toolbar" }, fold.button,
      h("span", { class: "gw-count gw-history-count" }), h("span", { class: "gw-spacer" }), undo), list);
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
      const media = !url ? h("div", { class: "gw-output-empty" }, "kept on disk")
        : String(entry.mime).startsWith("video/") ? h("video", { src: url, muted: true, loop: true, autoplay: true })
          : h("img", { src: url, alt: `Run ${entry.run_id}` });
      return h("figure", { class: "gw-history-run", "data-run": entry.run_id }, media,
        h("figcaption", {}, h("div", { class: "gw-history-what" }, describeRun(entry)),
          h("div", { class: "gw-hint", title: (entry.prompts ?? []).join("\n") }, (entry.prompts ?? []).join(" → ")),
          h("button", { class: "gw-btn", type: "button", "data-action": "restore-run",
            title: "Bring this run's settings back (Undo restore takes it back)", onclick: () => {
              model.send({ type: "restore_run", run_id: entry.run_id });
              undo.hidden = false;
            } }, "Restore")));
    }));
  };
  cleanup.add(watch(model, ["run_history"], show));
  return () => {
    cleanup.run();
    for (const url of urls) URL.revokeObjectURL(url);
    box.remove();
  };
}
