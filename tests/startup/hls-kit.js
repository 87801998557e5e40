// hls.js + availkit, as in the README quick start.
import Hls from '/node_modules/hls.js/dist/hls.mjs';
import { AvailKit } from '/dist/availkit.js';
import { initUrl, ADS_PARAMS } from './common.js';

const video = document.getElementById('v');
window.watchFirstFrame(video);
const kit = AvailKit.start({ coreStart: window.coreStart });
kit.ready.then(() => window.startupMark('kit'));
const session = await kit.createSession({
  sessionInitUrl: initUrl('m3u8'), adsParams: ADS_PARAMS, video, container: document.getElementById('ad-ui'),
  startupHold: window.startupHold,
});
window.startupMark('session');
session.addEventListener('beacon', (e) => { if (e.detail.eventType === 'impression') window.startupMark('impression'); });
const hls = new Hls();
hls.loadSource(session.manifestUrl);
hls.attachMedia(video);
session.attach(hls);
video.play().catch(() => {});
