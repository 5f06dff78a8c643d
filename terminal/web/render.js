// Repaint at most once per animation frame, however fast the feed runs: handlers change state and call request();
// the draw function runs once before the next frame with everything that arrived since.

/** A scheduler for `draw`: its `request()` may be called any number of times; `draw` runs once per frame at most. */
export function frameScheduler(draw, raf = (f) => requestAnimationFrame(f)) {
  let pending = false;
  const stats = { requests: 0, frames: 0 };
  return {
    request() {
      stats.requests++;
      if (pending) return;
      pending = true;
      raf(() => {
        pending = false;
        stats.frames++;
        draw();
      });
    },
    stats,
  };
}

/** An element with a class and optional text, for building the page once (updates then only set text). */
export function element(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Sets text only when it changed: no needless style recalculation on a busy feed. */
export function setText(e, text) {
  if (e.textContent !== text) e.textContent = text;
}
