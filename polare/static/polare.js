// Tables on every page: a table that scrolls sideways can be reached and scrolled with the
// keyboard (tabindex, a name), and below 576 px each row becomes a card whose cells
// carry their column's name (data-label), as the templates that set them by hand do. A row
// whose only control is one link leads there as a whole (row-link), as a template's does.
(function () {
  "use strict";
  function nameOf(wrapper) {
    var caption = wrapper.querySelector("caption");
    if (caption && caption.textContent.trim()) { return caption.textContent.trim(); }
    var section = wrapper.closest("section, article");
    var heading = section && section.querySelector("h1, h2, h3, h4");
    return heading ? heading.textContent.trim() : document.title;
  }
  function columnNames(table) {
    var rows = table.tHead ? table.tHead.rows : [];
    if (!rows.length) { return null; }
    var names = [];
    Array.prototype.forEach.call(rows[rows.length - 1].cells, function (cell) {
      for (var i = 0; i < (cell.colSpan || 1); i += 1) { names.push(cell.textContent.trim()); }
    });
    return names;
  }
  function label(table) {
    var names = columnNames(table);
    if (!names) { return; }
    table.classList.add("table-stack");
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr, tfoot tr"), function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        if (!cell.hasAttribute("data-label") && names[column] && cell.colSpan === 1) {
          cell.setAttribute("data-label", names[column]);
        }
        column += cell.colSpan || 1;
      });
      var links = row.querySelectorAll("a[href]");
      if (links.length === 1 && !row.classList.contains("row-link")
          && !row.querySelector("button, input, select, textarea, .row-link-target")) {
        row.classList.add("row-link");
        links[0].classList.add("row-link-target");
      }
    });
  }
  document.querySelectorAll(".table-responsive").forEach(function (wrapper) {
    if (!wrapper.hasAttribute("tabindex")) {
      wrapper.setAttribute("tabindex", "0");
      wrapper.setAttribute("role", "group");  // not a landmark: the section around it is one
      wrapper.setAttribute("aria-label", nameOf(wrapper));
    }
  });
  document.querySelectorAll("main table.table").forEach(label);
})();

// A page whose figures are still being rebuilt (data-reload-seconds) reloads itself after that
// many seconds to go on with the rebuild, unless the user has begun changing a form on it:
// then only its "reload now" link does, and nothing they chose is lost.
(function () {
  "use strict";
  var notice = document.querySelector("[data-reload-seconds]");
  if (!notice) { return; }
  var timer = window.setTimeout(function () { window.location.reload(); },
    1000 * Number(notice.getAttribute("data-reload-seconds")));
  function stop() { window.clearTimeout(timer); }
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("input", stop);
    form.addEventListener("change", stop);
  });
})();
