// common.js: the session-init URLs of the emulator's VOD asset.

export const ACCOUNT = '4f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39';
export const initUrl = (ext) => `${location.origin}/v1/session/${ACCOUNT}/availkit/vod/index.${ext}`;
export const ADS_PARAMS = { scenario: 'single' };

// initAlone is what a page without availkit does: POST the session init and
// play the manifest URL of the reply.
export async function initAlone(url) {
  const r = await fetch(url, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ adsParams: ADS_PARAMS }),
  });
  const j = await r.json();
  window.startupMark('session');
  return new URL(j.manifestUrl, url).href;
}
