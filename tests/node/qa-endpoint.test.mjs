// The QA page's Endpoint fields as a tester reads them: any http(s) URL is
// a tracking URL (hosts serve MediaTailor behind CloudFront or their own
// domain, under any path), and what is not a URL is refused saying why.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { runTarget } from '../../web/qa/endpoint.js';

const PAGE = 'http://127.0.0.1:8080/index.html';
const at = (cfg) => runTarget({ adsParams: {}, ...cfg }, { account: 'ACCT', origin: 'availkit', page: PAGE });
const refused = (cfg) => {
  try {
    at(cfg);
  } catch (e) {
    return e.message;
  }
  return '';
};

test('a session made elsewhere: any http(s) tracking URL, whatever its host and path', () => {
  const manifestUrl = 'https://d111.cloudfront.net/v1/master/abc/cfg/index.m3u8?aws.sessionId=s1';
  for (const trackingUrl of [
    'https://0123abcd.mediatailor.eu-west-1.amazonaws.com/v1/tracking/hash/cfg/s1',
    'https://d111.cloudfront.net/mt/track/hash/cfg/s1',
    'https://video.example.com/ads/t/s1?token=x',
    'http://127.0.0.1:9000/edge/mt/s1',
  ]) {
    const dest = at({ manifestUrl, trackingUrl });
    assert.equal(dest.opts.trackingUrl, trackingUrl);
    assert.equal(dest.origin, new URL(trackingUrl).origin);
    assert.equal(dest.format, 'hls');
  }
  assert.equal(at({ manifestUrl: 'https://cdn.example.com/dash/index.mpd', trackingUrl: 'https://cdn.example.com/t/1' }).format, 'dash');
});

test('what is not an http(s) URL is refused, saying what is wrong', () => {
  const m = 'https://cdn.example.com/index.m3u8';
  assert.equal(refused({ manifestUrl: m, trackingUrl: 'session 42' }),
    'tracking URL: “session 42” is not a URL: paste the whole address, starting with https://');
  assert.equal(refused({ manifestUrl: m, trackingUrl: 'd111.cloudfront.net/mt/track/s1' }),
    'tracking URL: “d111.cloudfront.net/mt/track/s1” has no scheme: write https:// (or http://) in front of it');
  // new URL reads "host:port/…" as a URL whose scheme is the host.
  assert.match(refused({ manifestUrl: m, trackingUrl: 'localhost:8080/v1/tracking/a/b/c' }), /has no scheme/);
  assert.match(refused({ manifestUrl: m, trackingUrl: 'ftp://cdn.example.com/t/1' }), /not an http\(s\) URL \(ftp:\)/);
  assert.match(refused({ manifestUrl: 'index.m3u8', trackingUrl: 'https://cdn.example.com/t/1' }), /^manifest URL: “index\.m3u8” is not a URL/);
  assert.match(refused({ endpoint: 'example.com/v1/session/a/b/index.m3u8' }), /^session-init URL: .* has no scheme/);
  assert.match(refused({ trackingUrl: 'https://cdn.example.com/t/1' }), /needs its manifest URL too/);
  assert.match(refused({ manifestUrl: m }), /needs its tracking URL too/);
});

test('session-init URLs are still told from tracking URLs by their path', () => {
  const init = 'https://abc.mediatailor.us-east-1.amazonaws.com/v1/session/hash/cfg/index.m3u8';
  assert.equal(at({ endpoint: init }).opts.sessionInitUrl, init);
  assert.match(refused({ manifestUrl: 'https://cdn.example.com/index.m3u8', trackingUrl: init }),
    /^tracking URL: .* is a session-init URL \(\/v1\/session\/\): give it as the session-init URL/);
  assert.match(refused({ endpoint: 'https://abc.mediatailor.us-east-1.amazonaws.com/v1/tracking/hash/cfg/s1' }),
    /^session-init URL: .* is a tracking URL \(\/v1\/tracking\/\)/);
  // A path is taken on the page's own origin, as before.
  assert.equal(at({ endpoint: '/v1/session/ACCT/availkit/vod/index.mpd' }).opts.sessionInitUrl,
    'http://127.0.0.1:8080/v1/session/ACCT/availkit/vod/index.mpd');
  assert.equal(at({ kind: 'vod', format: 'hls', scenario: 'default' }).opts.sessionInitUrl,
    'http://127.0.0.1:8080/v1/session/ACCT/availkit/vod/index.m3u8');
});
