/* A Markdown textarea's toolbar and preview (core/_markdown_tools.html), a file rather than
   inline: the Content Security Policy allows no inline script.

   Without this script the toolbar stays hidden and the textarea works alone. With it, each
   button puts Markdown around the selection (or the lines it touches) and fires "input", so
   js/keep-text.js keeps its copy of the text; Ctrl+B and Ctrl+I in the textarea do the same as
   their buttons. The toolbar is one tab stop: the arrow keys, Home and End move between its
   buttons (the WAI-ARIA toolbar pattern). "Preview" asks the server for the rendered text
   (htmx, the event "md-preview") and shows it in place of the textarea; pressed again, it
   brings the textarea back. */
(function () {
  "use strict";

  // The text of the selected lines, whole: from the start of the first to the end of the last.
  function lineRange(area) {
    var value = area.value;
    var start = value.lastIndexOf("\n", area.selectionStart - 1) + 1;
    var end = value.indexOf("\n", area.selectionEnd);
    if (end === -1) end = value.length;
    return { start: start, end: end };
  }

  // Replace [start, end) with text and select [selStart, selEnd) of it; undoable where the
  // browser allows (execCommand keeps the undo history; setRangeText is the fallback).
  function put(area, start, end, text, selStart, selEnd) {
    area.focus();
    area.setSelectionRange(start, end);
    var done = false;
    try {
      done = document.execCommand("insertText", false, text);
    } catch (error) {
      done = false;
    }
    if (!done || area.value.slice(start, start + text.length) !== text) {
      area.setRangeText(text, start, end, "end");
      area.dispatchEvent(new Event("input", { bubbles: true }));
    }
    area.setSelectionRange(start + selStart, start + selEnd);
  }

  // Markers go around the selection without its spaces at either end: "** word**" is no bold.
  function wrap(area, before, after) {
    var start = area.selectionStart;
    var end = area.selectionEnd;
    var value = area.value;
    while (start < end && /\s/.test(value.charAt(start))) start += 1;
    while (end > start && /\s/.test(value.charAt(end - 1))) end -= 1;
    var selected = value.slice(start, end);
    put(area, start, end, before + selected + after, before.length, before.length + selected.length);
  }

  function prefixLines(area, prefix) {
    var range = lineRange(area);
    var lines = area.value.slice(range.start, range.end).split("\n");
    var text = lines
      .map(function (line, index) {
        return (typeof prefix === "function" ? prefix(index) : prefix) + line;
      })
      .join("\n");
    put(area, range.start, range.end, text, 0, text.length);
  }

  var ACTIONS = {
    heading: function (area) {
      prefixLines(area, "## ");
    },
    bold: function (area) {
      wrap(area, "**", "**");
    },
    italic: function (area) {
      wrap(area, "*", "*");
    },
    bullets: function (area) {
      prefixLines(area, "- ");
    },
    numbers: function (area) {
      prefixLines(area, function (index) {
        return index + 1 + ". ";
      });
    },
    link: function (area) {
      // [selection](https://) with the address selected, ready to be typed over.
      var start = area.selectionStart;
      var end = area.selectionEnd;
      var label = area.value.slice(start, end);
      var text = "[" + label + "](https://)";
      var at = label.length + 3;
      put(area, start, end, text, at, at + "https://".length);
    },
  };

  function setUp(tools) {
    var area = document.getElementById(tools.getAttribute("data-md-target"));
    if (!area) return;
    var toolbar = tools.querySelector("[role=toolbar]");
    var buttons = Array.prototype.slice.call(toolbar.querySelectorAll("button"));
    var preview = tools.querySelector("[data-md-preview]");
    var box = document.getElementById(area.id + "-preview");
    // Between the field's label and its textarea, where it reads as part of the field.
    area.parentNode.insertBefore(tools, area);
    tools.hidden = false;

    // One tab stop: the last button used keeps it.
    function rove(to) {
      buttons.forEach(function (button) {
        button.tabIndex = button === to ? 0 : -1;
      });
      to.focus();
    }
    buttons.forEach(function (button, index) {
      button.tabIndex = index === 0 ? 0 : -1;
    });
    toolbar.addEventListener("keydown", function (event) {
      var at = buttons.indexOf(document.activeElement);
      if (at === -1) return;
      var to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: buttons.length - 1 }[
        event.key
      ];
      if (to === undefined) return;
      event.preventDefault();
      rove(buttons[(to + buttons.length) % buttons.length]);
    });

    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-md]");
      if (!button || button.disabled) return;
      buttons.forEach(function (b) {
        b.tabIndex = b === button ? 0 : -1;
      });
      ACTIONS[button.getAttribute("data-md")](area);
    });
    area.addEventListener("keydown", function (event) {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      var key = event.key.toLowerCase();
      if (key === "b" || key === "i") {
        event.preventDefault();
        ACTIONS[key === "b" ? "bold" : "italic"](area);
      }
    });

    if (!preview || !box) return;
    preview.addEventListener("click", function () {
      var showing = preview.getAttribute("aria-pressed") === "true";
      preview.setAttribute("aria-pressed", showing ? "false" : "true");
      area.hidden = !showing;
      box.hidden = showing;
      buttons.forEach(function (button) {
        if (button !== preview) button.disabled = !showing;
      });
      if (showing) {
        area.focus();
      } else {
        box.textContent = box.getAttribute("data-loading") || "…";
        preview.dispatchEvent(new Event("md-preview"));
      }
    });
  }

  document.querySelectorAll("[data-md-tools]").forEach(setUp);
})();
