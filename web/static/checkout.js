// Checkout: the shipping options and totals follow the address. Choosing a country, a
// state, a shipping method or a saved address asks the server for the form priced as it
// stands (the very "Update totals" a browser without this file submits) and puts the
// answer's shipping options and summary in place. The fields are left as typed, except
// that choosing a saved address fills them with it, as "Update totals" does. Anything
// unexpected falls back to submitting "Update totals", which keeps what was typed too.
(function () {
  "use strict";

  var form = document.querySelector("[data-checkout-form]");
  if (!form || !window.fetch || !window.DOMParser || !window.URLSearchParams || !form.requestSubmit) {
    return;
  }
  var update = form.querySelector('button[name="action"][value="update"][data-checkout-manual]');
  var status = form.querySelector("[data-checkout-status]");
  var billing = form.querySelector("[data-checkout-billing]");
  var pending = null;
  var asked = 0;

  function hideManual(root) {
    var els = root.querySelectorAll("[data-checkout-manual]");
    for (var i = 0; i < els.length; i++) {
      els[i].hidden = true;
    }
  }

  function live() {
    return document.querySelectorAll("[data-checkout-live]");
  }

  function setBusy(busy) {
    var els = live();
    for (var i = 0; i < els.length; i++) {
      if (busy) {
        els[i].setAttribute("aria-busy", "true");
      } else {
        els[i].removeAttribute("aria-busy");
      }
    }
  }

  function fallback() {
    setBusy(false);
    if (update) {
      form.requestSubmit(update);
    }
  }

  // The answer's parts that a change of address or method changes: shipping options,
  // totals, the total on a phone. Focus inside them (a shipping method) stays on the
  // same choice.
  function swapLive(doc) {
    var els = live();
    for (var i = 0; i < els.length; i++) {
      var old = els[i];
      var fresh = doc.querySelector('[data-checkout-live="' + old.getAttribute("data-checkout-live") + '"]');
      if (!fresh) {
        continue;
      }
      var focused = old.contains(document.activeElement) ? document.activeElement.id : "";
      fresh = document.importNode(fresh, true);
      hideManual(fresh);
      old.replaceWith(fresh);
      if (focused && document.getElementById(focused)) {
        document.getElementById(focused).focus();
      }
    }
  }

  // Marks that depend on the country (a state or a postal code required) and the
  // country's own message ("we do not ship there"), without touching what was typed.
  function syncFields(doc, fill) {
    var fields = form.querySelectorAll('.field[data-testid^="field-ship_"], .field[data-testid^="field-bill_"]');
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      var name = field.getAttribute("data-testid").slice("field-".length);
      var fresh = doc.querySelector('[data-testid="checkout-form"] [data-testid="field-' + name + '"]');
      var control = field.querySelector('[name="' + name + '"]');
      var freshControl = fresh && fresh.querySelector('[name="' + name + '"]');
      if (!fresh || !control || !freshControl) {
        continue;
      }
      var label = field.querySelector(".field__label");
      var freshLabel = fresh.querySelector(".field__label");
      if (label && freshLabel) {
        label.replaceChildren.apply(label, Array.prototype.map.call(freshLabel.childNodes, function (n) {
          return document.importNode(n, true);
        }));
      }
      ["required", "aria-required"].forEach(function (attr) {
        if (freshControl.hasAttribute(attr)) {
          control.setAttribute(attr, freshControl.getAttribute(attr));
        } else {
          control.removeAttribute(attr);
        }
      });
      if (fill && name.indexOf("ship_") === 0 && control.tagName !== "SELECT") {
        control.value = freshControl.value;
      }
      if (name === "ship_country" && control.tagName === "SELECT") {
        syncSelect(control, freshControl, fill);
        syncError(field, control, fresh, freshControl);
      }
    }
  }

  // The country list as the answer has it: it may show a saved address's country the
  // shop does not ship to, or no longer show one the shopper has left.
  function syncSelect(control, freshControl, fill) {
    var signature = function (select) {
      return Array.prototype.map.call(select.options, function (o) {
        return o.value + (o.disabled ? "!" : "");
      }).join(",");
    };
    if (signature(control) !== signature(freshControl)) {
      var value = control.value;
      control.replaceChildren.apply(control, Array.prototype.map.call(freshControl.options, function (o) {
        return document.importNode(o, true);
      }));
      if (!fill) {
        control.value = value;
      }
    } else if (fill) {
      control.value = freshControl.value;
    }
  }

  function syncError(field, control, fresh, freshControl) {
    var old = field.querySelector(".field__error");
    var now = fresh.querySelector(".field__error");
    if (old) {
      old.remove();
    }
    if (now) {
      field.appendChild(document.importNode(now, true));
    }
    ["aria-invalid", "aria-describedby"].forEach(function (attr) {
      if (freshControl.hasAttribute(attr)) {
        control.setAttribute(attr, freshControl.getAttribute(attr));
      } else {
        control.removeAttribute(attr);
      }
    });
  }

  function syncHidden(doc) {
    ["cart_fingerprint", "idempotency_key", "ship_address_applied"].forEach(function (name) {
      var mine = form.querySelector('input[type="hidden"][name="' + name + '"]');
      var fresh = doc.querySelector('[data-testid="checkout-form"] input[type="hidden"][name="' + name + '"]');
      if (mine && fresh) {
        mine.value = fresh.value;
      }
    });
  }

  function announce(doc) {
    if (!status) {
      return;
    }
    var note = doc.querySelector('[data-testid="shipping-methods-note"]');
    var error = doc.querySelector('[data-testid="field-error-ship_country"]');
    var text = "Shipping options and totals updated.";
    if (error) {
      text = error.textContent.trim();
    } else if (note) {
      text = "Shipping options and totals updated. " + note.firstChild.textContent.trim();
    }
    status.textContent = text;
  }

  function reprice(fill) {
    if (pending) {
      pending.abort();
    }
    var mine = ++asked;
    pending = window.AbortController ? new AbortController() : null;
    var body = new URLSearchParams(new FormData(form));
    body.set("action", "update");
    setBusy(true);
    // getAttribute: form.action would be the buttons named "action".
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "text/html" },
      signal: pending ? pending.signal : undefined,
    })
      .then(function (res) {
        if (res.redirected) {
          // The cart emptied or changed under the form: the page it leads to says why.
          window.location.assign(res.url);
          return null;
        }
        if (res.status !== 200 && res.status !== 422) {
          throw new Error("checkout: update answered " + res.status);
        }
        return res.text();
      })
      .then(function (html) {
        if (html === null || mine !== asked) {
          return;
        }
        var doc = new DOMParser().parseFromString(html, "text/html");
        if (!doc.querySelector('[data-testid="checkout-form"]')) {
          throw new Error("checkout: the answer has no checkout form");
        }
        syncHidden(doc);
        syncFields(doc, fill);
        swapLive(doc);
        announce(doc);
        setBusy(false);
      })
      .catch(function (err) {
        if (err && err.name === "AbortError") {
          return;
        }
        if (mine === asked) {
          fallback();
        }
      });
  }

  form.addEventListener("change", function (e) {
    var name = e.target.name;
    if (name === "ship_country" || name === "ship_region" || name === "shipping_method") {
      reprice(false);
    } else if (name === "ship_address_id") {
      reprice(true);
    } else if (name === "billing_same" && billing) {
      billing.open = !e.target.checked;
    }
  });

  hideManual(document);
})();
