// The staffing chart: establishment against headcount per kind of body, from the page's JSON data.
(function () {
  "use strict";
  var element = document.getElementById("staffing-chart");
  var source = document.getElementById("staffing-chart-data");
  if (!element || !source || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  // Top row first, as in the table.
  var labels = data.labels.slice().reverse();
  var establishment = data.establishment.slice().reverse();
  var headcount = data.headcount.slice().reverse();
  element.style.height = Math.max(240, 70 + labels.length * 46) + "px";
  var chart = echarts.init(element, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    color: ["#b9c2cf", "#8f1d1d"],
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0, data: [data.series.establishment, data.series.headcount] },
    grid: { left: 8, right: 40, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1, splitLine: { lineStyle: { color: "#eceff3" } } },
    yAxis: {
      type: "category",
      data: labels,
      axisTick: { show: false },
      axisLabel: { width: 180, overflow: "break", color: "#374151" },
    },
    series: [
      {
        name: data.series.establishment,
        type: "bar",
        data: establishment,
        barGap: "10%",
        label: { show: true, position: "right", color: "#4b5563" },
      },
      {
        name: data.series.headcount,
        type: "bar",
        data: headcount,
        label: { show: true, position: "right", color: "#4b5563" },
      },
    ],
  });
  window.addEventListener("resize", function () {
    chart.resize();
  });
})();
