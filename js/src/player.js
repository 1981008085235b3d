// Playback of frames at the project's fps, driven by requestAnimationFrame; an audio element, when the waveform
// registers one as the clock, leads instead so picture and sound stay together.

export function createPlayer(bus) {
  let raf = null;
  let startFrame = 0;
  let startTime = 0;

  const clock = () => bus.state.clock ?? null; // {play(seconds), pause(), seconds(), ready()}
  const fps = () => Math.max(1, bus.state.fps || 10);
  const last = () => Math.max(0, bus.state.lastFrame || 0);

  function tick(now) {
    if (!bus.state.playing) return;
    const c = clock();
    let frame;
    if (c?.ready()) {
      frame = Math.floor(c.seconds() * fps() + 1e-6);
      // Should the audio end before the frames do, the timer carries on from here without a jump.
      startFrame = frame;
      startTime = now - ((c.seconds() * fps() - frame) / fps()) * 1000;
    } else {
      frame = startFrame + Math.floor(((now - startTime) / 1000) * fps());
    }
    if (frame > last()) {
      // Loop, like the GIF the render makes.
      frame = 0;
      startFrame = 0;
      startTime = now;
      c?.play(0);
    }
    if (frame !== bus.state.frame) bus.set("frame", frame);
    raf = requestAnimationFrame(tick);
  }

  const player = {
    play() {
      if (bus.state.playing) return;
      if (bus.state.frame >= last()) bus.set("frame", 0);
      startFrame = bus.state.frame;
      startTime = performance.now();
      bus.set("playing", true);
      const c = clock();
      c?.play(startFrame / fps());
      raf = requestAnimationFrame(tick);
    },
    pause() {
      if (!bus.state.playing) return;
      bus.set("playing", false);
      cancelAnimationFrame(raf);
      clock()?.pause();
    },
    toggle() {
      if (bus.state.playing) player.pause();
      else player.play();
    },
    seek(frame) {
      const f = Math.max(0, Math.min(last(), Math.round(frame)));
      const wasPlaying = bus.state.playing;
      if (wasPlaying) player.pause();
      bus.set("frame", f);
      if (wasPlaying) player.play();
    },
    step(delta) {
      player.pause();
      const n = last() + 1;
      bus.set("frame", (((bus.state.frame + delta) % n) + n) % n);
    },
    dispose() {
      cancelAnimationFrame(raf);
      bus.state.playing = false;
    },
  };
  return player;
}
