// hls.js alone: session POST, then play.
import Hls from '/node_modules/hls.js/dist/hls.mjs';
import { initUrl, initAlone } from './common.js';

const video = document.getElementById('v');
window.watchFirstFrame(video);
const url = await initAlone(initUrl('m3u8'));
const hls = new Hls();
hls.loadSource(url);
hls.attachMedia(video);
video.play().catch(() => {});
