// A studio with no kernel behind it: restarted or shut down, or drawn again from the widget state a notebook saved
// (JupyterLab's "Save Widget State Automatically"). Its controls take no edits, since nothing would apply them: every
// part that needs the kernel sits in a `fieldset.gw-live`, disabled then, and its canvases are made inert. The frames
// (sent as messages, which saved state does not keep) are gone from a reopened notebook: where the browser has none,
// the frames' place shows the poster (the `poster` trait: the run's last frame, small) with what to do for the rest.

import { cleanupList, h } from "./dom.js";
import { frameStore } from "./frames.js";
import { blobUrl, toBytes, watch } from "./model.js";
import { countOf } from "./words.js";

/** A fieldset holding controls that need the kernel; `lockWithoutKernel` disables it. */
export const needsKernel = (className, ...children) => h("fieldset", { class: `gw-live ${className}`.trim() },
  ...children);

/** Take edits, or not, in every part of `root` that needs the kernel. */
export function lockWithoutKernel(root, lost) {
  for (const part of root.querySelectorAll("fieldset.gw-live")) {
    part.disabled = lost;
    for (const canvas of part.querySelectorAll(".gw-canvas-wrap")) canvas.inert = lost;
  }
}

/** The poster in place of the scrubber (`scrubBox`) while the kernel is gone and the browser has no frames. */
export function mountPoster(scrubBox, model, bus) {
  const cleanup = cleanupList();
  const store = frameStore(model);
  let url = null;
  const img = h("img", { class: "gw-frame-img" });
  const stage = h("div", { class: "gw-stage" }, img);
  const caption = h("figcaption", { class: "gw-hint" });
  const count = h("span", { class: "gw-count" });
  const box = h("figure", { class: "gw-poster", hidden: true },
    h("div", { class: "gw-toolbar" }, h("span", { class: "gw-title" }, "Frames"), count), stage, caption);
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
    const shown = bus.state.connected === false && store.count === 0 && Boolean(bytes)
      && poster.run_id === model.get("run_id");
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
    caption.textContent = "Not connected to a kernel: this is the run as the notebook saved it. Run the Studio "
      + `cell again, then Render: ${total > 1 ? `its ${countOf(total, "frame")}` : "the frames"} come back from the `
      + "cache.";
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
