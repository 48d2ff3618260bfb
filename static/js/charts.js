/* Draw every <canvas data-chart="ID"> from the JSON in <script id="ID"> (Django json_script).
   The JSON: {type, labels, datasets: [{label, data, dashed?}], open?: [bool per label],
   openLabel?, yLabel?, percent?}; a data table always sits beside the chart, so the chart is a
   convenience, never the only place a figure appears. Numbers are written in the page's
   language (Intl, from <html lang>), as on the page; points of periods still open are drawn
   hollow and the line into them dashed. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var locale = document.documentElement.lang || "en";
  var palette = ["#1565c0", "#6a1b9a", "#2e7d32", "#ef6c00", "#c62828", "#00838f"];
  var number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var open = spec.open || [];
    var isOpen = function (index) { return Boolean(open[index]); };
    var format = function (value) {
      if (value === null || value === undefined) { return "—"; }
      return spec.percent ? number.format(value) + (locale === "en" ? "%" : "\u00a0%") : number.format(value);
    };
    var datasets = (spec.datasets || []).map(function (ds, i) {
      var colour = palette[i % palette.length];
      return {
        label: ds.label,
        data: ds.data,
        borderColor: colour,
        backgroundColor: spec.type === "bar" ? colour + "99" : colour,
        borderDash: ds.dashed ? [6, 4] : [],
        pointStyle: ["circle", "rectRot", "triangle", "rect"][i % 4],
        pointRadius: function (ctx) { return isOpen(ctx.dataIndex) ? 5 : 3; },
        pointBackgroundColor: function (ctx) { return isOpen(ctx.dataIndex) ? "#ffffff" : colour; },
        segment: {
          borderDash: function (ctx) { return isOpen(ctx.p1DataIndex) ? [3, 3] : undefined; }
        },
        spanGaps: true
      };
    });
    var y = { beginAtZero: true, ticks: { callback: function (v) { return format(v); } } };
    if (spec.yLabel) { y.title = { display: true, text: spec.yLabel }; }
    new Chart(canvas, {
      type: spec.type || "line",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        locale: locale,
        responsive: true,
        maintainAspectRatio: false,
        scales: { y: y },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (ctx) { return ctx.dataset.label + ": " + format(ctx.parsed.y); },
              afterLabel: function (ctx) { return isOpen(ctx.dataIndex) && spec.openLabel ? spec.openLabel : ""; }
            }
          }
        }
      }
    });
  });
})();
