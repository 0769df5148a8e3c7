// Draws each chart of the page with Vega-Embed (served from /static/vega.js, no CDN).
// The chart's Vega-Lite specification is in a JSON <script> next to it; the tables on the
// page carry the same figures, so nothing is lost without JavaScript.
(function () {
  "use strict";
  function draw() {
    if (typeof window.vegaEmbed !== "function") {
      return;
    }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-chart"));
      if (!source) {
        return;
      }
      var spec = JSON.parse(source.textContent);
      spec.width = "container";
      spec.autosize = { type: "fit-x", contains: "padding" };
      el.textContent = "";
      window.vegaEmbed(el, spec, {
        actions: false,
        renderer: "svg",
        ast: true, // expressions interpreted, not compiled: works under a strict Content-Security-Policy
        defaultStyle: false,
        tooltip: true
      }).catch(function (error) {
        el.textContent = "The chart could not be drawn (" + error.message + "); the table gives the same figures.";
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
