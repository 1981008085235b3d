// A tiny event bus with shared view state, so the studio's components agree on zoom, pan, selection and playhead.
//
// state.axis      the frame axis (timeaxis.js) the timeline and the waveform draw with
// state.fit       true until the user zooms or pans: the axis refits when the content grows
// state.selected  frame of the selected keyframe, or null
// state.frame     the playhead
// state.playing   playback running
// state.fps, state.lastFrame   what playback runs at and up to
// state.audioFrames           length of the audio in frames (0 without audio), so the axis spans it

export function createBus(initial = {}) {
  const handlers = new Map();
  const state = {
    axis: null, fit: true, selected: null, frame: 0, playing: false, fps: 10, lastFrame: 0, audioFrames: 0,
    ...initial,
  };
  const bus = {
    state,
    on(event, fn) {
      if (!handlers.has(event)) handlers.set(event, new Set());
      handlers.get(event).add(fn);
      return () => handlers.get(event)?.delete(fn);
    },
    emit(event, payload) {
      for (const fn of [...(handlers.get(event) ?? [])]) fn(payload);
    },
    /** Set a state key and tell listeners of the event of the same name, when it changed. */
    set(key, value) {
      if (Object.is(state[key], value)) return;
      state[key] = value;
      bus.emit(key, value);
    },
  };
  return bus;
}
