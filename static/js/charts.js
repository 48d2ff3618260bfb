/* Draw every <canvas data-chart="ID"> from the JSON in <script id="ID"> (Django json_script).
   The JSON: {type, labels, datasets: [{label, data, dashed?}]}; a data table always sits beside
   the chart, so the chart is a convenience, never the only place a figure appears. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var palette = ["#1565c0", "#6a1b9a", "#2e7d32", "#ef6c00", "#c62828", "#00838f"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var datasets = (spec.datasets || []).map(function (ds, i) {
      var colour = palette[i % palette.length];
      return {
        label: ds.label,
        data: ds.data,
        borderColor: colour,
        backgroundColor: spec.type === "bar" ? colour + "99" : colour,
        borderDash: ds.dashed ? [6, 4] : [],
        pointStyle: ["circle", "rectRot", "triangle", "rect"][i % 4],
        spanGaps: true
      };
    });
    new Chart(canvas, {
      type: spec.type || "line",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  });
})();
