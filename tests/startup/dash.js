// dash.js alone: session POST, then play.
import * as dashjs from '/node_modules/dashjs/dist/modern/esm/dash.all.min.js';
import { initUrl, initAlone } from './common.js';

const video = document.getElementById('v');
window.watchFirstFrame(video);
const url = await initAlone(initUrl('mpd'));
const player = dashjs.MediaPlayer().create();
player.initialize(video, url, true);
