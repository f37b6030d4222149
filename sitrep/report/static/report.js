// Filters and sorting for the events table. The page is complete without this script.
(function () {
  "use strict";
  document.documentElement.setAttribute("data-js", "ready");
  var table = document.getElementById("events-table");
  var form = document.getElementById("filters");
  if (!table || !form) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var type = document.getElementById("filter-type");
  var place = document.getElementById("filter-place");
  var from = document.getElementById("filter-from");
  var to = document.getElementById("filter-to");
  var count = document.getElementById("filter-count");
  form.hidden = false;
  form.addEventListener("submit", function (e) { e.preventDefault(); });

  function applyFilters() {
    var t = type.value, p = place.value.trim().toLowerCase(), f = from.value, u = to.value, shown = 0;
    rows.forEach(function (row) {
      var d = row.getAttribute("data-date") || "";
      var ok = (!t || row.getAttribute("data-type") === t) &&
               (!p || (row.getAttribute("data-place") || "").toLowerCase().indexOf(p) !== -1) &&
               (!f || (d && d >= f)) && (!u || (d && d <= u));
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " events";
  }
  [type, place, from, to].forEach(function (el) { el.addEventListener("input", applyFilters); });
  applyFilters();

  function sortValue(row, index) {
    var cell = row.cells[index];
    var v = cell.getAttribute("data-sort");
    return v === null ? cell.textContent.trim() : v;
  }
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  headers.forEach(function (th, index) {
    if (!th.hasAttribute("data-sort-key")) { return; }
    th.tabIndex = 0;
    function sort() {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = sortValue(a, index), y = sortValue(b, index);
        var nx = parseFloat(x), ny = parseFloat(y);
        var c = (!isNaN(nx) && !isNaN(ny) && String(nx) === x && String(ny) === y)
          ? nx - ny : x.localeCompare(y);
        return ascending ? c : -c;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
  });
}());
