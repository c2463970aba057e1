// Search suggestions under the header search box: a progressive enhancement. Without
// this file the search form submits to /search as usual; with it, typing two or more
// characters lists categories, brands and products from /search/suggest in an ARIA
// combobox (arrow keys move, Enter opens, Escape closes).
(function () {
  "use strict";

  var input = document.getElementById("site-search");
  if (!input || !window.fetch || !input.form) {
    return;
  }

  var MIN_CHARS = 2;
  var DELAY_MS = 150;
  var kindLabels = { category: "Category", brand: "Brand", product: "Product" };

  var list = document.createElement("ul");
  list.id = "site-search-suggestions";
  list.className = "suggest";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Search suggestions");
  list.hidden = true;

  // Announces how many suggestions appeared, since focus stays in the text box.
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");

  input.form.classList.add("search--suggest");
  input.insertAdjacentElement("afterend", list);
  input.form.appendChild(status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("autocomplete", "off");

  var items = [];
  var active = -1;
  var timer = 0;
  var pending = null;

  function close() {
    list.hidden = true;
    list.textContent = "";
    items = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(i) {
    if (active >= 0 && items[active]) {
      items[active].el.setAttribute("aria-selected", "false");
    }
    active = i;
    if (active >= 0 && items[active]) {
      items[active].el.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", items[active].el.id);
      items[active].el.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  // Only same-site paths are followed: the list is built from data, and data must not
  // be able to send a shopper elsewhere.
  function safePath(url) {
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" && url.charAt(1) !== "\\";
  }

  function go(item) {
    if (item && safePath(item.url)) {
      window.location.assign(item.url);
    }
  }

  function render(suggestions) {
    close();
    suggestions.forEach(function (s, i) {
      if (!s || !safePath(s.url)) {
        return;
      }
      var li = document.createElement("li");
      li.id = list.id + "-" + i;
      li.className = "suggest__item";
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var label = document.createElement("span");
      label.className = "suggest__label";
      label.textContent = String(s.label || "");
      var kind = document.createElement("span");
      kind.className = "suggest__kind";
      kind.textContent = kindLabels[s.kind] || "";
      li.appendChild(label);
      li.appendChild(kind);
      var item = { el: li, url: s.url };
      // mousedown would blur the input and close the list before the click lands.
      li.addEventListener("mousedown", function (e) { e.preventDefault(); });
      li.addEventListener("click", function () { go(item); });
      list.appendChild(li);
      items.push(item);
    });
    if (items.length > 0) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    status.textContent = items.length === 0 ? "" :
      items.length + (items.length === 1 ? " suggestion" : " suggestions") + ", use the arrow keys to choose";
  }

  function lookup() {
    var q = input.value.trim();
    if (pending) {
      pending.abort();
      pending = null;
    }
    if (q.length < MIN_CHARS) {
      close();
      status.textContent = "";
      return;
    }
    var ctrl = new AbortController();
    pending = ctrl;
    fetch("/search/suggest?q=" + encodeURIComponent(q), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: ctrl.signal
    })
      .then(function (res) { return res.ok ? res.json() : []; })
      .then(function (data) {
        // A slower answer to an older prefix must not replace a newer one.
        if (pending === ctrl && document.activeElement === input) {
          render(Array.isArray(data) ? data : []);
        }
      })
      .catch(function () { /* Suggestions are optional; the form still works. */ });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookup, DELAY_MS);
  });

  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") {
      if (items.length > 0) {
        e.preventDefault();
        highlight((active + 1) % items.length);
      }
    } else if (e.key === "ArrowUp") {
      if (items.length > 0) {
        e.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      }
    } else if (e.key === "Enter") {
      // Without a highlighted suggestion, Enter submits the search as always.
      if (active >= 0 && items[active]) {
        e.preventDefault();
        go(items[active]);
      }
    } else if (e.key === "Escape") {
      if (!list.hidden) {
        e.preventDefault();
        close();
      }
    }
  });

  input.addEventListener("blur", close);
})();
