/* The portal's own script, a file rather than inline (the Content Security Policy allows no
   inline script).

   A box that scrolls (a wide table on a phone, a long text compared in a conflict) must be
   reachable by keyboard, or someone without a mouse cannot scroll it (WCAG 2.1.1). While a box
   overflows it is a tab stop, named by its table's caption where it has one; once it fits
   again it is not. Boxes are looked at again when the window changes size and when htmx or
   anything else changes the page. */
(function () {
  "use strict";

  var SCROLLERS = ".table-responsive, .conflict-text";
  var MARK = "data-scroll-stop";
  var captions = 0;

  function overflows(box) {
    return box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
  }

  function mark(box) {
    if (overflows(box)) {
      if (box.hasAttribute(MARK)) return;
      box.setAttribute(MARK, "");
      box.setAttribute("tabindex", "0");
      var caption = box.querySelector("caption");
      if (caption && !box.hasAttribute("aria-labelledby")) {
        if (!caption.id) caption.id = "scroll-caption-" + (captions += 1);
        box.setAttribute("role", "region");
        box.setAttribute("aria-labelledby", caption.id);
      }
    } else if (box.hasAttribute(MARK)) {
      ["tabindex", "role", "aria-labelledby", MARK].forEach(function (name) {
        box.removeAttribute(name);
      });
    }
  }

  function markAll() {
    document.querySelectorAll(SCROLLERS).forEach(mark);
  }

  var pending = false;
  function markSoon() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      markAll();
    });
  }

  markAll();
  window.addEventListener("load", markAll);
  window.addEventListener("resize", markSoon);
  // New content (an htmx swap): marked at once, before anyone can tab into it.
  new MutationObserver(markAll).observe(document.body, { childList: true, subtree: true });
})();
