// Night-walk logging: show the − / + buttons beside number inputs and make them step the value.
(function () {
  "use strict";
  document.querySelectorAll("[data-stepper]").forEach(function (group) {
    var input = group.querySelector("input");
    group.querySelectorAll("button.stepper").forEach(function (button) {
      button.classList.remove("d-none");
      button.addEventListener("click", function () {
        var current = parseInt(input.value, 10);
        var next = (isNaN(current) ? 0 : current) + parseInt(button.dataset.step, 10);
        input.value = Math.max(0, next);
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
  });
})();
