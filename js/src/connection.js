// Is the kernel behind this view still there? After a kernel restart or shutdown the old view would look alive
// while every click is dropped; a ping the kernel answers with a pong (widgets/panel.py) tells. A kernel busy with
// a long cell answers late too: the view recovers as soon as a pong arrives.

export const PING_EVERY_MS = 2000;
export const NO_ANSWER_MS = 8000;

/** Ping the kernel every `every` ms; `onChange(connected)` when no pong came for `timeout` ms, or one came again.
 * Returns {connected(), dispose()}. */
export function watchConnection(model, onChange, { every = PING_EVERY_MS, timeout = NO_ANSWER_MS } = {}) {
  let connected = true;
  let waitingSince = null; // when the oldest unanswered ping went out
  let id = 0;
  const set = (value) => {
    if (value === connected) return;
    connected = value;
    onChange(connected);
  };
  const onMessage = (content) => {
    if (content?.type !== "pong") return;
    waitingSince = null;
    set(true);
  };
  const tick = () => {
    const now = performance.now();
    try {
      model.send({ type: "ping", id: ++id });
    } catch {
      set(false); // no comm channel at all
      return;
    }
    if (waitingSince === null) waitingSince = now;
    else if (now - waitingSince > timeout) set(false);
  };
  model.on("msg:custom", onMessage);
  const timer = setInterval(tick, every);
  tick();
  return {
    connected: () => connected,
    dispose() {
      clearInterval(timer);
      model.off("msg:custom", onMessage);
    },
  };
}

export const DISCONNECTED_WORDS = "Not connected to a kernel: it was restarted or shut down, or is busy with a long "
  + "cell. Run the Studio cell again for a live panel.";
