/* xborder pricing: draws the heat maps (ECharts, canvas) from their data tables: the price matrix (data-share =
   landed cost as % of the net price, more is worse) and the duty data coverage (data-scale="coverage": % of
   headings covered, more is better). Cells without figures stay empty. Without ECharts nothing happens and the
   table carries the same information. */
(function () {
  "use strict";

  function drawHeatmap(el) {
    if (!window.echarts || el.dataset.chartReady === "true") { return; }
    var table = document.getElementById(el.dataset.heatmapTable);
    if (!table) { return; }
    var coverage = el.dataset.scale === "coverage";
    var markets = [], skus = [], points = [], max = 0;
    table.querySelectorAll("thead th[data-market], thead th[data-col]").forEach(function (th) {
      markets.push(th.dataset.market || th.dataset.col);
    });
    table.querySelectorAll("tbody tr").forEach(function (row, y) {
      skus.push(row.querySelector("th").textContent.trim());
      row.querySelectorAll("td[data-market], td[data-col]").forEach(function (td, x) {
        if (td.dataset.share === "") { return; }
        var value = Number(td.dataset.share);
        max = Math.max(max, value);
        points.push([x, y, value]);
      });
    });
    if (!skus.length) { return; }
    el.style.height = Math.max(220, 60 + skus.length * 28) + "px";
    var animate = el.dataset.animation !== "false" && !/[?&]animation=0\b/.test(window.location.search);
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      animation: animate,
      tooltip: { formatter: function (p) { return skus[p.value[1]] + " · " + markets[p.value[0]] + ": " + p.value[2] + " %"; } },
      grid: { left: 8, right: 16, top: 16, bottom: 64, containLabel: true },
      xAxis: { type: "category", data: markets, splitArea: { show: true } },
      yAxis: { type: "category", data: skus, inverse: true, splitArea: { show: true } },
      visualMap: { min: 0, max: coverage ? 100 : Math.max(50, Math.ceil(max)), calculable: true, orient: "horizontal",
                   left: "center", bottom: 8,
                   inRange: { color: coverage ? ["#b3261e", "#e0663a", "#f7d774", "#2e7d4f"]
                                              : ["#e8f3ec", "#f7d774", "#e0663a", "#b3261e"] } },
      series: [{ type: "heatmap", name: el.dataset.series || "", data: points,
                 label: { show: skus.length <= 40, formatter: function (p) { return p.value[2]; } } }]
    });
    el.dataset.chartReady = "true";
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-heatmap-table]").forEach(drawHeatmap);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function (evt) { drawAll(evt.target); });
})();
