// The organization form without page reloads: sector counts and chips follow the
// ticks, and a filter box narrows the technology tags. The form works without it.
(function () {
  "use strict";

  function setUpSectors(picker) {
    function refresh() {
      var anyTicked = false;
      picker.querySelectorAll("[data-sector-section]").forEach(function (section) {
        var ticked = section.querySelectorAll("input[type=checkbox]:checked").length;
        var badge = section.querySelector("[data-sector-count]");
        badge.querySelector("[data-count-number]").textContent = String(ticked);
        badge.hidden = ticked === 0;
        anyTicked = anyTicked || ticked > 0;
      });
      picker.querySelectorAll("[data-chip-for]").forEach(function (chip) {
        var box = document.getElementById(chip.getAttribute("data-chip-for"));
        chip.hidden = !(box && box.checked);
      });
      picker.querySelector("[data-chip-none]").hidden = anyTicked;
    }
    picker.addEventListener("change", refresh);
    refresh();
  }

  function setUpTagFilter(box) {
    var fieldset = box.closest("fieldset");
    var input = box.querySelector("[data-tag-filter]");
    var items = fieldset.querySelectorAll("[data-tag-item]");
    var status = fieldset.querySelector("[data-tag-none]");

    function normalise(text) {
      return text.toLocaleLowerCase().replace(/\s+/g, " ").trim();
    }

    function apply() {
      var wanted = normalise(input.value);
      var shown = 0;
      items.forEach(function (item) {
        var match = !wanted || normalise(item.textContent).indexOf(wanted) !== -1;
        item.hidden = !match;
        if (match) shown += 1;
      });
      status.textContent = shown === 0 ? status.getAttribute("data-message") : "";
    }

    input.addEventListener("input", apply);
    input.addEventListener("keydown", function (event) {
      // Enter in the filter must not submit the whole profile.
      if (event.key === "Enter") event.preventDefault();
      if (event.key === "Escape" && input.value) {
        input.value = "";
        apply();
      }
    });
    box.hidden = false;
    apply();
  }

  function start() {
    document.querySelectorAll("[data-sector-picker]").forEach(setUpSectors);
    document.querySelectorAll("[data-tag-filter-box]").forEach(setUpTagFilter);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
