/* Portfolio dashboard: bar charts of sought vs secured vs interest (data via json_script). */
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("dashboard-data");
    if (!source || !window.Chart) { return; }
    var data = JSON.parse(source.textContent);
    var colours = { sought: "#0b4f8a", secured: "#2e8b57", interest: "#e0a800" };
    var number = new Intl.NumberFormat(document.documentElement.lang || "uk", { maximumFractionDigits: 0 });
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var rows = data[canvas.dataset.chart];
      if (!rows) { return; }
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: rows.labels,
          datasets: ["sought", "secured", "interest"].map(function (key) {
            return { label: data.series[key], data: rows[key], backgroundColor: colours[key] };
          })
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          scales: { y: { ticks: { callback: function (value) { return number.format(value); } } } },
          plugins: { tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + number.format(ctx.parsed.y); } } } }
        }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
