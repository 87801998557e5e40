// Tracking JSON panel of the QA page: each tracking response exactly as the
// plugin polled it (the page observes the plugin's fetches instead of
// polling a second time, which would change what the emulator's live fill
// and paging hand out). A paged poll (nextToken) with nothing new is an
// empty list; showing it would hide the avails a tester came to read, so
// the panel keeps the last poll that listed any and says which one it is.
// Until a poll lists avails, the latest answer is shown (an error body, an
// empty list): a 500's body is not "the last with avails".

// createTrackingPanel fills pre and sum; onJSON receives each parsed response.
export function createTrackingPanel(pre, sum, onJSON) {
  let seen = 0;
  let shown = 0;
  let shownListed = false;
  return {
    reset() {
      seen = 0;
      shown = 0;
      shownListed = false;
      pre.textContent = '';
      sum.textContent = '';
    },
    // polled takes one response: its HTTP status and body text.
    polled(status, body) {
      let json = null;
      try {
        json = JSON.parse(body);
      } catch {
        // malformed on purpose (fault knob) or broken: show it raw
      }
      const n = ++seen;
      const listed = json && ((json.avails && json.avails.length) || (json.nonLinearAvails && json.nonLinearAvails.length));
      if (!json || listed || !shownListed) {
        shown = n;
        shownListed = !!listed;
        pre.textContent = json ? JSON.stringify(json, null, 2) : body;
      }
      const note = shown === n ? '' : ` · showing #${shown}, the last with avails`;
      sum.textContent = `${n} poll${n === 1 ? '' : 's'} · last ${status}${json ? '' : ' (not JSON)'}${note}`;
      if (json) onJSON(json);
    },
  };
}
