// The shared start of Jiandu's maps: an ECharts chart on `element`, resized with the window, drawn from the
// scoped GeoJSON at element.dataset.shapes once registered under `mapName`. `draw(chart, geojson)` sets the
// options; a failed load shows element.dataset.error. Returns the chart (null without ECharts).
(function () {
  "use strict";
  window.jdmap = function (element, mapName, draw) {
    if (!element || typeof echarts === "undefined") {
      return null;
    }
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
        echarts.registerMap(mapName, geojson);
        draw(chart, geojson);
      })
      .catch(function () {
        element.textContent = element.dataset.error || "";
      });
    return chart;
  };
})();
