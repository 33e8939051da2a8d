// A region's map: its subdivisions' shapes from the page's scoped GeoJSON endpoint, drawn by ECharts
// (registerMap), with lines between the centres of adjacent regions. A click opens that region's map.
(function () {
  "use strict";
  var element = document.getElementById("geo-map");
  if (!element) {
    return;
  }
  var pairsSource = document.getElementById("geo-pairs");
  var pairs = pairsSource ? JSON.parse(pairsSource.textContent) : [];
  window.jdmap(element, "jiandu-region", function (chart, geojson) {
    var centres = {};
    var names = {};
    geojson.features.forEach(function (feature) {
      centres[feature.properties.code] = feature.properties.cp;
      names[feature.properties.name] = feature.properties.code;
    });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "item", formatter: function (p) { return p.name; } },
      geo: {
        map: "jiandu-region",
        roam: true,
        label: { show: geojson.features.length <= 40, fontSize: 11 },
        itemStyle: { areaColor: "#eef2f7", borderColor: "#1d4f91", borderWidth: 0.8 },
        emphasis: { itemStyle: { areaColor: "#f3d9a4" }, label: { show: true } },
      },
      series: [
        {
          type: "lines",
          coordinateSystem: "geo",
          silent: true,
          lineStyle: { color: "#8f1d1d", width: 1, opacity: 0.6 },
          data: pairs
            .filter(function (pair) {
              return centres[pair[0]] && centres[pair[1]];
            })
            .map(function (pair) {
              return { coords: [centres[pair[0]], centres[pair[1]]] };
            }),
        },
      ],
    });
    chart.on("click", function (params) {
      var code = names[params.name];
      if (code) {
        window.location.href = element.dataset.base + encodeURIComponent(code) + "/";
      }
    });
  });
})();
