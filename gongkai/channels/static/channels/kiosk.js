/* The lobby kiosk: search the public catalogue's full text, or browse it by finger — by
   category, by column, by the pinyin initials of the titles — and go back to the home screen,
   with the search box emptied, when left alone. */
(function () {
  "use strict";

  var root = document.getElementById("kiosk");
  var L = JSON.parse(document.getElementById("kiosk-labels").textContent);
  var dataUrl = root.getAttribute("data-data-url");
  var itemUrl = root.getAttribute("data-item-url");
  var searchUrl = root.getAttribute("data-search-url");
  var searchInput = document.getElementById("search-q");
  var storageKey = "gongkai-kiosk:" + root.getAttribute("data-slug");
  var idleMs = (Number(root.getAttribute("data-idle")) || 90) * 1000;
  var PAGE = 40;
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ".split("");

  var data = { items: [], categories: [], columns: [], letters: [] };
  var history = [];
  var current = null;
  var typed = "";
  var idleTimer = null;
  var searchSeq = 0;

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
    ["home", "choices", "letters", "list", "item", "search"].forEach(function (name) {
      el("view-" + name).hidden = name !== view;
    });
    el("view-" + view).scrollTop = 0;
    // The search box stays on top of the home screen and of the results.
    el("search-area").hidden = view !== "home" && view !== "search";
    el("home-title").hidden = view !== "home";
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
    clearSearch();
    current = { render: function () { show("home"); } };
    current.render();
  }

  /* What the last visitor searched for is nobody else's business. */
  function clearSearch() {
    searchSeq += 1;  // a search still on its way is dropped
    searchInput.value = "";
    searchInput.blur();
    ["search-title", "search-summary", "search-notices", "search-results", "search-suggestions",
     "search-pager"].forEach(function (id) { el(id).textContent = ""; });
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

  /* The server's *_html is the text escaped with only <mark> added: rebuild it as text nodes
     and <mark> elements, so nothing from a title can ever become markup here. */
  function unescapeHtml(text) {
    return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"")
      .replace(/&#x27;/g, "'").replace(/&#39;/g, "'").replace(/&amp;/g, "&");
  }

  function marked(tag, className, html) {
    var node = make(tag, className);
    var inMark = false;
    String(html || "").split(/(<mark>|<\/mark>)/).forEach(function (piece) {
      if (piece === "<mark>") { inMark = true; return; }
      if (piece === "</mark>") { inMark = false; return; }
      if (!piece) { return; }
      var text = unescapeHtml(piece);
      node.appendChild(inMark ? make("mark", "", text) : document.createTextNode(text));
    });
    return node;
  }

  function resultRow(item) {
    var row = make("button", "row");
    row.type = "button";
    row.appendChild(marked("span", "t", item.title_html || ""));
    row.appendChild(make("span", "m", [item.category, item.publisher, item.published_date || ""].join("　")));
    if (item.snippet_html) { row.appendChild(marked("span", "s", item.snippet_html)); }
    row.addEventListener("click", function () { openItem(item); });
    return row;
  }

  function button(className, text, onClick) {
    var node = make("button", className, text);
    node.type = "button";
    node.addEventListener("click", onClick);
    return node;
  }

  function drawSearch(state) {
    var result = state.result;
    el("search-title").textContent = L.search_title.replace("%s", result.query || state.query);
    var summary = "";
    if (result.total) {
      summary = (result.total_is_estimate ? L.found_about : L.found).replace("%s", result.total);
    }
    el("search-summary").textContent = summary;
    var notices = el("search-notices");
    notices.textContent = "";
    (result.notices || []).forEach(function (text) { notices.appendChild(make("p", "notice", text)); });
    if (result.hint) { notices.appendChild(make("p", "hint", result.hint)); }
    var list = el("search-results");
    list.textContent = "";
    if (state.offline) {
      fillList(list, result.items);
    } else {
      result.items.forEach(function (item) { list.appendChild(resultRow(item)); });
    }
    var box = el("search-suggestions");
    box.textContent = "";
    if ((result.suggestions || []).length) {
      box.appendChild(make("h3", "", L["try"]));
      result.suggestions.forEach(function (suggestion) {
        if (suggestion.kind === "fewer_words") {
          box.appendChild(button("choice", suggestion.label, function () { search(suggestion.query, 1); }));
        } else if (suggestion.kind === "similar_title") {
          box.appendChild(resultRow(suggestion.item));
        } else {
          box.appendChild(make("p", "tip", suggestion.label));
        }
      });
    }
    var pager = el("search-pager");
    pager.textContent = "";
    if (result.has_previous || result.has_next) {
      var previous = button("more", L.previous, function () { search(state.query, result.page - 1, false); });
      var next = button("more", L.next, function () { search(state.query, result.page + 1, false); });
      previous.disabled = !result.has_previous;
      next.disabled = !result.has_next;
      pager.appendChild(previous);
      pager.appendChild(make("span", "where", result.total_is_estimate ? L.page.replace("%s", result.page) :
        L.page_of.replace("%(page)s", result.page).replace("%(pages)s", result.num_pages)));
      pager.appendChild(next);
    }
  }

  /* Offline: the titles and summaries of the catalogue the kiosk last fetched. */
  function searchOffline(query) {
    var needle = query.trim().toLowerCase();
    var rows = needle ? data.items.filter(function (item) {
      return (item.title + " " + (item.summary || "")).toLowerCase().indexOf(needle) >= 0;
    }) : [];
    return {
      query: query, total: rows.length, total_is_estimate: false, page: 1, num_pages: 1,
      has_previous: false, has_next: false, items: rows, suggestions: [],
      notices: [L.search_offline], hint: rows.length ? "" : L.none
    };
  }

  function searchView(query, pageNo) {
    var state = {
      query: query,
      result: null,
      offline: false,
      render: function () {
        show("search");
        if (state.result) { drawSearch(state); return; }
        var seq = ++searchSeq;
        el("search-title").textContent = L.search_title.replace("%s", query);
        el("search-summary").textContent = L.searching;
        ["search-notices", "search-results", "search-suggestions", "search-pager"].forEach(function (id) {
          el(id).textContent = "";
        });
        var url = searchUrl + "?q=" + encodeURIComponent(query) + "&page=" + pageNo;
        fetch(url, { cache: "no-store" })
          .then(function (response) { if (!response.ok) { throw new Error(); } return response.json(); })
          .then(function (result) { state.result = result; })
          .catch(function () { state.result = searchOffline(query); state.offline = true; })
          .then(function () {
            if (seq === searchSeq && current === state) { drawSearch(state); el("view-search").scrollTop = 0; }
          });
      }
    };
    return state;
  }

  function search(query, pageNo, remember) {
    searchInput.value = query;
    searchInput.blur();  // put the on-screen keyboard away so the results can be seen
    var fromSearch = current && current.query !== undefined;
    go(searchView(query, pageNo || 1), remember === undefined ? !fromSearch : remember);
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
    clear: function () { typed = ""; current.render(); },
    "clear-search": function () { searchInput.value = ""; searchInput.focus(); },
    topic: function (target) { search(target.getAttribute("data-topic"), 1); }
  };

  root.addEventListener("click", function (event) {
    var target = event.target.closest("[data-action]");
    if (target && actions[target.getAttribute("data-action")]) {
      actions[target.getAttribute("data-action")](target);
    }
  });

  el("search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    search(searchInput.value, 1);
  });

  /* Left alone, the kiosk returns to its home screen for the next visitor. */
  function resetIdle() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(home, idleMs);
  }
  ["pointerdown", "touchstart", "keydown", "input", "compositionupdate", "wheel"].forEach(function (name) {
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
