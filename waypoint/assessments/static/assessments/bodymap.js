// Body map: tapping an area on the picture ticks its checkbox; ticking shows it on the
// picture. The checkboxes are the real, keyboard-usable control; this only mirrors them.
(function () {
  "use strict";
  function boxFor(form, code) {
    return form.querySelector('input[name="regions"][value="' + CSS.escape(code) + '"]');
  }
  function paint(form, code, on) {
    form.querySelectorAll('[data-region="' + CSS.escape(code) + '"]').forEach(function (shape) {
      shape.classList.toggle("on", on);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.bodymap").forEach(function (form) {
      form.addEventListener("click", function (event) {
        var shape = event.target.closest("[data-region]");
        if (!shape) { return; }
        var box = boxFor(form, shape.getAttribute("data-region"));
        if (box) { box.checked = !box.checked; box.dispatchEvent(new Event("change", { bubbles: true })); }
      });
      form.addEventListener("change", function (event) {
        var box = event.target;
        if (box.name === "regions") { paint(form, box.value, box.checked); }
      });
    });
  });
})();
