/* Localization studio: stacked bar chart (findings by severity per market) drawn from its data table with
   ECharts when present; without ECharts the table alone carries the numbers. */
(function () {
  "use strict";
  var COLORS = { critical: "#b3261e", functional: "#c98a00", cosmetic: "#8796a8" };

  function drawStacked(el) {
    if (!window.echarts || el.dataset.chartReady === "true") { return; }
    var table = document.getElementById(el.dataset.stackedTable);
    if (!table) { return; }
    var heads = Array.prototype.slice.call(table.querySelectorAll("thead th[data-series]"));
    var columns = heads.map(function (th) { return th.cellIndex; });
    var labels = [], data = heads.map(function () { return []; });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      labels.push(row.cells[0].textContent.trim());
      columns.forEach(function (col, i) { data[i].push(Number(row.cells[col].dataset.value || 0)); });
    });
    if (!labels.length) { return; }
    var animate = el.dataset.animation !== "false" && !/[?&]animation=0\b/.test(window.location.search);
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      animation: animate,
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 40, bottom: 32, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "category", data: labels },
      yAxis: { type: "value", minInterval: 1 },
      series: heads.map(function (th, i) {
        return { type: "bar", stack: "findings", name: th.textContent.trim(), data: data[i], barMaxWidth: 48,
                 itemStyle: { color: COLORS[th.dataset.series] || "#1f5fbf" } };
      })
    });
    el.dataset.chartReady = "true";
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAll(root) { (root || document).querySelectorAll("[data-stacked-table]").forEach(drawStacked); }
  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function (evt) { drawAll(evt.target); });
})();
