/* Draw the plans' bar charts from data the page embeds with json_script.
 * <canvas data-plans-chart="<id of the json_script>" data-stacked="true">; every chart has a
 * table beside it holding the same numbers, and each series also differs by border style. */
(function () {
  "use strict";
  var COLOURS = {
    overdue: "#c62828",
    due_soon: "#f9a825",
    on_schedule: "#1565c0",
    closed: "#9e9e9e",
    planned: "#90caf9",
    mobilized: "#1565c0",
    spent: "#2e7d32"
  };
  var DASHES = [[], [6, 3], [2, 2], [8, 2, 2, 2]];
  document.querySelectorAll("canvas[data-plans-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.plansChart);
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var stacked = canvas.dataset.stacked === "true";
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (set, index) {
          return {
            label: set.label,
            data: set.data,
            backgroundColor: COLOURS[set.key] || "#607d8b",
            borderColor: "#000",
            borderWidth: 1,
            borderDash: DASHES[index % DASHES.length]
          };
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        scales: { x: { stacked: stacked }, y: { stacked: stacked, beginAtZero: true } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  });
})();
