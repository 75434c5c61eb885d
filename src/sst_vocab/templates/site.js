/* sst-vocab documentation site: client-side search over labels, other labels and definitions.
   The index (assets/search-index.js) is loaded on first use with a <script> element, so search
   also works from file:// and never leaves the site. No libraries. */
(function () {
  "use strict";
  var input = document.getElementById("q");
  var panel = document.getElementById("search-panel");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!input || !panel || !list || !status) { return; }
  var root = document.body.getAttribute("data-root") || "";
  var entries = null;
  var waiting = null;  // callbacks waiting for the index while it loads
  var MAX = 30;

  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function prepare(raw) {
    return raw.map(function (r) {
      return { href: r[0], label: r[1], alts: r[2], def: r[3],
               fl: fold(r[1]), fa: r[2].map(fold), fd: fold(r[3]) };
    });
  }

  function load(then) {
    if (entries) { then(); return; }
    if (window.SST_SEARCH_INDEX) { entries = prepare(window.SST_SEARCH_INDEX); then(); return; }
    if (waiting) { waiting.push(then); return; }
    waiting = [then];
    var s = document.createElement("script");
    s.src = root + "assets/search-index.js";
    s.onload = function () {
      entries = prepare(window.SST_SEARCH_INDEX || []);
      var todo = waiting;
      waiting = null;
      todo.forEach(function (f) { f(); });
    };
    s.onerror = function () {
      waiting = null;
      status.textContent = "The search index could not be loaded.";
      panel.hidden = false;
    };
    document.head.appendChild(s);
  }

  function score(e, q, words) {
    if (e.fl === q) { return 100; }
    var i;
    for (i = 0; i < e.fa.length; i++) { if (e.fa[i] === q) { return 90; } }
    if (e.fl.indexOf(q) === 0) { return 80; }
    if (e.fl.indexOf(q) > 0) { return 70; }
    for (i = 0; i < e.fa.length; i++) { if (e.fa[i].indexOf(q) >= 0) { return 60; } }
    var all = e.fl + " " + e.fa.join(" ");
    var inLabels = words.every(function (w) { return all.indexOf(w) >= 0; });
    if (inLabels) { return 50; }
    var text = all + " " + e.fd;
    var inText = words.every(function (w) { return text.indexOf(w) >= 0; });
    return inText ? 10 : 0;
  }

  function render(query) {
    var q = fold(query.trim());
    list.textContent = "";
    if (!q) { status.textContent = ""; panel.hidden = true; return; }
    var words = q.split(/\s+/);
    var hits = [];
    entries.forEach(function (e) {
      var s = score(e, q, words);
      if (s > 0) { hits.push([s, e]); }
    });
    hits.sort(function (a, b) { return b[0] - a[0] || (a[1].fl < b[1].fl ? -1 : a[1].fl > b[1].fl ? 1 : 0); });
    var shown = hits.slice(0, MAX);
    shown.forEach(function (h) {
      var e = h[1];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + e.href;
      var l = document.createElement("span");
      l.className = "r-label";
      l.textContent = e.label;
      a.appendChild(l);
      var alt = e.alts.filter(function (x) { return fold(x).indexOf(q) >= 0; })[0];
      if (alt && fold(e.label).indexOf(q) < 0) {
        var al = document.createElement("span");
        al.className = "r-alt";
        al.textContent = " (" + alt + ")";
        a.appendChild(al);
      }
      if (e.def) {
        var d = document.createElement("span");
        d.className = "r-def";
        d.textContent = e.def;
        a.appendChild(d);
      }
      li.appendChild(a);
      list.appendChild(li);
    });
    var n = hits.length;
    status.textContent = n === 0 ? "No concept matches “" + query.trim() + "”." :
      (n === 1 ? "1 concept matches." : n + " concepts match" + (n > MAX ? "; the first " + MAX + " are shown." : "."));
    panel.hidden = false;
  }

  function update() { load(function () { render(input.value); }); }

  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

  input.addEventListener("focus", function () { load(function () {}); });
  input.addEventListener("input", update);
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown") {
      var first = links()[0];
      if (first) { ev.preventDefault(); first.focus(); }
    } else if (ev.key === "Escape") {
      input.value = "";
      render("");
    }
  });
  input.form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    load(function () {
      render(input.value);
      var first = links()[0];
      if (first) { window.location.href = first.href; }
    });
  });
  list.addEventListener("keydown", function (ev) {
    var all = links();
    var i = all.indexOf(document.activeElement);
    if (ev.key === "ArrowDown" && i < all.length - 1) { ev.preventDefault(); all[i + 1].focus(); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); if (i > 0) { all[i - 1].focus(); } else { input.focus(); } }
    else if (ev.key === "Escape") { ev.preventDefault(); input.focus(); }
  });
  // A ?q= query (the form without JavaScript, or a shared link) starts a search.
  var m = /[?&]q=([^&#]*)/.exec(window.location.search);
  if (m) {
    try { input.value = decodeURIComponent(m[1].replace(/\+/g, " ")); } catch (e) { input.value = ""; }
    if (input.value) { update(); }
  }
}());
