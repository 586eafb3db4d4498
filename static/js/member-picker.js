/* The network form's member picker: a search box and a region filter over the municipalities'
   checkboxes, with a live count "N shown, M chosen". A file, not inline script (the Content
   Security Policy allows none). Without the script the filters stay hidden and every checkbox
   shows; a chosen municipality that a filter hides stays chosen and is saved.

   The markup: networks/_member_picker.html (data-member-picker names the checkboxes' field,
   data-network-region the network's own region select, whose choice the region filter follows);
   each checkbox carries data-region (networks/forms.py MunicipalityCheckboxes). */
(function () {
  "use strict";

  function normal(text) {
    return text.toLocaleLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function setUp(picker) {
    var form = picker.closest("form");
    if (!form) return;
    var boxes = Array.prototype.slice.call(
      form.querySelectorAll('input[type="checkbox"][name="' + picker.dataset.memberPicker + '"]')
    );
    if (!boxes.length) return;
    var search = picker.querySelector("[data-picker-search]");
    var region = picker.querySelector("[data-picker-region]");
    var count = picker.querySelector("[data-picker-count]");
    var items = boxes.map(function (box) {
      var label = form.querySelector('label[for="' + box.id + '"]');
      return {
        box: box,
        row: box.closest(".form-check") || box.parentNode,
        text: normal(label ? label.textContent : box.value),
      };
    });

    function apply() {
      var words = normal(search.value).split(/\s+/).filter(Boolean);
      var wanted = region.value;
      var shown = 0;
      items.forEach(function (item) {
        var visible =
          (!wanted || item.box.dataset.region === wanted) &&
          words.every(function (word) {
            return item.text.indexOf(word) !== -1;
          });
        item.row.hidden = !visible;
        if (visible) shown += 1;
      });
      // A region's heading shows while one of its municipalities does.
      var container = items[0].row.parentNode;
      var heading = null;
      var headingHasShown = false;
      Array.prototype.forEach.call(container.children, function (child) {
        if (child.tagName === "STRONG") {
          if (heading) heading.hidden = !headingHasShown;
          heading = child;
          headingHasShown = false;
        } else if (!child.hidden && child.classList.contains("form-check")) {
          headingHasShown = true;
        }
      });
      if (heading) heading.hidden = !headingHasShown;
      var chosen = items.filter(function (item) {
        return item.box.checked;
      }).length;
      count.textContent = count.dataset.template
        .replace("{shown}", String(shown))
        .replace("{chosen}", String(chosen));
    }

    search.addEventListener("input", apply);
    // Enter in the search box filters; it does not send the form.
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
    region.addEventListener("change", apply);
    form.addEventListener("change", function (event) {
      if (event.target.name === picker.dataset.memberPicker) apply();
    });
    var networkRegion = form.querySelector('[name="' + picker.dataset.networkRegion + '"]');
    if (networkRegion) {
      networkRegion.addEventListener("change", function () {
        var known = Array.prototype.some.call(region.options, function (option) {
          return option.value === networkRegion.value;
        });
        region.value = known ? networkRegion.value : "";
        apply();
      });
    }
    picker.hidden = false;
    apply();
  }

  function start() {
    document.querySelectorAll("[data-member-picker]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
