// Starts the API reference (Scalar) on /api-reference. A file of its own, not an inline script: the
// Content-Security-Policy allows scripts from this site only. Nothing is fetched from elsewhere: no web fonts,
// no proxy, no telemetry.
(function () {
  'use strict';
  var target = document.getElementById('api-reference');
  if (!target || !window.Scalar || !window.Scalar.createApiReference) {
    return;
  }
  window.Scalar.createApiReference(target, {
    url: target.getAttribute('data-url'),
    withDefaultFonts: false,
    hideClientButton: true,
    telemetry: false,
    showDeveloperTools: 'never',
    agent: { disabled: true },
    mcp: { disabled: true },
  });
})();
