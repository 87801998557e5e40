// bundle.js: driver page for tests/browser/bundle.test.mjs. It loads the
// minified bundle (dist/availkit.min.js) as a production page would and
// plays an emulator scenario with hls.js and an ad container:
// window.b.start(scenario, kitOptions), then window.b.js() lists the
// scripts the page fetched and window.b.startup() when the first frame was
// presented, the core compiled and each impression was sent.

import Hls from '/node_modules/hls.js/dist/hls.mjs';
import { AvailKit } from '/dist/availkit.min.js';

const ACCOUNT = '4f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39';
const video = document.getElementById('video');
const ends = [];
let vpaidStarts = 0;
let session = null;
let hls = null;
let firstFrame = 0;
const impressions = []; // [adId, performance.now()]
video.requestVideoFrameCallback((now, meta) => { firstFrame = meta.presentationTime || now; });

window.b = {
  async start(scenario, kitOptions) {
    const kit = AvailKit.start(kitOptions);
    session = await kit.createSession({
      sessionInitUrl: `${location.origin}/v1/session/${ACCOUNT}/availkit/vod/index.m3u8`,
      adsParams: scenario ? { scenario } : {},
      video,
      container: document.getElementById('adui'),
    });
    session.addEventListener('adend', (e) => ends.push(e.detail.adId));
    session.addEventListener('vpaidstart', () => { vpaidStarts++; });
    session.addEventListener('beacon', (e) => {
      if (e.detail.eventType === 'impression') impressions.push([e.detail.adId, performance.now()]);
    });
    hls = new Hls({ enableWorker: false });
    hls.loadSource(session.manifestUrl);
    hls.attachMedia(video);
    session.attach(hls);
    video.playbackRate = 2;
    await video.play().catch(() => {});
  },
  adsEnded: () => ends.length,
  vpaidStarts: () => vpaidStarts,
  // frames lists the src paths of the VPAID frames in the container.
  frames: () => [...document.querySelectorAll('.ak-vpaid-frame')].map((f) => new URL(f.src).pathname),
  count: (selector) => document.querySelectorAll(selector).length,
  // js lists the paths of the scripts fetched under /dist/.
  js: () => performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname)
    .filter((p) => p.startsWith('/dist/') && p.endsWith('.js')),
  startup: () => ({
    firstFrame,
    compiled: performance.getEntriesByName('availkit:compiled')[0]?.startTime ?? -1,
    impressions,
  }),
  destroy() {
    session?.destroy();
    hls?.destroy();
  },
};
window.e2eReady = true;
