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
    // The bundle's stylesheet still declares its web fonts (Inter, JetBrains Mono) on fonts.scalar.com: use local
    // fonts everywhere, so the browser never asks for them (the Content-Security-Policy would refuse it anyway).
    customCss: ':root, .light-mode, .dark-mode, .scalar-app {' +
      ' --scalar-font: "Noto Sans CJK SC", "Microsoft YaHei", system-ui, sans-serif !important;' +
      ' --scalar-font-code: ui-monospace, "Noto Sans Mono CJK SC", monospace !important; }',
  });
})();
