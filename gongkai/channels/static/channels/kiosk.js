/* The lobby kiosk: browse the public catalogue by finger — by category, by column, by the
   pinyin initials of the titles — and go back to the home screen when left alone. */
(function () {
  "use strict";

  var root = document.getElementById("kiosk");
  var L = JSON.parse(document.getElementById("kiosk-labels").textContent);
  var dataUrl = root.getAttribute("data-data-url");
  var itemUrl = root.getAttribute("data-item-url");
  var storageKey = "gongkai-kiosk:" + root.getAttribute("data-slug");
  var idleMs = (Number(root.getAttribute("data-idle")) || 90) * 1000;
  var PAGE = 40;
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ".split("");

  var data = { items: [], categories: [], columns: [], letters: [] };
  var history = [];
  var current = null;
  var typed = "";
  var idleTimer = null;

  var el = function (id) { return document.getElementById(id); };
  var make = function (tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  };
  var clockFormat = new Intl.DateTimeFormat("zh-CN", {
    timeZone: "Asia/Shanghai", month: "long", day: "numeric", weekday: "short",
    hour: "2-digit", minute: "2-digit", hour12: false
  });

  function status(text) { el("kiosk-status").textContent = text || ""; }

  function show(view) {
    ["home", "choices", "letters", "list", "item"].forEach(function (name) {
      el("view-" + name).hidden = name !== view;
    });
    el("view-" + view).scrollTop = 0;
  }

  function go(state, remember) {
    if (remember !== false && current) { history.push(current); }
    current = state;
    state.render();
  }

  function back() {
    if (history.length) {
      current = history.pop();
      current.render();
    } else {
      home();
    }
  }

  function home() {
    history = [];
    typed = "";
    current = { render: function () { show("home"); } };
    current.render();
  }

  /* The same rule as selectors.kiosk_filter on the server. */
  function matches(item, filter) {
    return (!filter.letters || item.initials.indexOf(filter.letters) === 0) &&
      (filter.category === undefined || item.category_id === filter.category) &&
      (filter.column === undefined || item.columns.indexOf(filter.column) >= 0) &&
      (!filter.featured || item.featured);
  }

  function fillList(container, rows) {
    container.textContent = "";
    if (!rows.length) {
      container.appendChild(make("p", "empty", L.none));
      return;
    }
    var shown = 0;
    var more = make("button", "more", L.more);
    more.type = "button";
    function page() {
      rows.slice(shown, shown + PAGE).forEach(function (item) {
        var row = make("button", "row");
        row.type = "button";
        row.appendChild(make("span", "t", item.title));
        row.appendChild(make("span", "m", [item.category, item.publisher, item.published_date || ""].join("　")));
        row.addEventListener("click", function () { openItem(item); });
        container.insertBefore(row, more.parentNode ? more : null);
      });
      shown += PAGE;
      if (shown >= rows.length && more.parentNode) { more.remove(); }
    }
    more.addEventListener("click", page);
    container.appendChild(more);
    page();
  }

  function listView(title, filter) {
    return {
      render: function () {
        var rows = data.items.filter(function (item) { return matches(item, filter); });
        el("list-title").textContent = title + "（" + L.count.replace("%s", rows.length) + "）";
        fillList(el("list"), rows);
        show("list");
      }
    };
  }

  function choicesView(title, choices, makeFilter) {
    return {
      render: function () {
        el("choices-title").textContent = title;
        var box = el("choices");
        box.textContent = "";
        choices.forEach(function (choice) {
          var button = make("button", "choice", choice.name);
          button.type = "button";
          button.appendChild(make("small", "", L.count.replace("%s", choice.count)));
          button.addEventListener("click", function () { go(listView(choice.name, makeFilter(choice))); });
          box.appendChild(button);
        });
        if (!choices.length) { box.appendChild(make("p", "empty", L.none)); }
        show("choices");
      }
    };
  }

  function lettersView() {
    return {
      render: function () {
        el("typed").textContent = typed || "—";
        var keys = el("keys");
        keys.textContent = "";
        var next = {};
        data.items.forEach(function (item) {
          if (item.initials.indexOf(typed) === 0 && item.initials.length > typed.length) {
            next[item.initials.charAt(typed.length)] = true;
          }
        });
        ALPHABET.forEach(function (letter) {
          var key = make("button", "key", letter);
          key.type = "button";
          key.disabled = !next[letter];
          key.addEventListener("click", function () { typed += letter; current.render(); });
          keys.appendChild(key);
        });
        var rows = typed ? data.items.filter(function (item) { return matches(item, { letters: typed }); }) : [];
        var results = el("letter-results");
        if (typed) { fillList(results, rows); } else { results.textContent = ""; }
        show("letters");
      }
    };
  }

  function openItem(item) {
    go({
      render: function () {
        el("item-title").textContent = item.title;
        var meta = el("item-meta");
        meta.textContent = "";
        [[L.category, item.category], [L.publisher, item.publisher], [L.date, item.published_date],
         [L.document_number, item.document_number], [L.index_number, item.index_number]]
          .forEach(function (pair) {
            if (!pair[1]) { return; }
            meta.appendChild(make("dt", "", pair[0]));
            meta.appendChild(make("dd", "", pair[1]));
          });
        el("item-summary").textContent = item.summary || "";
        el("item-summary").hidden = !item.summary;
        var body = el("item-body");
        body.textContent = L.loading;
        show("item");
        fetch(itemUrl.replace(/0\.json$/, item.id + ".json"), { cache: "no-store" })
          .then(function (response) { if (!response.ok) { throw new Error(); } return response.json(); })
          .then(function (detail) {
            body.textContent = "";
            (detail.paragraphs || []).forEach(function (text) { body.appendChild(make("p", "", text)); });
          })
          .catch(function () { body.textContent = L.offline; });
      }
    });
  }

  var actions = {
    home: home,
    back: back,
    featured: function () { go(listView(L.featured, { featured: true })); },
    latest: function () { go(listView(L.latest, {})); },
    categories: function () {
      go(choicesView(L.categories, data.categories, function (c) { return { category: c.id }; }));
    },
    columns: function () {
      go(choicesView(L.columns, data.columns, function (c) { return { column: c.id }; }));
    },
    letters: function () { typed = ""; go(lettersView()); },
    backspace: function () { typed = typed.slice(0, -1); current.render(); },
    clear: function () { typed = ""; current.render(); }
  };

  root.addEventListener("click", function (event) {
    var target = event.target.closest("[data-action]");
    if (target && actions[target.getAttribute("data-action")]) {
      actions[target.getAttribute("data-action")]();
    }
  });

  /* Left alone, the kiosk returns to its home screen for the next visitor. */
  function resetIdle() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(home, idleMs);
  }
  ["pointerdown", "touchstart", "keydown", "wheel"].forEach(function (name) {
    document.addEventListener(name, resetIdle, { passive: true, capture: true });
  });
  document.addEventListener("scroll", resetIdle, { passive: true, capture: true });
  document.addEventListener("contextmenu", function (event) { event.preventDefault(); });

  function load() {
    fetch(dataUrl, { cache: "no-store" })
      .then(function (response) { if (!response.ok) { throw new Error(); } return response.json(); })
      .then(function (fresh) {
        data = fresh;
        try { localStorage.setItem(storageKey, JSON.stringify(fresh)); } catch (e) { /* full */ }
        status("");
      })
      .catch(function () {
        try { data = JSON.parse(localStorage.getItem(storageKey)) || data; } catch (e) { /* none */ }
        status(L.offline);
      });
  }

  function tick() { el("kiosk-clock").textContent = clockFormat.format(new Date()); }

  home();
  load();
  tick();
  setInterval(tick, 15000);
  setInterval(load, 10 * 60 * 1000);
  resetIdle();
})();
