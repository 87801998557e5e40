// hls.js alone, from the copy the <availkit-player> element loads
// (dist/vendor/, minified, with its worker): the element's baseline.
import Hls from '/dist/vendor/hls.min.mjs';
import { initUrl, initAlone } from './common.js';

const video = document.getElementById('v');
window.watchFirstFrame(video);
const url = await initAlone(initUrl('m3u8'));
const hls = new Hls({ workerPath: '/dist/vendor/hls.worker.js' });
hls.loadSource(url);
hls.attachMedia(video);
video.play().catch(() => {});
