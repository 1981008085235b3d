// Studio: the whole panel. Header with Render and Cancel, progress and time left, errors and notices, the timeline
// with the waveform under its axis, the scrubber beside the finished animation, and the settings.

import { createBus } from "./bus.js";
import { mountClusterLink } from "./cluster-link.js";
import { DISCONNECTED_WORDS, watchConnection } from "./connection.js";
import { cleanupList, h } from "./dom.js";
import { problemWords } from "./field-words.js";
import { blobUrl, getProject, watch } from "./model.js";
import { icon } from "./icons.js";
import { mountKeyframeEditor } from "./keyframe-editor.js";
import { mountLanes } from "./lanes.js";
import { lockWithoutKernel, mountPoster, needsKernel } from "./offline.js";
import { createPlayer } from "./player.js";
import { mountPromptText } from "./prompt-text.js";
import { mountErrorBanner, rootElement } from "./root.js";
import { mountKeyframeThumbs, mountRunHistory, mountRunTools, mountStoryboard } from "./run-extras.js";
import { mount as mountScrubber } from "./scrubber.js";
import { mount as mountSettings } from "./settings.js";
import { runCounts, staleFrames } from "./stale.js";
import { mountTimelineAxis } from "./timeline.js";
import { mount as mountWaveform } from "./waveform.js";
import { countOf } from "./words.js";

/** "about 12 s left", "about 3 min left" */
export function formatEta(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return "";
  if (seconds < 1) return "almost done";
  if (seconds < 90) return `about ${Math.ceil(seconds)} s left`;
  if (seconds < 5400) return `about ${Math.round(seconds / 60)} min left`;
  return `about ${(seconds / 3600).toFixed(1)} h left`;
}

/** The words under the progress bar for a status trait value, and the kernel's problems with the project. */
export function describeStatus(status, problems = []) {
  const s = status ?? {};
  const { done, total } = runCounts(s);
  const reused = s.reused ? ` · ${s.reused} from cache` : "";
  switch (s.state) {
    case "loading":
      return s.message || "Loading the pipeline…";
    case "rendering": {
      if (!total) return s.message || "Starting…";
      // A finished batch's "step 20/20" would sit beside the next frame's number.
      const step = s.steps && s.step < s.steps && done < total ? ` · step ${s.step}/${s.steps}` : "";
      const eta = formatEta(s.eta) ? ` · ${formatEta(s.eta)}` : "";
      const note = s.message ? ` · ${s.message}` : "";
      return `Rendering frame ${Math.min(done + 1, total)} of ${total}${step}${reused}${eta}${note}`;
    }
    case "finished":
      return `Finished: ${countOf(total, "frame")}${s.rendered !== undefined ? ` (${s.rendered} rendered${reused})` : ""}`;
    case "cancelled":
      return `Cancelled after ${done} of ${countOf(total, "frame")}; finished frames are kept.`;
    case "failed":
      return s.message ? `Failed: ${s.message}` : "Failed.";
    default:
      if (problems.length) {
        return `Render cannot start: ${problems.length === 1 ? "one setting needs" : `${problems.length} settings need`}`
          + " fixing (marked in the panel).";
      }
      return s.message || "Ready. Edit the keyframes, then press Render.";
  }
}

/** Why Render cannot start, in the fields' own words: "Render cannot start: Steps must be at least 1, got 0." */
function cannotStartWords(el, problems) {
  if (!problems.length) return "";
  const view = el.closest(".gw-root") ?? el;
  return `Render cannot start: ${problems.map((p) => problemWords(view, p)).join(" · ")}.`;
}

function mountHeader(el, model, bus) {
  const cleanup = cleanupList();
  const render = h("button", { class: "gw-btn gw-primary", type: "button", title: "Render the animation (frames "
    + "already rendered with the same settings come from the cache)", onclick: () => {
    bus.emit("flush"); // pending edits reach the kernel before the render message
    model.send({ type: "render" });
  } }, icon("play"), "Render");
  const cancel = h("button", { class: "gw-btn", type: "button", title: "Stop after the current frame; finished frames "
    + "are kept", onclick: () => model.send({ type: "cancel" }) }, "Cancel");
  const bar = h("div", { class: "gw-progress-bar" });
  const progress = h("div", { class: "gw-progress", role: "progressbar", "aria-valuemin": "0" }, bar);
  const words = h("div", { class: "gw-status", "aria-live": "polite" });
  // One grid: the brand and the buttons over the bar and the words; a wide panel puts the words between them
  // (styles/studio.css), so the timeline and the frames come higher.
  const header = h("div", { class: "gw-header" },
    h("div", { class: "gw-brand" }, h("span", { class: "gw-logo", "aria-hidden": "true" }),
      h("span", { class: "gw-name" }, "Giffusion"), h("span", { class: "gw-tagline" }, "keyframed prompt animation")),
    words, h("div", { class: "gw-actions" }, cancel, render), progress);
  // What Render would do with the settings as they are now (the kernel's words: widgets/stale_view.py).
  const staleNote = h("div", { class: "gw-stale-note", "aria-live": "polite", hidden: true });
  el.append(header, staleNote);
  cleanup.add(mountClusterLink(cancel, model));
  const update = () => {
    const status = model.get("status") ?? {};
    const problems = model.get("problems") ?? [];
    const busy = status.state === "rendering" || status.state === "loading";
    render.disabled = busy;
    render.classList.toggle("gw-busy", busy);
    render.replaceChildren(...(busy
      ? [h("span", { class: "gw-spinner", "aria-hidden": "true" }), status.state === "loading" ? "Loading…" : "Rendering…"]
      : [icon("play"), "Render"]));
    cancel.disabled = !busy;
    const { done, total } = runCounts(status);
    const share = status.state === "finished" ? 1 : total ? done / total : 0;
    bar.style.width = `${(share * 100).toFixed(1)}%`;
    progress.dataset.state = status.state ?? "idle";
    progress.classList.toggle("gw-indeterminate", status.state === "loading" || (busy && !total));
    progress.setAttribute("aria-valuemax", String(total || 1));
    progress.setAttribute("aria-valuenow", String(done));
    words.textContent = describeStatus(status, problems);
    const why = cannotStartWords(el, problems);
    if (why && (status.state ?? "idle") === "idle") words.textContent = why;
    const stale = staleFrames(model);
    render.title = why ? why
      : `Render the animation (frames already rendered with the same settings come from the cache)${
        stale.message ? `. ${stale.message}` : ""}`;
    words.dataset.state = status.state ?? "idle";
    staleNote.textContent = stale.message;
    staleNote.hidden = !stale.message || Boolean(why) || status.state === "loading";
    Object.assign(staleNote.dataset, { count: String(stale.count), total: String(stale.total),
      output: stale.output, known: String(stale.known) });
    showConnection();
  };
  // A view whose kernel is gone says so and takes no clicks (connection.js).
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

/** Transient messages from the kernel ({type: "notice"}); errors stay until dismissed. */
function mountNotices(el, model) {
  const list = h("div", { class: "gw-notices", "aria-live": "polite" });
  el.append(list);
  const onMessage = (content) => {
    if (content?.type !== "notice") return;
    const level = content.level === "error" ? "error" : "info";
    const item = h("div", { class: `gw-notice gw-notice-${level}`, role: level === "error" ? "alert" : "status" },
      h("span", {}, content.message),
      h("button", { class: "gw-btn gw-icon gw-dismiss", type: "button", "aria-label": "Dismiss",
        onclick: () => item.remove() }, "×"));
    list.append(item);
    while (list.children.length > 4) list.firstChild.remove();
    if (level === "info") setTimeout(() => item.remove(), 6000);
  };
  model.on("msg:custom", onMessage);
  return () => {
    model.off("msg:custom", onMessage);
    list.remove();
  };
}

/** What the animation column says while there is no video of the current run; `name` is the format's label. */
export function outputPlaceholder(status, name = "GIF") {
  const { total } = runCounts(status);
  switch (status?.state) {
    case "loading":
    case "rendering":
      return total ? `The ${name} appears here when ${total === 1 ? "the frame is" : `all ${total} frames are`} done.`
        : `The ${name} appears here when the frames are done.`;
    case "cancelled":
      return `This run was cancelled, so it has no ${name}. Render again to finish it: the frames done so far `
        + "come from the cache.";
    case "failed":
      return `No ${name}: the render failed.`;
    default:
      return `The finished ${name} appears here after a render.`;
  }
}

/** A download's file name: the run folder's name (its date and id), so downloads of several runs never clash. */
export function downloadName(runDir, ext) {
  const run = String(runDir ?? "").split(/[\\/]/).filter(Boolean).pop();
  return `${run ? `giffusion-${run}` : "animation"}.${ext}`;
}

/** The finished GIF or MP4 from the `output` bytes; until there is one, a line that says what will come. */
function mountOutput(el, model) {
  let url = null;
  const holder = h("div", { class: "gw-output-media" });
  const placeholder = h("div", { class: "gw-output-empty" });
  const download = h("a", { class: "gw-btn" }, "Download");
  const caption = h("span", { class: "gw-count" });
  const box = h("div", { class: "gw-output" },
    h("div", { class: "gw-toolbar" }, h("span", { class: "gw-title" }, "Animation"), caption,
      h("span", { class: "gw-spacer" }), download), holder, placeholder);
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
    const media = isVideo
      ? h("video", { src: url, controls: true, loop: true, playsInline: true })
      : h("img", { src: url, alt: "The finished animation" });
    // The box takes the animation's shape, so a wide one gets no bands above and below.
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
    // a run names its own output; the project's may have changed since it started
    const format = (status.state ?? "idle") !== "idle" && status.format ? status.format : project?.output_format;
    placeholder.textContent = outputPlaceholder(status, String(format ?? "").toUpperCase() || undefined);
    // Once a run has frames, the placeholder takes the animation's size, so its arrival moves nothing.
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

export function mount(el, model, bus) {
  const cleanup = cleanupList();
  cleanup.add(mountHeader(el, model, bus));
  cleanup.add(mountErrorBanner(el, model));
  cleanup.add(mountNotices(el, model));

  // Each card's first toolbar names it. The timeline (with the schedule lanes on its axis) spans the panel; under it
  // the keyframe editor and the recent runs are beside the frames in a wide panel, under each other in a narrow one
  // (styles/studio.css). The frames and the animation share a row from the start, so nothing moves when the
  // finished animation arrives.
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
  const editors = h("section", { class: "gw-card gw-editors-card" },
    needsKernel("", h("div", { class: "gw-editors" }, editorBox, textBox)));
  const scrubBox = h("div", { class: "gw-scrub-slot" });
  const outBox = h("div", { class: "gw-out-slot" });
  const results = h("section", { class: "gw-card gw-frames" }, toolsBox, scrubBox, outBox, storyBox);
  const settingsBox = needsKernel("");
  const settings = h("section", { class: "gw-card" },
    h("div", { class: "gw-toolbar" }, h("span", { class: "gw-title" }, "Settings")), settingsBox);
  el.append(prompts, h("div", { class: "gw-work" }, editors, results, historyBox), settings);

  cleanup.add(mountWaveform(waveBox, model, bus));
  cleanup.add(mountLanes(lanesBox, model, bus));
  cleanup.add(mountTimelineAxis(axisBox, model, bus, { afterCanvas: h("div", {}, thumbsBox, waveBox, lanesBox) }));
  cleanup.add(mountKeyframeEditor(editorBox, model, bus));
  cleanup.add(mountPromptText(textBox, model, bus));
  cleanup.add(mountKeyframeThumbs(thumbsBox, model, bus));
  cleanup.add(mountRunTools(toolsBox, model, bus));
  cleanup.add(mountStoryboard(storyBox, model));
  cleanup.add(mountRunHistory(historyBox, model));
  cleanup.add(mountScrubber(scrubBox, model, bus, { studio: true }));
  cleanup.add(mountOutput(outBox, model));
  cleanup.add(mountSettings(settingsBox, model, bus));
  cleanup.add(mountPoster(scrubBox, model, bus));

  // Playback runs at the project's fps (the scrubber sets how far: the whole animation, rendered or not).
  cleanup.add(watch(model, ["project"], () => { bus.state.fps = getProject(model)?.fps || 10; }));
  cleanup.add(watch(model, ["frame"], () => {
    if (!bus.state.playing) bus.set("frame", model.get("frame") ?? 0);
  }));
  return () => cleanup.run();
}

export default {
  render({ model, el }) {
    const bus = createBus();
    bus.player = createPlayer(bus);
    const root = rootElement(el, "studio", "gw-studio");
    const stop = mount(root.body, model, bus);
    return () => {
      stop();
      bus.player.dispose();
      root.dispose();
    };
  },
};
