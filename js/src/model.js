// Reading and editing the synced traits (see js/README.md for the protocol).

/** The project dict, or null when the widget has none. */
export const getProject = (model) => model.get("project") ?? null;

/** Edit a copy of the project and send it whole: `fn(copy)` changes the copy in place. */
export function editProject(model, fn) {
  const project = getProject(model);
  if (!project) return;
  const copy = structuredClone(project);
  fn(copy);
  model.set("project", copy);
  model.save_changes();
}

export const setProjectField = (model, key, value) => editProject(model, (p) => { p[key] = value; });

export const setKeyframes = (model, keyframes) =>
  editProject(model, (p) => { p.keyframes = keyframes.map((k) => ({ ...k })); });

/** Bytes traits arrive as DataView (ipywidgets), ArrayBuffer or typed arrays: as a Uint8Array, or null if empty. */
export function toBytes(value) {
  if (!value) return null;
  let bytes = null;
  if (value instanceof Uint8Array) bytes = value;
  else if (ArrayBuffer.isView(value)) bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  else if (value instanceof ArrayBuffer) bytes = new Uint8Array(value);
  return bytes?.byteLength ? bytes : null;
}

/** A Blob URL for a bytes trait value, or null when empty. The caller revokes it. */
export function blobUrl(value, mime) {
  const bytes = toBytes(value);
  return bytes ? URL.createObjectURL(new Blob([bytes], { type: mime || "application/octet-stream" })) : null;
}

/** Call `fn()` now and whenever any of `names` changes; returns the unsubscribe function. */
export function watch(model, names, fn, { now = true } = {}) {
  // One listener per name: not every anywidget host splits space-separated event names.
  const handler = () => fn();
  for (const name of names) model.on(`change:${name}`, handler);
  if (now) fn();
  return () => {
    for (const name of names) model.off(`change:${name}`, handler);
  };
}

/** Keyframes of the project, sorted by frame. */
export function projectKeyframes(model) {
  const project = getProject(model);
  return project ? [...project.keyframes].sort((a, b) => a.frame - b.frame) : [];
}

/** One list of the vocabulary the kernel sends once (giffusion_widgets/vocabulary.py): [{value, label, hint}]. */
export const terms = (model, name) => model.get("vocabulary")?.[name] ?? [];

/** The kernel's problems with the project ([{field, message}]) about `field`. */
export const problemsOf = (model, field) => (model.get("problems") ?? []).filter((p) => p.field === field);

/** A keyframe's frame for each onset of one audio component, as the kernel computed them for the project's fps:
 * [{time, frame}], empty while the kernel has not yet answered a change of fps (the panel never rounds a time). */
export function onsetMarks(model, component) {
  const onsets = model.get("onsets") ?? {};
  const marks = onsets[component];
  if (!marks || onsets.fps !== getProject(model)?.fps) return [];
  return marks.times.map((time, i) => ({ time, frame: marks.frames[i] }));
}
