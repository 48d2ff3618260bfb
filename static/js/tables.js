/* Every table of the page scrolls inside its own box, never the page (a 390 px phone shows
   the page without sideways scrolling). Templates wrap their tables in
   <div class="table-responsive" tabindex="0" role="region" aria-label="…">; this wraps any
   table still outside one, naming the box after the table's caption (or the nearest heading),
   and makes a box keyboard-focusable while it actually scrolls, so arrow keys move it. */
(function () {
  "use strict";
  function nearestHeading(element) {
    for (var node = element; node && node !== document.body; node = node.parentElement) {
      for (var prev = node.previousElementSibling; prev; prev = prev.previousElementSibling) {
        if (/^H[1-6]$/.test(prev.tagName)) { return prev.textContent.trim(); }
        var inner = prev.querySelector && prev.querySelector("h1, h2, h3, h4, h5, h6");
        if (inner) { return inner.textContent.trim(); }
      }
    }
    return document.title;
  }
  var boxes = [];
  document.querySelectorAll("main table").forEach(function (table) {
    var box = table.closest(".table-responsive");
    if (!box) {
      box = document.createElement("div");
      box.className = "table-responsive";
      box.dataset.wrapped = "true";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    }
    if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
      var caption = table.querySelector("caption");
      box.setAttribute("aria-label", caption ? caption.textContent.trim() : nearestHeading(box));
    }
    if (!box.hasAttribute("role")) { box.setAttribute("role", "region"); }
    boxes.push(box);
  });
  function focusWhenScrolling() {
    boxes.forEach(function (box) {
      if (box.dataset.wrapped !== "true") { return; }  // the template decided
      if (box.scrollWidth > box.clientWidth + 1) { box.tabIndex = 0; }
      else { box.removeAttribute("tabindex"); }
    });
  }
  focusWhenScrolling();
  window.addEventListener("resize", focusWhenScrolling);
})();
