// Repaint at most once per animation frame, however fast the feed runs: handlers change state and call request();
// the draw function runs once before the next frame with everything that arrived since.

/**
 * A scheduler for `draw`: its `request()` may be called any number of times; `draw` runs once per frame at most, and
 * at most once per `minIntervalMs` (a market page repaints ten times a second: faster than anyone reads a ladder, and a
 * sixth of the layout and paint work of every frame at a busy feed's rate).
 */
export function frameScheduler(draw, raf = (f) => requestAnimationFrame(f), minIntervalMs = 0,
                               now = () => performance.now(), later = (f, ms) => setTimeout(f, ms)) {
  let pending = false;
  let lastDraw = -Infinity;
  const stats = { requests: 0, frames: 0 };
  const frame = () => raf(() => {
    pending = false;
    lastDraw = now();
    stats.frames++;
    draw();
  });
  return {
    request() {
      stats.requests++;
      if (pending) return;
      pending = true;
      const wait = lastDraw + minIntervalMs - now();
      if (wait > 0) later(frame, wait);
      else frame();
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

/**
 * How busy the page's main thread is: the share of wall time that was not idle, from the idle periods the browser
 * reports (requestIdleCallback: when nothing else runs it offers periods of up to 50 ms, so their sum is the idle
 * time), and the time spent in this page's own script (stream messages and repaints, timed around each). The first
 * includes the browser's style, layout, paint and the chart's canvas work; the second is what the code controls.
 */
export class BusyMeter {
  constructor(now = () => performance.now(), idle = (f) => requestIdleCallback(f)) {
    this.now = now;
    this.idle = idle;
    this.reset();
    const loop = (deadline) => {
      this.idleMs += deadline.timeRemaining();
      this.idle(loop);
    };
    this.idle(loop);
  }

  reset() {
    this.startedAt = this.now();
    this.idleMs = 0;
    this.scriptMs = 0;
    this.messages = 0;
    this.draws = 0;
  }

  /** Runs `work`, counting its time as the page's script (kind: "message" or "draw"). */
  time(kind, work) {
    const start = this.now();
    try {
      return work();
    } finally {
      this.scriptMs += this.now() - start;
      if (kind === "message") this.messages++;
      else this.draws++;
    }
  }

  report() {
    const wallMs = this.now() - this.startedAt;
    return { wallMs, idleMs: this.idleMs, busy: wallMs > 0 ? Math.max(0, 1 - this.idleMs / wallMs) : 0,
      scriptMs: this.scriptMs, script: wallMs > 0 ? this.scriptMs / wallMs : 0, messages: this.messages,
      draws: this.draws };
  }
}
