// Cart page: a typed quantity applies as soon as the field changes, so the Update
// buttons (for browsers without this file) are hidden.
(function () {
  "use strict";

  var forms = document.querySelectorAll(".stepper__form");
  for (var i = 0; i < forms.length; i++) {
    var form = forms[i];
    var input = form.querySelector("input[name=quantity]");
    var update = form.querySelector(".stepper__update");
    if (!input || !update || !form.requestSubmit) {
      continue;
    }
    update.hidden = true;
    input.addEventListener("change", function (e) {
      e.target.form.requestSubmit();
    });
  }
})();
