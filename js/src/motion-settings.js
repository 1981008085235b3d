// The Motion section of the settings: the animation mode and what the 2D feedback mode does between frames
// (border, colour match, cadence), and the loop and boomerang of the output. Every choice comes from the
// vocabulary; the scheduled values themselves (zoom, angle, ...) are edited in the lanes under the timeline.

/** The section's summary line: the mode's label, then what is on (2D feedback · colour match · cadence 2 · loop). */
export function motionSummary(project, labelOf) {
  const parts = [labelOf("animation_modes", project.animation_mode)];
  if (project.color_match) parts.push("colour match");
  if (project.cadence > 1) parts.push(`cadence ${project.cadence}`);
  if (project.loop) parts.push("loop");
  if (project.boomerang) parts.push("boomerang");
  return parts.filter(Boolean).join(" · ");
}

/** The section's fields, made with the settings' own `add(key, label, options)` and vocabulary `terms(name)`. */
export function motionFields(add, terms, grid) {
  return [
    grid(
      add("animation_mode", "Animation mode", { kind: "select", options: terms("animation_modes"),
        hint: "2D feedback grows each frame from the previous one; the lanes under the timeline move the camera." }),
      add("border_mode", "Border", { kind: "select", options: terms("border_modes"),
        hint: "what fills the edges the motion uncovers (2D)" }),
      add("cadence", "Cadence", { kind: "int", min: 1, max: 50,
        hint: "2D: diffuse every Nth frame, warp the ones between" })),
    add("color_match", "Match colours to the first frame", { kind: "check",
      hint: "2D: stops the colours drifting over a long feedback chain." }),
    add("loop", "Loop: the last frames walk back to the first keyframe", { kind: "check",
      hint: "The animation closes on itself." }),
    add("boomerang", "Boomerang: play forward, then backward", { kind: "check",
      hint: "The GIF or MP4 holds the frames both ways." }),
  ];
}
