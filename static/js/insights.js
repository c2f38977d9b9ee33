/* Insights: one chart per table (data via json_script); suppressed cells draw nothing. */
(function () {
  "use strict";
  var colours = ["#0b4f8a", "#2e8b57", "#e0a800", "#b03a2e", "#6f42c1", "#20838f", "#6c757d"];
  function draw() {
    var source = document.getElementById("insights-data");
    if (!source || !window.Chart) { return; }
    var data = JSON.parse(source.textContent);
    var number = new Intl.NumberFormat(document.documentElement.lang || "uk", { maximumFractionDigits: 0 });
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var chart = data[canvas.dataset.chart];
      if (!chart) { return; }
      var line = chart.kind === "line";
      new window.Chart(canvas, {
        type: line ? "line" : "bar",
        data: {
          labels: chart.labels,
          datasets: chart.series.map(function (series, i) {
            return { label: series.label, data: series.data, backgroundColor: colours[i % colours.length], borderColor: colours[i % colours.length] };
          })
        },
        options: {
          indexAxis: chart.kind === "funnel" ? "y" : "x",
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { display: chart.series.length > 1 } },
          // Counts are whole numbers: precision 0 keeps the axis from repeating
          // rounded ticks (4, 4, 5, 5) when the largest count is small.
          scales: chart.kind === "funnel"
            ? { x: { beginAtZero: true, ticks: { precision: 0 } } }
            : { y: { beginAtZero: true, ticks: { precision: 0, callback: function (value) { return number.format(value); } } } }
        }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
