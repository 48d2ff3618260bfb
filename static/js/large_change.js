// While a figure is typed on "My reporting", show the server-rendered warning when it is far
// from the previous period's (more than data-factor times, or under its inverse). The server
// gives the same warning after saving and refuses the submission without an explanation; this
// only says it sooner. Text that does not read as a plain number hides nothing and shows nothing.
(function () {
  "use strict";

  function read(text, decimal) {
    var plain = text.trim().replace(/[\s\u00a0\u202f\u2009]/g, "");
    plain = decimal === "," ? plain.replace(/\./g, "").replace(",", ".") : plain.replace(/,/g, "");
    return /^\d+(\.\d+)?$/.test(plain) ? parseFloat(plain) : null;
  }

  function check(input) {
    var box = document.getElementById(input.dataset.changeWarning);
    if (!box) {
      return;
    }
    var previous = parseFloat(input.dataset.previous);
    var factor = parseFloat(input.dataset.factor);
    var value = read(input.value, input.dataset.decimal || ".");
    if (value === null || !(previous > 0)) {
      return;
    }
    var large = value > previous * factor || value < previous / factor;
    var typed = box.querySelector("[data-typed]");
    if (typed) {
      typed.textContent = input.value.trim();
    }
    box.hidden = !large;
  }

  document.querySelectorAll("input[data-change-warning]").forEach(function (input) {
    input.addEventListener("input", function () {
      check(input);
    });
  });
})();
