"use strict";
// Starts Swagger UI (vendored by drf-spectacular-sidecar) on the element #swagger-ui, reading
// the schema URL from its data-schema-url: a static file, so the CSP needs no inline script.
(function () {
  const node = document.getElementById("swagger-ui");
  if (!node || typeof window.SwaggerUIBundle === "undefined") {
    return;
  }
  window.SwaggerUIBundle({
    url: node.dataset.schemaUrl,
    domNode: node,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: false,
  });
})();
