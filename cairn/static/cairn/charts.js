// The insights' charts (see cairn/insights/figures.py): each <table data-chart="bar|line">
// gets a <canvas> drawn from the table's own cells, so the accessible table stays the
// one source of the figures. The canvas is aria-hidden: screen readers read the table.
// Row labels are the <th> of each body row; each header cell marked data-series is a
// series, its values the body cells' data-value (empty: suppressed or none, a gap).
(function () {
  "use strict";
  var COLOURS = ["#1f6f8b", "#c05621", "#2f855a", "#6b46c1", "#b83280", "#4a5568"];

  function series(table) {
    var heads = table.querySelectorAll("thead th");
    var found = [];
    for (var i = 0; i < heads.length; i++) {
      if (heads[i].hasAttribute("data-series")) found.push({ index: i, label: heads[i].textContent.trim() });
    }
    return found;
  }

  function draw(table) {
    if (typeof window.Chart !== "function" || table.dataset.chartDrawn) return;
    var rows = table.querySelectorAll("tbody tr");
    if (!rows.length) return;
    var columns = series(table);
    if (!columns.length) return;
    var labels = [];
    var datasets = columns.map(function (column, n) {
      var colour = COLOURS[n % COLOURS.length];
      return { label: column.label, data: [], backgroundColor: colour, borderColor: colour, spanGaps: false };
    });
    for (var r = 0; r < rows.length; r++) {
      var cells = rows[r].children;
      labels.push(cells[0] ? cells[0].textContent.trim() : "");
      columns.forEach(function (column, n) {
        var cell = cells[column.index];
        var raw = cell ? cell.getAttribute("data-value") : null;
        datasets[n].data.push(raw === null || raw === "" ? null : Number(raw));
      });
    }
    var box = document.createElement("div");
    box.className = "chart";
    box.setAttribute("aria-hidden", "true");
    var canvas = document.createElement("canvas");
    box.appendChild(canvas);
    table.parentNode.insertBefore(box, table);
    table.dataset.chartDrawn = "yes";
    new window.Chart(canvas, {
      type: table.dataset.chart === "line" ? "line" : "bar",
      data: { labels: labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: datasets.length > 1 } },
      },
    });
  }

  function drawAll(root) {
    var tables = (root || document).querySelectorAll("table[data-chart]");
    for (var i = 0; i < tables.length; i++) draw(tables[i]);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  // A table htmx swaps in gets its chart too.
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); });
})();
