/* xborder inventory: draws the forecast chart (history line, forecast line, 80/95 % bands as stacked areas) and the
   stock-by-warehouse bars (ECharts, canvas) from their data tables. Without ECharts the tables carry the same data. */
(function () {
  "use strict";

  function animated(el) {
    return el.dataset.animation !== "false" && !/[?&]animation=0\b/.test(window.location.search);
  }

  function num(value) {
    return value === undefined || value === "" ? null : Number(value);
  }

  function drawForecast(el) {
    if (!window.echarts || el.dataset.chartReady === "true") { return; }
    var table = document.getElementById(el.dataset.forecastTable);
    if (!table) { return; }
    var levels = (table.dataset.levels || "").split(",").filter(Boolean).map(Number).sort(function (a, b) { return b - a; });
    var labels = [], history = [], forecast = [], bands = {};
    levels.forEach(function (lv) { bands[lv] = { lo: [], width: [] }; });
    var rows = table.querySelectorAll("tbody tr");
    rows.forEach(function (row, i) {
      labels.push(row.dataset.ds);
      var y = num(row.dataset.y), f = num(row.dataset.f);
      history.push(y);
      // the forecast line starts at the last sold period so the two lines join
      var joins = f === null && i + 1 < rows.length && rows[i + 1].dataset.f !== undefined;
      forecast.push(f !== null ? f : (joins ? y : null));
      levels.forEach(function (lv) {
        var lo = num(row.dataset["lo" + lv]), hi = num(row.dataset["hi" + lv]);
        bands[lv].lo.push(lo);
        bands[lv].width.push(lo === null || hi === null ? null : hi - lo);
      });
    });
    if (!labels.length) { return; }
    var colours = { 95: "rgba(31, 95, 191, 0.12)", 80: "rgba(31, 95, 191, 0.25)" };
    var series = [];
    levels.forEach(function (lv) {
      var label = el.dataset["labelBand-" + lv] || el.getAttribute("data-label-band-" + lv) || (lv + " %");
      var colour = colours[lv] || "rgba(31, 95, 191, 0.18)";
      // a band is an invisible line at its lower bound with the band's width stacked on it as an area
      series.push({ name: "lo-" + lv, type: "line", stack: "band" + lv, data: bands[lv].lo, symbol: "none",
                    lineStyle: { opacity: 0 }, tooltip: { show: false }, silent: true });
      series.push({ name: label, type: "line", stack: "band" + lv, data: bands[lv].width, symbol: "none",
                    lineStyle: { opacity: 0 }, itemStyle: { color: colour }, areaStyle: { color: colour } });
    });
    series.push({ name: el.dataset.labelHistory || "", type: "line", data: history, symbol: "none",
                  lineStyle: { color: "#222", width: 1.5 }, itemStyle: { color: "#222" } });
    series.push({ name: el.dataset.labelForecast || "", type: "line", data: forecast, symbol: "circle", symbolSize: 4,
                  lineStyle: { color: "#1f5fbf", width: 2, type: "dashed" }, itemStyle: { color: "#1f5fbf" } });
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      animation: animated(el),
      grid: { left: 48, right: 24, top: 40, bottom: 48, containLabel: true },
      legend: { top: 0, data: series.filter(function (s) { return s.areaStyle || !s.stack; }).map(function (s) { return s.name; }) },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: labels, boundaryGap: false },
      yAxis: { type: "value", min: 0 },
      series: series
    });
    el.dataset.chartReady = "true";
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawStock(el) {
    if (!window.echarts || el.dataset.chartReady === "true") { return; }
    var table = document.getElementById(el.dataset.stockTable);
    if (!table) { return; }
    var heads = [], names = [], data = {};
    table.querySelectorAll("thead th").forEach(function (th, i) {
      if (th.dataset.series) { heads.push({ key: th.dataset.series, index: i, label: th.textContent.trim() }); data[th.dataset.series] = []; }
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      names.push(row.dataset.warehouse);
      var cells = row.children;
      heads.forEach(function (h) { data[h.key].push(Number(cells[h.index].dataset.value || 0)); });
    });
    if (!names.length) { return; }
    var colours = { available: "#1f7a4d", reserved: "#d08a00", in_transit: "#1f5fbf" };
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      animation: animated(el),
      grid: { left: 48, right: 16, top: 40, bottom: 40, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "category", data: names },
      yAxis: { type: "value", minInterval: 1 },
      series: heads.map(function (h) {
        return { name: h.label, type: "bar", stack: "units", data: data[h.key], barMaxWidth: 48,
                 itemStyle: { color: colours[h.key] } };
      })
    });
    el.dataset.chartReady = "true";
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-forecast-table]").forEach(drawForecast);
    (root || document).querySelectorAll("[data-stock-table]").forEach(drawStock);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function (evt) { drawAll(evt.target); });
})();
