// What the Inputs section says about how its files will be used: which of an image and a video renders, and an
// image or video stretched to a frame size of another shape (the engine resizes to the project's width and height).

const SHAPE_TOLERANCE = 0.01;

function stretched(kind, item, project) {
  const width = project?.width;
  const height = project?.height;
  if (!item?.width || !item?.height || !width || !height) return null;
  if (Math.abs(item.width / item.height - width / height) <= SHAPE_TOLERANCE * (width / height)) return null;
  return `The ${item.width}×${item.height} ${kind} is stretched to ${width}×${height} frames: leave Width or `
    + "Height empty (auto) to keep its shape.";
}

/** The notes for the project's inputs (`media`: the kernel's {image, audio, video} descriptions). */
export function inputNotes(project, media) {
  const notes = [];
  if (project?.image_input && project?.video_input) {
    notes.push("Both an image and a video are set: the image is used for every frame. Remove it to use the video.");
  }
  const image = project?.image_input ? stretched("image", media?.image, project) : null;
  const video = !project?.image_input && project?.video_input ? stretched("video", media?.video, project) : null;
  for (const note of [image, video]) if (note) notes.push(note);
  return notes;
}
