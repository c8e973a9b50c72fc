/* The plaza screen: rotate the items of the feed, poll for new ones, and keep showing the
   last good feed (kept in localStorage) when the server cannot be reached. */
(function () {
  "use strict";

  var root = document.getElementById("screen");
  var labels = JSON.parse(document.getElementById("screen-labels").textContent);
  var feedUrl = root.getAttribute("data-feed-url");
  var storageKey = "gongkai-screen:" + root.getAttribute("data-slug");
  var intervalMs = Number(root.getAttribute("data-interval")) * 1000 || 15000;
  var pollMs = Number(root.getAttribute("data-poll")) * 1000 || 60000;
  var items = [];
  var index = 0;
  var clockOffset = 0; // server time minus this device's time, in ms
  var rotation = null;

  var el = function (id) { return document.getElementById(id); };
  var dateFormat = new Intl.DateTimeFormat("zh-CN", {
    timeZone: "Asia/Shanghai", year: "numeric", month: "long", day: "numeric", weekday: "long"
  });
  var timeFormat = new Intl.DateTimeFormat("zh-CN", {
    timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false
  });

  function tick() {
    var now = new Date(Date.now() + clockOffset);
    el("screen-date").textContent = dateFormat.format(now);
    el("screen-time").textContent = timeFormat.format(now);
  }

  function remember(feed) {
    try {
      localStorage.setItem(storageKey, JSON.stringify({ feed: feed, savedAt: Date.now() }));
    } catch (e) { /* storage full or disabled: the screen still works online */ }
  }

  function recall() {
    try {
      var raw = localStorage.getItem(storageKey);
      return raw ? JSON.parse(raw) : null;
    } catch (e) {
      return null;
    }
  }

  function render() {
    var empty = items.length === 0;
    el("screen-item").hidden = empty;
    el("screen-empty").hidden = !empty;
    el("screen-counter").textContent = empty ? "" : (index + 1) + " / " + items.length;
    if (empty) { return; }
    var item = items[index];
    var article = el("screen-item");
    el("screen-category").textContent = item.category || "";
    el("screen-date-published").textContent = item.published_date || "";
    el("screen-title").textContent = item.title;
    el("screen-summary").textContent = item.summary || "";
    el("screen-publisher").textContent = item.publisher || "";
    // restart the fade-in animation
    article.style.animation = "none";
    void article.offsetWidth;
    article.style.animation = "";
  }

  function startRotation() {
    if (rotation) { clearInterval(rotation); }
    rotation = setInterval(function () {
      if (items.length) {
        index = (index + 1) % items.length;
        render();
      }
    }, intervalMs);
  }

  function apply(feed) {
    var currentId = items.length ? items[index].id : null;
    items = Array.isArray(feed.items) ? feed.items : [];
    // stay on the same item if it is still there, so new content never interrupts it
    var found = items.findIndex(function (item) { return item.id === currentId; });
    index = found >= 0 ? found : 0;
    var newInterval = Number(feed.interval_seconds) * 1000;
    if (newInterval && newInterval !== intervalMs) {
      intervalMs = newInterval;
      startRotation();
    }
    if (Number(feed.poll_seconds)) { pollMs = Number(feed.poll_seconds) * 1000; }
    render();
  }

  function setOffline(savedAt) {
    var badge = el("screen-offline");
    if (savedAt === null) {
      badge.hidden = true;
      return;
    }
    var when = savedAt ? timeFormat.format(new Date(savedAt)).slice(0, 5) : "";
    badge.textContent = when ? labels.offline_since.replace("%s", when) : labels.offline;
    badge.hidden = false;
  }

  function poll() {
    fetch(feedUrl, { cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (feed) {
        var serverNow = Date.parse(feed.generated_at);
        if (!isNaN(serverNow)) { clockOffset = serverNow - Date.now(); }
        remember(feed);
        setOffline(null);
        apply(feed);
      })
      .catch(function () {
        var cached = recall();
        if (!items.length && cached) { apply(cached.feed); }
        setOffline(cached ? cached.savedAt : 0);
      })
      .then(function () { setTimeout(poll, pollMs); });
  }

  var cached = recall();
  if (cached) { apply(cached.feed); }
  tick();
  setInterval(tick, 1000);
  startRotation();
  poll();
})();
