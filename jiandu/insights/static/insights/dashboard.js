// The dashboard's charts: one ECharts chart per tile, from the page's JSON data. Every bar, slice and
// point opens the list behind it, as the figures in the table beneath each chart do.
(function () {
  "use strict";
  var source = document.getElementById("insights-charts");
  if (!source || typeof echarts === "undefined") {
    return;
  }
  var palette = ["#8f1d1d", "#1d4f91", "#c27c0e", "#2f7d4f", "#6b4c9a", "#b9c2cf", "#9c3d54", "#3f8f9f"];
  var charts = [];

  function options(data) {
    var base = { animation: false, color: palette, tooltip: {} };
    if (data.kind === "pie") {
      base.tooltip = { trigger: "item", formatter: "{b}: {c} ({d}%)" };
      base.legend = { type: "scroll", bottom: 0 };
      base.series = [
        {
          type: "pie",
          radius: ["35%", "65%"],
          center: ["50%", "45%"],
          label: { formatter: "{b}\n{c}" },
          data: data.labels.map(function (label, i) {
            return { name: label, value: data.values[i] };
          }),
        },
      ];
      return base;
    }
    base.tooltip = { trigger: "axis", axisPointer: { type: data.kind === "line" ? "line" : "shadow" } };
    base.grid = { left: 8, right: 24, top: 16, bottom: 8, containLabel: true };
    base.xAxis = {
      type: "category",
      data: data.labels,
      axisLabel: { interval: data.kind === "line" ? "auto" : 0, rotate: data.labels.length > 6 ? 35 : 0 },
    };
    base.yAxis = { type: "value", minInterval: 1, splitLine: { lineStyle: { color: "#eceff3" } } };
    base.series = [
      {
        type: data.kind,
        data: data.values,
        name: data.title,
        label: { show: data.kind === "bar" && data.values.length <= 12, position: "top" },
        symbolSize: 6,
      },
    ];
    return base;
  }

  JSON.parse(source.textContent).forEach(function (data) {
    var element = document.getElementById("chart-" + data.id);
    if (!element) {
      return;
    }
    element.style.height = "280px";
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(options(data));
    chart.on("click", function (params) {
      var url = data.urls[params.dataIndex];
      if (url) {
        window.location.href = url;
      }
    });
    element.dataset.rendered = "1";
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) {
      chart.resize();
    });
  });
})();
