// The transport: the core's requests reach it with their body's bytes
// (a fetch without arrayBuffer gives text), headers and status; a request
// past its timeout rejects with "timeout"; a beacon without an answer in
// its time is aborted and rejects as not to be retried. The beacon sender's
// mixed-content rule: an https page upgrades http beacons (fetch would block
// them; the browser upgrades an <img> the same way), and leaves everything
// else alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { fetchBody, secureURL, sendBeacon } from '../../web/core/transport.js';

test('fetchBody hands the core the body as sent', async () => {
  const sent = '\ufeff{"avails":[{"availId":"café"}]}';
  const seen = [];
  const impl = async (url, init) => {
    seen.push([url, init.method, init.body]);
    return new Response(sent, { status: 203, headers: { 'x-a': 'b' } });
  };
  const r = await fetchBody(impl, 'http://mt.test/t', { method: 'POST', body: '{}' });
  assert.equal(r.status, 203);
  assert.equal(r.headers['x-a'], 'b');
  assert.ok(r.bytes instanceof Uint8Array);
  assert.deepEqual([...r.bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], 'the byte-order mark is kept: the core drops it');
  assert.equal(new TextDecoder('utf-8', { ignoreBOM: true }).decode(r.bytes), sent);
  assert.deepEqual(seen, [['http://mt.test/t', 'POST', '{}']]);

  const old = await fetchBody(async () => ({ status: 200, text: async () => 'plain' }), 'http://mt.test/t');
  assert.deepEqual(old, { status: 200, headers: {}, text: 'plain' }, 'a response without arrayBuffer gives text');

  const never = (url, init) => new Promise((_, reject) => init.signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))));
  await assert.rejects(fetchBody(never, 'http://mt.test/t', { timeoutMs: 20 }), /timeout after 20 ms/);
});

test('secureURL upgrades http beacons on https pages only', () => {
  const cases = [
    ['http://b.test/imp?x=1', 'https:', 'https://b.test/imp?x=1'],
    ['HTTP://b.test/imp', 'https:', 'https://b.test/imp'],
    ['https://b.test/imp', 'https:', 'https://b.test/imp'],
    ['http://b.test/imp', 'http:', 'http://b.test/imp'],
    ['http://b.test/imp', undefined, 'http://b.test/imp'],
    ['httpx://b.test/imp', 'https:', 'httpx://b.test/imp'],
  ];
  for (const [url, page, want] of cases) assert.equal(secureURL(url, page), want, `${url} on ${page}`);
});

test('sendBeacon gives up on a host that does not answer, once, without a retry', async (t) => {
  const real = globalThis.fetch;
  t.after(() => { globalThis.fetch = real; });
  const cases = [
    { name: 'no answer', answer: null, timeoutMs: 30, want: { noRetry: true, message: /no answer from b\.test:8443 in 0\.03 s/ } },
    { name: 'answered in time', answer: 5, timeoutMs: 200, want: null },
    { name: 'network error', answer: 'fail', timeoutMs: 200, want: { noRetry: undefined, message: /Failed to fetch/ } },
    { name: 'no timeout asked', answer: 40, timeoutMs: 0, want: null },
  ];
  for (const c of cases) {
    let signal = null;
    globalThis.fetch = (url, init) => new Promise((resolve, reject) => {
      signal = init.signal || null;
      signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
      if (c.answer === 'fail') setTimeout(() => reject(new TypeError('Failed to fetch')), 1);
      else if (c.answer !== null) setTimeout(() => resolve(new Response(null, { status: 204 })), c.answer);
    });
    const p = sendBeacon('http://b.test:8443/imp', c.timeoutMs);
    if (!c.want) {
      await p;
      assert.equal(!!signal?.aborted, false, c.name);
      continue;
    }
    const err = await p.then(() => null, (e) => e);
    assert.ok(err, `${c.name}: rejected`);
    assert.match(err.message, c.want.message, c.name);
    assert.equal(err.noRetry, c.want.noRetry, c.name);
    assert.equal(signal.aborted, !!c.want.noRetry, `${c.name}: the request was aborted, freeing its connection`);
  }
});
