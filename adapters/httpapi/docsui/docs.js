// Renders /openapi.json with Swagger UI. Kept in a file of its own, not
// inline, so that the page's Content-Security-Policy can allow scripts from
// 'self' only.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: new URL("openapi.json", document.baseURI).href,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // No call to the public validator badge service: the page works offline.
    validatorUrl: null,
    // Send the refresh cookie with "Try it out" requests to this origin.
    withCredentials: true,
  });
});
