/* Regional insight: draws each chart with Chart.js (served from npm's package, never fetched
   at run time) from the data the page carries in a JSON block (Django's json_script). No
   inline script: a strict Content Security Policy may forbid it. The table next to each chart
   holds the same figures; a number that may not be shown is null here and "<5" there. */
(function () {
  "use strict";

  // Stagebrug's tokens; each at least 3:1 against white (WCAG 1.4.11).
  var PALETTE = ["#14508c", "#a3361c", "#1e6b34", "#7a4d00", "#6b2f8f", "#4a5058", "#0b6e69"];

  function colour(index) {
    return PALETTE[index % PALETTE.length];
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    var spec = JSON.parse(source.textContent);
    if (spec.horizontal) {
      // A bar per row and series: tall enough to read every label.
      var rows = Math.max(1, spec.labels.length);
      var perRow = spec.stacked ? 28 : 14 * Math.max(1, spec.datasets.length) + 12;
      canvas.parentElement.style.height = Math.max(260, rows * perRow + 90) + "px";
    }
    var datasets = spec.datasets.map(function (series, index) {
      return {
        label: series.label,
        data: series.data,
        stack: spec.stacked ? series.stack : undefined,
        backgroundColor: colour(index),
        borderColor: colour(index),
        borderWidth: spec.type === "line" ? 3 : 0,
        pointRadius: spec.type === "line" ? 4 : undefined,
        spanGaps: false
      };
    });
    var valueAxis = { beginAtZero: true, stacked: spec.stacked, ticks: { precision: 0 } };
    var labelAxis = { stacked: spec.stacked };
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: spec.horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }

  function drawAll() {
    var canvases = document.querySelectorAll("canvas[data-chart]");
    for (var i = 0; i < canvases.length; i += 1) {
      draw(canvases[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
