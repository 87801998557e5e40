// element-opts.js: ?defer gives the bench's element core-start="first-frame".
// Module scripts run in document order after parsing, so this one sets the
// attribute before availkit-player.js defines the element.
if (new URLSearchParams(location.search).has('defer')) {
  document.querySelector('availkit-player').setAttribute('core-start', 'first-frame');
}
