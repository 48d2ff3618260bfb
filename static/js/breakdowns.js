/* Breakdown charts (sex, age, population group): every <canvas data-breakdown-chart="ID"> is
   drawn from the JSON in <script id="ID"> (Django json_script) as stacked bars:
   {type: "bar", stacked, horizontal, labels, datasets: [{label, data, color?}]}. The part no
   breakdown covers comes as its own grey dataset ("Not broken down"), so the chart never shows
   the covered part as the whole. A table with the same figures always sits beside the chart. */
(function () {
  "use strict";
  function draw() {
    if (typeof Chart === "undefined") { return; }
    var palette = ["#1565c0", "#6a1b9a", "#2e7d32", "#ef6c00", "#00838f", "#ad1457"];
    document.querySelectorAll("canvas[data-breakdown-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) { return; }  // the script may be included more than once
      var source = document.getElementById(canvas.dataset.breakdownChart);
      if (!source) { return; }
      canvas.dataset.drawn = "1";
      var spec = JSON.parse(source.textContent);
      var datasets = (spec.datasets || []).map(function (ds, i) {
        var colour = ds.color || palette[i % palette.length];
        return {
          label: ds.label,
          data: ds.data,
          backgroundColor: colour,
          borderColor: "#fff",
          borderWidth: 1
        };
      });
      var value = spec.horizontal ? "x" : "y";
      var scales = {};
      scales[value] = { stacked: !!spec.stacked, beginAtZero: true };
      scales[value === "x" ? "y" : "x"] = { stacked: !!spec.stacked };
      new Chart(canvas, {
        type: "bar",
        data: { labels: spec.labels, datasets: datasets },
        options: {
          indexAxis: spec.horizontal ? "y" : "x",
          responsive: true,
          maintainAspectRatio: false,
          scales: scales,
          plugins: { legend: { position: "bottom" } }
        }
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
