// Report filter: show only the inputs of the chosen period (all are shown without JavaScript).
(function () {
  "use strict";
  var select = document.querySelector("[data-period-select]");
  if (!select) {
    return;
  }
  function update() {
    document.querySelectorAll("[data-period]").forEach(function (block) {
      block.classList.toggle("d-none", block.getAttribute("data-period") !== select.value);
    });
  }
  select.addEventListener("change", update);
  update();
})();
