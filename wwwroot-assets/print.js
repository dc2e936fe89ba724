// Static pages cannot run inline handlers under the portal's Content-Security-Policy (script-src 'self'):
// any element marked data-portal-print opens the browser's print dialog (print or save as PDF).
document.addEventListener('click', function (e) {
  var target = e.target instanceof Element ? e.target.closest('[data-portal-print]') : null;
  if (target) { e.preventDefault(); window.print(); }
});
