/* xborder console behaviour: draws ECharts charts from their data tables when ECharts is present.
   Without ECharts (vendor files not fetched) nothing happens and the data table stays visible. */
(function () {
  "use strict";

  function drawChart(el) {
    if (!window.echarts || el.dataset.chartReady === "true") { return; }
    var table = document.getElementById(el.dataset.chartTable);
    if (!table) { return; }
    var labels = [], values = [];
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var cells = row.querySelectorAll("th, td");
      if (cells.length < 2) { return; }
      labels.push(cells[0].textContent.trim());
      values.push(Number(cells[cells.length - 1].dataset.value));
    });
    if (!labels.length) { return; }
    var animate = el.dataset.animation !== "false" && !/[?&]animation=0\b/.test(window.location.search);
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      animation: animate,
      grid: { left: 48, right: 16, top: 24, bottom: 64, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: labels, axisLabel: { interval: 0, rotate: labels.length > 8 ? 35 : 0 } },
      yAxis: { type: "value", minInterval: 1, name: el.dataset.chartAxis || "" },
      series: [{ type: "bar", data: values, name: el.dataset.chartSeries || "", itemStyle: { color: "#1f5fbf" },
                 barMaxWidth: 36 }]
    });
    el.dataset.chartReady = "true";
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-chart-table]").forEach(drawChart);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function (evt) { drawAll(evt.target); });
})();
