// frames.js makes the iframe a unit runs in, and keeps one loaded ahead:
// a frame's start-up (often a new renderer process for the opaque origin)
// is otherwise paid between adstart and AdStarted.

import { adFrame } from '../companions/safety.js';

// unitFrame returns a new, unattached ad frame (adFrame: sandboxed, an
// opaque origin) for one unit, over the whole slot; the unit may autoplay
// its video and go fullscreen.
export function unitFrame() {
  const f = adFrame('Advertisement', 'position:absolute;inset:0;width:100%;height:100%;border:0;z-index:2;background:#000');
  f.setAttribute('allow', 'autoplay; fullscreen');
  f.className = 'ak-vpaid-frame';
  return f;
}

// SpareFrame is a unit frame loading frameUrl, hidden, in container. It is
// ready once its bridge has said hello; the runner then answers that hello
// itself when an ad takes the frame (take), so the unit loads at once.
export class SpareFrame {
  constructor(frameUrl, container) {
    const f = unitFrame();
    f.style.visibility = 'hidden';
    this.iframe = f;
    this.ready = false;
    this.onMessage = (ev) => {
      const m = ev.data;
      if (ev.source === f.contentWindow && m && typeof m === 'object' && m.ak === 'vpaid' && m.type === 'hello') {
        this.ready = true;
        window.removeEventListener('message', this.onMessage);
      }
    };
    window.addEventListener('message', this.onMessage);
    f.src = frameUrl;
    container.appendChild(f);
  }

  // take hands the frame to an ad, still hidden: from now on the runner
  // reads its messages.
  take() {
    window.removeEventListener('message', this.onMessage);
    return this.iframe;
  }

  // drop removes a frame no ad took.
  drop() {
    window.removeEventListener('message', this.onMessage);
    this.iframe.remove();
  }
}
