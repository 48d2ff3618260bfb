/* Draw every <canvas data-map="ID"> as a world map of country offices from the JSON in
   <script id="ID"> (Django json_script): {topology, title, countries: [{id, iso, name, region,
   regionCode, band, label, value}], legend: [{band, label, colour}], noOffice}. The countries come
   from the vendored world-atlas TopoJSON (a static file of this deployment: no outside tiles),
   coloured by band with chartjs-chart-geo; the regions are outlined by merging their countries.
   A table of the same figures sits beside the map, which is never the only place they appear. */
(function () {
  "use strict";
  if (typeof Chart === "undefined" || typeof ChartGeo === "undefined") { return; }
  document.querySelectorAll("canvas[data-map]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.map);
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var colours = {};
    (spec.legend || []).forEach(function (item) { colours[item.band] = item.colour; });
    var offices = {};
    (spec.countries || []).forEach(function (c) { if (c.id) { offices[c.id] = c; } });
    fetch(spec.topology).then(function (response) { return response.json(); }).then(function (topology) {
      var geometries = topology.objects.countries.geometries;
      var countries = ChartGeo.topojson.feature(topology, topology.objects.countries).features;
      var byRegion = {};
      geometries.forEach(function (g) {
        var office = offices[g.id];
        if (office && office.regionCode) { (byRegion[office.regionCode] = byRegion[office.regionCode] || []).push(g); }
      });
      var regions = Object.keys(byRegion).map(function (code) {
        return { type: "Feature", id: code, properties: { name: code }, geometry: ChartGeo.topojson.merge(topology, byRegion[code]) };
      });
      var outline = { type: "Feature", geometry: ChartGeo.topojson.merge(topology, geometries) };
      new Chart(canvas, {
        type: "choropleth",
        data: {
          labels: countries.map(function (f) { return f.properties.name; }),
          datasets: [
            {
              label: spec.title,
              order: 1,
              outline: outline,
              showOutline: true,
              data: countries.map(function (f) { return { feature: f, value: offices[f.id] ? 1 : 0, office: offices[f.id] || null }; }),
              backgroundColor: function (ctx) {
                var office = ctx.raw && ctx.raw.office;
                return office ? (colours[office.band] || "#cccccc") : "#f5f5f5";
              },
              borderColor: "#9e9e9e",
              borderWidth: 0.5
            },
            {
              label: "regions",
              order: 0, // drawn on top of the countries
              data: regions.map(function (f) { return { feature: f, value: 0 }; }),
              backgroundColor: "rgba(0, 0, 0, 0)",
              borderColor: "#263238",
              borderWidth: 1.6,
              hoverBackgroundColor: "rgba(0, 0, 0, 0)"
            }
          ]
        },
        options: {
          // No animation: the geo elements' shared options cannot take Chart.js's animation state.
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          showOutline: true,
          scales: {
            projection: { axis: "x", projection: "equalEarth" },
            color: { axis: "x", display: false }
          },
          plugins: {
            legend: { display: false },
            tooltip: {
              filter: function (item) { return item.datasetIndex === 0; },
              callbacks: {
                label: function (ctx) {
                  var office = ctx.raw && ctx.raw.office;
                  var name = ctx.raw && ctx.raw.feature ? ctx.raw.feature.properties.name : "";
                  if (!office) { return name + ": " + spec.noOffice; }
                  return office.name + " (" + office.region + "): " + office.label + " — " + office.value;
                }
              }
            }
          }
        }
      });
    });
  });
})();
