// Editor of the selected keyframe: frame, prompt, negative prompt, seed and picture (an image keyframe).

import { cleanupList, debounce, h, isEditing } from "./dom.js";
import { keyframeEditRefused } from "./edit-guard.js";
import { findKeyframe, isFree, updateKeyframe } from "./keyframes.js";
import { getProject, projectKeyframes, setKeyframes, watch } from "./model.js";

let nextId = 0;

export function mountKeyframeEditor(el, model, bus) {
  const cleanup = cleanupList();
  nextId += 1;
  const id = `gw-kf-${nextId}`;
  const frameInput = h("input", { class: "gw-input gw-num", type: "number", min: "0", step: "1", id: `${id}-frame` });
  const prompt = h("textarea", { class: "gw-input", rows: 2, id: `${id}-prompt`,
    placeholder: "what this keyframe shows, e.g. a watercolor of a lighthouse" });
  const negative = h("input", { class: "gw-input", type: "text", id: `${id}-neg` });
  const seed = h("input", { class: "gw-input gw-num", type: "number", min: "0", step: "1", id: `${id}-seed` });
  const image = h("input", { class: "gw-input", type: "text", id: `${id}-image`, spellcheck: false,
    placeholder: "none: a plain keyframe" });
  const message = h("div", { class: "gw-field-error", role: "status" });
  const removeButton = h("button", { class: "gw-btn gw-danger", type: "button", title: "Remove this keyframe (Delete)",
    onclick: () => bus.emit("remove-selected") }, "Remove");
  const form = h("div", { class: "gw-kf-form" },
    h("div", { class: "gw-kf-head" },
      h("label", { for: frameInput.id }, "Keyframe at frame"), frameInput, h("span", { class: "gw-spacer" }),
      removeButton),
    h("label", { for: prompt.id }, "Prompt"), prompt,
    h("div", { class: "gw-kf-row" },
      h("div", { class: "gw-kf-cell" }, h("label", { for: negative.id }, "Negative prompt"), negative),
      h("div", { class: "gw-kf-cell gw-kf-seed" }, h("label", { for: seed.id }, "Seed (empty: project's)"), seed)),
    h("label", { for: image.id }, "Picture (an image keyframe: its frames start from it)"), image,
    message);
  const empty = h("div", { class: "gw-empty" },
    "Select a keyframe on the timeline to edit its prompt, or double-click the timeline to add one.");
  const section = h("div", { class: "gw-kf-editor" }, h("div", { class: "gw-subtitle" }, "Selected keyframe"), form,
    empty);
  el.append(section);

  const selected = () => findKeyframe(projectKeyframes(model), bus.state.selected);

  // Edits carry the frame they were typed for: a debounced commit may land after the selection moved on.
  function commit(frame, changes) {
    if (frame === null || keyframeEditRefused(bus)) return;
    const keyframes = projectKeyframes(model);
    if ("frame" in changes && changes.frame !== frame && !isFree(keyframes, changes.frame)) {
      message.textContent = Number.isInteger(changes.frame) && changes.frame >= 0
        ? `frame ${changes.frame} already has a keyframe` : "the frame must be a whole number, 0 or more";
      return;
    }
    message.textContent = "";
    const next = updateKeyframe(keyframes, frame, changes);
    if (next === keyframes) return;
    if ("frame" in changes && bus.state.selected === frame) bus.set("selected", changes.frame);
    setKeyframes(model, next);
  }

  // Newlines would break the one-keyframe-a-line text form, so a prompt stays on one line.
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
  cleanup.add(bus.on("flush", flush)); // before a render, typed text must reach the kernel first
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
    negative.placeholder = project?.negative_prompt
      ? `empty: the project's (“${project.negative_prompt}”)` : "things to avoid (optional)";
    seed.placeholder = String(project?.seed ?? 42);
    seed.title = "Empty: the project's seed";
  }

  let shownFrame = null;
  const onSelect = () => {
    // A new selection is a new form: pending edits of the old keyframe land first.
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
