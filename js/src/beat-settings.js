// The Beat grid section of the settings: the tempo (typed, or found in the audio by the kernel's beat tracker),
// the bar's length, and the unit keyframes keep their place in when fps changes (the timeline counts in it).

/** The section's summary line: "120 BPM · 4/4 · keyframes in beats", or "no tempo". */
export function beatSummary(project, labelOf) {
  if (!project) return "";
  const unit = `keyframes in ${labelOf("keyframe_units", project.keyframe_unit)}`;
  return project.bpm ? `${project.bpm} BPM · ${project.beats_per_bar} a bar · ${unit}` : `no tempo · ${unit}`;
}

/** The section's fields, made with the settings' own `add(key, label, options)`, plus the "from audio" button. */
export function beatFields(add, terms, grid, button) {
  return [
    grid(
      add("bpm", "Tempo (BPM)", { kind: "optfloat", min: 20, max: 400, placeholder: "none",
        hint: "beats per minute: the timeline draws beats and bars, keyframes snap to them (Alt frees)" }),
      add("beats_per_bar", "Beats per bar", { kind: "int", min: 1, max: 32 }),
      add("beat_offset", "First beat (s)", { kind: "float", min: 0, max: 60, step: 0.01,
        hint: "where the grid starts, so bars line up with the music" }),
      add("keyframe_unit", "Keyframes stay on their", { kind: "select", options: terms("keyframe_units"),
        hint: "when fps changes; the timeline counts in this unit" })),
    button,
  ];
}
