// dash.js + availkit from the minified bundle, as the npm package serves it,
// as in the README (attach, then initialize with autoplay).
import * as dashjs from '/node_modules/dashjs/dist/modern/esm/dash.all.min.js';
import { AvailKit } from '/dist/availkit.min.js';
import { initUrl, ADS_PARAMS } from './common.js';

const video = document.getElementById('v');
window.watchFirstFrame(video);
const kit = AvailKit.start({ coreStart: window.coreStart });
kit.ready.then(() => window.startupMark('kit'));
const session = await kit.createSession({
  sessionInitUrl: initUrl('mpd'), adsParams: ADS_PARAMS, video, container: document.getElementById('ad-ui'),
  startupHold: window.startupHold,
});
window.startupMark('session');
session.addEventListener('beacon', (e) => { if (e.detail.eventType === 'impression') window.startupMark('impression'); });
const player = dashjs.MediaPlayer().create();
session.attach(player);
player.initialize(video, session.manifestUrl, true);
