// Attendance list: save a tap without reloading the page (the plain form POST works without it).
(function () {
  "use strict";

  var list = document.querySelector(".attendance");
  if (!list || !window.fetch || !window.FormData) {
    return;
  }

  function showStatus(row, status) {
    row.querySelectorAll("button[name=status]").forEach(function (button) {
      var on = button.value === status;
      var colour = button.value === "attended" ? "success" : "danger";
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.classList.toggle("btn-" + colour, on);
      button.classList.toggle("btn-outline-" + colour, !on);
    });
    var label = row.querySelector(".js-status");
    if (label) {
      label.textContent = list.dataset["label" + status.charAt(0).toUpperCase() + status.slice(1)];
    }
  }

  function showCounts(counts) {
    document.querySelectorAll("[data-count]").forEach(function (element) {
      var value = counts[element.dataset.count];
      if (value !== undefined) {
        element.textContent = value;
      }
    });
  }

  list.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    if (!form.classList.contains("js-mark") || !button) {
      return;
    }
    event.preventDefault();
    var row = form.closest("li");
    var error = row.querySelector(".js-error");
    var data = new FormData(form);
    data.set("status", button.value);
    form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    error.textContent = "";
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok || !body.status) {
          var failure = new Error("not saved");
          failure.userMessage = body.error || list.dataset.error;
          throw failure;
        }
        showStatus(row, body.status);
        showCounts(body);
      });
    }).catch(function (problem) {
      error.textContent = (problem && problem.userMessage) || list.dataset.error;
    }).then(function () {
      form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
    });
  });
})();
