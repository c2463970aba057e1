// Listing pages (category, search): small enhancements over pages that work without it.
// - The sort menu applies as soon as it changes; its Sort button is for browsers
//   without this file.
// - On wide screens the filters are always shown. The stylesheet does that with
//   ::details-content; where a browser lacks it, the disclosure is opened here.
(function () {
  "use strict";

  var form = document.querySelector(".sort-form");
  if (form) {
    var select = form.querySelector("select");
    var submit = form.querySelector(".sort-form__submit");
    if (select && submit && form.requestSubmit) {
      submit.hidden = true;
      select.addEventListener("change", function () {
        form.requestSubmit();
      });
    }
  }

  var filters = document.querySelector(".filters");
  var wide = window.matchMedia && window.matchMedia("(min-width: 64rem)");
  var supported = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
  if (filters && wide && !supported) {
    var follow = function () {
      filters.open = wide.matches;
    };
    follow();
    if (wide.addEventListener) {
      wide.addEventListener("change", follow);
    }
  }
})();
