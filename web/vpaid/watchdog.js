// watchdog.js holds the runner's three guards on a unit frame: the message
// cap, the liveness ping and the overstay deadline. Each ends the ad through
// the runner's fail/stop, so a unit that floods, stops answering or never
// ends costs the viewer a VAST 901 and a return to content, not the player.
//
// What the browser can and cannot stop is in docs/security.md: a frame that
// spins in the page's own renderer process freezes the page's main thread
// too, and then no watchdog (this one included) runs until the spin ends.

// MessageCap counts every message from the frame, well-formed or not: a
// creative flooding with hellos or forged tokens costs the page as much as
// one flooding with events.
export class MessageCap {
  constructor(perSecond) {
    this.max = perSecond;
    this.start = 0;
    this.count = 0;
  }

  // over counts one message at now (ms) and reports whether the last
  // second held more than the cap.
  over(now) {
    if (now - this.start > 1000) {
      this.start = now;
      this.count = 0;
    }
    return ++this.count > this.max;
  }
}

// Liveness pings the frame every pingMs once it has the ad's token; the
// bridge (frame.js) answers each ping with a pong on its own message loop,
// whatever the creative does. A frame with a ping unanswered for timeoutMs
// is dead: a creative that broke the bridge (swallows its messages,
// navigated the frame away) or, in an out-of-process frame, a busy loop.
// Pings are timed from when they were sent, so a page whose timers were
// throttled (a background tab) does not count its own delay against the
// frame.
export class Liveness {
  // post sends a message to the frame; onDead is called once.
  constructor(post, { pingMs, timeoutMs }, onDead) {
    this.post = post;
    this.pingMs = pingMs;
    this.timeoutMs = timeoutMs;
    this.onDead = onDead;
    this.n = 0;
    this.waiting = new Map(); // ping number → sent at (ms)
    this.timer = 0;
  }

  start() {
    if (this.timer || !(this.timeoutMs > 0)) return;
    const tick = () => {
      const now = performance.now();
      for (const sent of this.waiting.values()) {
        if (now - sent >= this.timeoutMs) {
          this.stop();
          this.onDead(Math.round(now - sent));
          return;
        }
      }
      this.n++;
      this.waiting.set(this.n, now);
      this.post({ ak: 'vpaid', type: 'ping', n: this.n });
    };
    this.timer = setInterval(tick, Math.min(this.pingMs, this.timeoutMs / 2));
    tick();
  }

  // pong takes the frame's answer to ping n: it and every earlier ping
  // are answered (messages arrive in order).
  pong(n) {
    if (typeof n !== 'number') return;
    for (const k of this.waiting.keys()) if (k <= n) this.waiting.delete(k);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = 0;
    this.waiting.clear();
  }
}

// overstayDeadline is when (performance.now() ms) a playing unit is asked
// to stop: the avail's duration, or the unit's own remaining time when it
// reports one, plus grace, never beyond maxAdSeconds from its start.
export function overstayDeadline(startMs, availSeconds, remaining, { graceMs, maxAdSeconds }) {
  const now = performance.now();
  let deadline = startMs + (availSeconds || maxAdSeconds) * 1000 + graceMs;
  if (remaining !== null) deadline = Math.max(deadline, now + remaining * 1000 + graceMs);
  return Math.min(deadline, startMs + maxAdSeconds * 1000);
}
