"use strict";
// Sorting the index: each header a button; a cell's data-sort (numbers) or its text.
document.querySelectorAll("table.sortable").forEach(function (table) {
  var heads = table.querySelectorAll("thead th");
  heads.forEach(function (th, col) {
    var button = th.querySelector("button");
    if (!button) return;
    button.addEventListener("click", function () {
      var asc = th.getAttribute("aria-sort") !== "ascending";
      heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      function key(row) {
        var cell = row.cells[col];
        var n = cell.getAttribute("data-sort");
        return n !== null ? parseFloat(n) : cell.textContent.trim().toLowerCase();
      }
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        var c = typeof x === "number" ? x - y : x.localeCompare(y);
        return asc ? c : -c;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
// Choosing a concept highlights exactly its mentions.
document.querySelectorAll("button[data-concept]").forEach(function (button) {
  button.addEventListener("click", function () {
    var id = button.getAttribute("data-concept");
    var on = button.getAttribute("aria-pressed") !== "true";
    document.querySelectorAll("button[data-concept]").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
    document.querySelectorAll(".m.lit").forEach(function (m) { m.classList.remove("lit"); });
    if (!on) return;
    button.setAttribute("aria-pressed", "true");
    document.querySelectorAll(".m").forEach(function (m) {
      if ((m.getAttribute("data-c") || "").split(" ").indexOf(id) >= 0) m.classList.add("lit");
    });
  });
});
