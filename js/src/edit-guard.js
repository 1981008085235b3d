// While the prompt text does not parse, the text cannot show a keyframe added or moved elsewhere, and fixing the
// text would then replace it: so the timeline, the editor and the waveform refuse keyframe edits until the text is
// fixed, and say so (prompt-text.js sets bus.state.textError and shows the note).

/** True (and a note for the text view) when a keyframe edit must wait for the text to be fixed. */
export function keyframeEditRefused(bus) {
  const error = bus?.state?.textError;
  if (!error) return false;
  bus.emit("keyframe-edit-refused", error);
  return true;
}

/** The note shown beside the text when an edit was refused. */
export const refusedWords = (error) =>
  `Keyframes were not changed: fix the prompt text first (${error}), or the fix would undo the edit.`;
