// pauseWhileAway (web/core/away.js): a click-through that hides the page
// pauses the ad until the viewer is back; anything else leaves it alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pauseWhileAway, AWAY_MS } from '../../web/core/away.js';

function fakes() {
  const doc = {
    visibilityState: 'visible',
    fns: new Set(),
    addEventListener(t, f) { if (t === 'visibilitychange') this.fns.add(f); },
    removeEventListener(t, f) { if (t === 'visibilitychange') this.fns.delete(f); },
    set(state) {
      this.visibilityState = state;
      for (const f of [...this.fns]) f();
    },
  };
  const video = {
    paused: false,
    calls: [],
    pause() { this.paused = true; this.calls.push('pause'); },
    play() { this.paused = false; this.calls.push('play'); return Promise.resolve(); },
  };
  return { doc, video };
}

test('pauseWhileAway', async (t) => {
  const cases = [
    {
      name: 'the landing tab hides the page: paused, played again on return, then unwatched',
      inAd: true,
      steps: (doc) => { doc.set('hidden'); doc.set('visible'); doc.set('hidden'); doc.set('visible'); },
      want: ['pause', 'play'],
      listening: 0,
    },
    {
      name: 'not in an ad any more (content): nothing',
      inAd: false,
      steps: (doc) => { doc.set('hidden'); doc.set('visible'); },
      want: [],
    },
    {
      name: 'the viewer played it while away: not played twice',
      inAd: true,
      steps: (doc, video) => { doc.set('hidden'); video.paused = false; doc.set('visible'); },
      want: ['pause'],
      listening: 0,
    },
    {
      name: 'the page stays visible (a landing window): nothing, and the watch ends after AWAY_MS',
      inAd: true,
      steps: async () => { await new Promise((r) => setTimeout(r, AWAY_MS + 50)); },
      want: [],
      listening: 0,
    },
  ];
  for (const c of cases) {
    await t.test(c.name, async () => {
      const { doc, video } = fakes();
      const stop = pauseWhileAway(video, () => c.inAd, doc);
      await c.steps(doc, video);
      assert.deepEqual(video.calls, c.want);
      if (c.listening !== undefined) assert.equal(doc.fns.size, c.listening, 'listeners left');
      stop();
      assert.equal(doc.fns.size, 0, 'stop removes the listener');
    });
  }
});
