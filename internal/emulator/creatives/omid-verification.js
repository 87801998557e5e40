// omid-verification.js: a test verification script for the Open
// Measurement scenarios (omid, omid-vast3), written for availkit. It is NOT
// an IAB OM SDK verification script: no real OM SDK is available here. It
// talks to availkit's test OM service (tests/browser/pages/omid-fake.js),
// which runs each script in a sandboxed, opaque-origin frame ("limited
// access") and hands it `omidFake`:
//
//   omidFake.parameters          the verification's VerificationParameters
//   omidFake.addEventListener(fn) fn({type, data, timestamp}) per event
//
// The script reports every event it receives to the `report` URL of its
// parameters ({event} replaced by the event type), with the order number
// and the event's data, so a test can read from the emulator's collector
// what a verification vendor would have seen. It also checks, and reports,
// that it cannot reach the host page.
(function () {
  'use strict';
  var api = self.omidFake;
  if (!api) return;
  var params = {};
  try {
    params = JSON.parse(api.parameters || '{}');
  } catch (e) {
    params = {};
  }
  if (typeof params.report !== 'string' || !/^https?:/.test(params.report)) return;
  var seq = 0;
  function send(type, data) {
    seq++;
    var u = params.report.replace('{event}', encodeURIComponent(type)) +
      '&seq=' + seq + '&data=' + encodeURIComponent(JSON.stringify(data || {}).slice(0, 400));
    // keepalive: the frame is removed right after sessionFinish, and the
    // last reports must still leave.
    try {
      fetch(u, { mode: 'no-cors', keepalive: true, credentials: 'omit' });
    } catch (e) {
      new Image().src = u;
    }
  }
  var hostReadable = 'no';
  try {
    hostReadable = String(!!(parent.document && parent.document.body)) === 'true' ? 'yes' : 'no';
  } catch (e) {
    hostReadable = 'no';
  }
  send('scriptLoaded', { hostReadable: hostReadable });
  api.addEventListener(function (e) {
    send(e.type, e.data);
  });
})();
