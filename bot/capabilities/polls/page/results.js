// Live results: follows /events and rebuilds the page from its JSON (same markup as render.py).
// Text goes in through textContent only, so nothing a voter wrote can become markup.
(function () {
  "use strict";

  var root = document.getElementById("results");
  if (!root || !window.EventSource || root.getAttribute("data-closed") === "true") {
    return; // closed: the page is final; no EventSource: the <noscript> refresh is not needed
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function bar(row) {
    var percent = Math.max(0, Math.min(100, Math.round(Number(row.percent) || 0)));
    var item = el("li", "bar");
    item.appendChild(el("span", "label", row.label));
    var track = el("span", "track");
    track.appendChild(el("span", "fill p-" + percent));
    item.appendChild(track);
    var figure = el("span", "figure");
    figure.appendChild(el("span", "percent", row.percentText));
    figure.appendChild(el("span", "count", row.count));
    item.appendChild(figure);
    return item;
  }

  function block(data) {
    var section = el("section", "block");
    if (data.title) section.appendChild(el("h2", null, data.title));
    if (data.summary) section.appendChild(el("p", "summary", data.summary));
    var list = el("ol", "bars");
    data.rows.forEach(function (row) { list.appendChild(bar(row)); });
    section.appendChild(list);
    return section;
  }

  function words(data) {
    var section = el("section", "words");
    section.appendChild(el("h2", null, data.title));
    var list = el("ol");
    data.items.forEach(function (w) {
      var item = el("li");
      item.appendChild(el("span", "word", w.word));
      item.appendChild(el("span", "count", w.count));
      list.appendChild(item);
    });
    section.appendChild(list);
    return section;
  }

  function answers(data) {
    var section = el("section", "answers");
    section.appendChild(el("h2", null, data.title));
    var list = el("ul");
    data.items.forEach(function (a) { list.appendChild(el("li", null, a)); });
    section.appendChild(list);
    if (data.more) section.appendChild(el("p", "more", data.more));
    return section;
  }

  function trend(data) {
    var section = el("section", "trend");
    section.appendChild(el("h2", null, data.title));
    var table = el("table");
    var head = el("tr");
    head.appendChild(el("th", null, data.heading));
    data.columns.forEach(function (c) { head.appendChild(el("th", null, c)); });
    head.appendChild(el("th"));
    table.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    data.rows.forEach(function (row) {
      var line = el("tr");
      var name = el("th", null, row.text);
      name.setAttribute("scope", "row");
      line.appendChild(name);
      row.means.forEach(function (m) { line.appendChild(el("td", null, m)); });
      line.appendChild(el("td", "change", row.change || ""));
      body.appendChild(line);
    });
    table.appendChild(body);
    section.appendChild(table);
    return section;
  }

  function render(data) {
    var parts = [];
    var head = el("header", "head");
    head.appendChild(el("p", "status status-" + (data.closed ? "closed" : "open"), data.status));
    head.appendChild(el("h1", "question", data.question));
    var count = el("p", "respondents", data.respondentsText);
    count.setAttribute("data-count", String(data.respondents));
    head.appendChild(count);
    if (data.closes) head.appendChild(el("p", "closes", data.closes));
    parts.push(head);
    if (data.notice) parts.push(el("p", "notice", data.notice));
    data.blocks.forEach(function (b) { parts.push(block(b)); });
    if (data.words) parts.push(words(data.words));
    if (data.answers) parts.push(answers(data.answers));
    if (data.trend) parts.push(trend(data.trend));
    root.replaceChildren.apply(root, parts);
    root.setAttribute("data-closed", data.closed ? "true" : "false");
    document.title = data.title + ": " + data.question;
  }

  var base = location.pathname.replace(/\/+$/, "");
  var ended = false;

  function expired() {
    ended = true;
    root.appendChild(el("p", "expired", root.getAttribute("data-expired")));
  }

  // When the stream is refused (the server is busy, 503) the page asks for /data instead.
  function poll() {
    if (ended) return;
    fetch(base + "/data", { cache: "no-store" }).then(function (response) {
      if (response.status === 410 || response.status === 404) return expired();
      if (!response.ok) return setTimeout(poll, 5000);
      return response.json().then(function (data) {
        render(data);
        if (data.closed) ended = true; else setTimeout(poll, 5000);
      });
    }).catch(function () { setTimeout(poll, 5000); });
  }

  var source = new EventSource(base + "/events");
  source.onmessage = function (event) {
    var data = JSON.parse(event.data);
    render(data);
    if (data.closed) { ended = true; source.close(); } // the final state: nothing more comes
  };
  source.addEventListener("expired", function () {
    source.close();
    expired();
  });
  source.onerror = function () {
    // EventSource reconnects by itself after a dropped stream; CLOSED means it gave up.
    if (source.readyState === EventSource.CLOSED && !ended) setTimeout(poll, 5000);
  };
})();
