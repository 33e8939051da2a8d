// A zone plan's map: the units' shapes from the plan's scoped GeoJSON endpoint, one colour per zone
// (ECharts registerMap + a visual map by zone number); units in no zone are grey.
(function () {
  "use strict";
  var element = document.getElementById("zone-map");
  if (!element || typeof echarts === "undefined") {
    return;
  }
  var palette = ["#1d4f91", "#c0392b", "#2e8b57", "#d68910", "#7d3c98", "#138d90", "#b9770e", "#5d6d7e",
    "#a93226", "#1f618d", "#229954", "#ca6f1e"];
  var chart = echarts.init(element, null, { renderer: "canvas" });
  window.addEventListener("resize", function () {
    chart.resize();
  });
  fetch(element.dataset.shapes, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(response.status);
      }
      return response.json();
    })
    .then(function (geojson) {
      echarts.registerMap("jiandu-zones", geojson);
      var data = geojson.features.map(function (feature) {
        var zone = feature.properties.zone;
        // The server gives neighbouring zones different colour indexes.
        var colour = feature.properties.colour;
        return {
          name: feature.properties.name,
          label: feature.properties.label,
          zone: zone,
          itemStyle: { areaColor: zone ? palette[colour % palette.length] : "#d5d8dc", opacity: zone ? 0.75 : 1 },
        };
      });
      chart.setOption({
        animation: false,
        tooltip: {
          trigger: "item",
          formatter: function (p) {
            var d = p.data || {};
            var where = d.zone ? element.dataset.zone + " " + d.zone : element.dataset.unplaced;
            return (d.label || p.name) + " · " + where;
          },
        },
        series: [
          {
            type: "map",
            map: "jiandu-zones",
            roam: true,
            data: data,
            label: { show: data.length <= 40, fontSize: 10, formatter: function (p) { return (p.data && p.data.label) || p.name; } },
            itemStyle: { borderColor: "#ffffff", borderWidth: 0.8 },
            emphasis: { itemStyle: { areaColor: "#f3d9a4" } },
          },
        ],
      });
    })
    .catch(function () {
      element.textContent = element.dataset.error || "";
    });
})();
