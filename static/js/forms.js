/* Forms that speak up (a file, not inline: the Content Security Policy allows no inline script).

   1. After a refused form, the page's error summary (templates/includes/error_summary.html)
      takes the focus, so a screen reader reads it and a keyboard user starts from it rather
      than from the top of the page; each of its links moves the focus to its field and shows
      the field's label above it (the GOV.UK error summary). The same happens when htmx swaps
      in a part of the page with a summary (the agenda's forms).
   2. The language chooser changes the language as soon as one is chosen; its button is for
      browsers without this script, and is hidden once the script runs. */
(function () {
  "use strict";

  // --- 1. Error summary ---------------------------------------------------------------------
  function focusSummary(root) {
    var summary = root.matches && root.matches("[data-error-summary]")
      ? root
      : root.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.focus({ preventScroll: true });
    summary.scrollIntoView({ block: "start" });
  }

  function labelOf(field) {
    var fieldset = field.closest("fieldset");
    var legend = fieldset && fieldset.querySelector("legend");
    if (legend && (field.type === "checkbox" || field.type === "radio")) return legend;
    return (field.id && document.querySelector('label[for="' + field.id + '"]')) || field;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    labelOf(field).scrollIntoView();
    field.focus({ preventScroll: true });
  });

  focusSummary(document);
  // New content from htmx (its load event fires on each element it put in the page).
  document.addEventListener("htmx:load", function (event) {
    if (event.detail.elt !== document.body) focusSummary(event.detail.elt);
  });

  // --- 2. Language chooser ------------------------------------------------------------------
  document.querySelectorAll("[data-submit-on-change]").forEach(function (form) {
    var button = form.querySelector("button[type='submit']");
    if (button) button.classList.add("visually-hidden");
    form.addEventListener("change", function () {
      form.submit();
    });
  });
})();
