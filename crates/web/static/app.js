// Enhancements only: every page works without this file.
// 1. Search boxes marked data-live submit their form as the person types (debounced) and swap
//    in the results region without a full page load.
// 2. Buttons marked data-confirm ask before submitting.
(function () {
  "use strict";
  function debounce(fn, ms) { var t; return function () { clearTimeout(t); var a = arguments; t = setTimeout(function () { fn.apply(null, a); }, ms); }; }
  document.querySelectorAll("input[data-live]").forEach(function (input) {
    var form = input.form; var target = document.getElementById(input.getAttribute("data-live"));
    if (!form || !target) return;
    var run = debounce(function () {
      var params = new URLSearchParams(new FormData(form));
      var url = form.getAttribute("action") + "?" + params.toString();
      fetch(url, { headers: { "X-Partial": "1" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html === null) return;
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.getElementById(target.id);
          if (fresh) { target.replaceWith(fresh); target = fresh; history.replaceState(null, "", url); }
        });
    }, 250);
    input.addEventListener("input", run);
  });
  document.addEventListener("submit", function (e) {
    var b = e.submitter; var msg = b && b.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) e.preventDefault();
  });
})();
// 3. The article editor's toolbar: buttons that wrap the selection in HTML, and an image
//    button that uploads the chosen file and inserts it. The textarea works without it.
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-editor]").forEach(function (area) {
    var bar = document.querySelector('.toolbar[data-for="' + area.id + '"]');
    var form = area.form;
    if (!bar || !form) return;
    var labels = JSON.parse(bar.getAttribute("data-labels") || "{}");
    function wrap(before, after) {
      var s = area.selectionStart, e = area.selectionEnd, v = area.value;
      area.value = v.slice(0, s) + before + v.slice(s, e) + after + v.slice(e);
      area.focus(); area.selectionStart = s + before.length; area.selectionEnd = e + before.length;
    }
    function button(label, fn) {
      var b = document.createElement("button"); b.type = "button"; b.className = "secondary";
      b.textContent = label; b.addEventListener("click", fn); bar.appendChild(b);
    }
    button(labels.bold || "B", function () { wrap("<strong>", "</strong>"); });
    button(labels.italic || "I", function () { wrap("<em>", "</em>"); });
    button(labels.heading || "H", function () { wrap("<h3>", "</h3>"); });
    button(labels.list || "•", function () { wrap("<ul>\n<li>", "</li>\n</ul>"); });
    button(labels.link || "🔗", function () {
      var url = window.prompt("URL", "https://"); if (url) wrap('<a href="' + url.replace(/"/g, "") + '">', "</a>");
    });
    var file = document.createElement("input"); file.type = "file"; file.accept = "image/png,image/jpeg,image/gif,image/webp"; file.hidden = true;
    bar.appendChild(file);
    button(labels.image || "▣", function () { file.click(); });
    file.addEventListener("change", function () {
      if (!file.files.length) return;
      var data = new FormData();
      data.append("csrf", form.querySelector('input[name="csrf"]').value);
      var unit = form.querySelector('select[name="audience"]'); data.append("unit", unit ? unit.value : "");
      data.append("file", file.files[0]);
      fetch("/news/images", { method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (j) { if (j && j.url) wrap('<img src="' + j.url + '" alt="">', ""); else window.alert(labels.failed || "!"); });
      file.value = "";
    });
    bar.hidden = false;
  });
})();

// 3. Forms marked data-swap="ID" (signing, confirming a reading) are sent in the background;
//    the element ID of the answer replaces the one on the page, so a phone keeps its place and
//    the receipt appears where the form was. Without JavaScript the same form loads a page.
(function () {
  "use strict";
  document.addEventListener("submit", function (e) {
    var form = e.target; var id = form.getAttribute && form.getAttribute("data-swap");
    if (!id || e.defaultPrevented || !window.fetch || !window.URLSearchParams) return;
    e.preventDefault();
    var button = form.querySelector("button[type=submit]"); if (button) button.disabled = true;
    fetch(form.action, { method: "POST", body: new URLSearchParams(new FormData(form)), credentials: "same-origin",
      headers: { "X-Partial": "1" } })
      .then(function (r) { if (r.redirected && r.url.indexOf("/login") >= 0) { window.location = r.url; return null; } return r.text(); })
      .then(function (html) {
        if (html === null) return;
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById(id); var old = document.getElementById(id);
        if (fresh && old) { old.replaceWith(fresh); var focus = fresh.querySelector("[role=status],[role=alert]"); if (focus) { focus.setAttribute("tabindex", "-1"); focus.focus(); } }
        else { document.open(); document.write(html); document.close(); }
      })
      .catch(function () { if (button) button.disabled = false; form.submit(); });
  });
})();

// 4. The roster editor: changing a cell asks the server to check that one edit (nothing is
//    saved yet) and lists what it breaks under the person's row; the row's button saves.
//    Without JavaScript the row form saves and the page comes back with the same list.
(function () {
  "use strict";
  var grid = document.querySelector("table.roster-grid[data-check]");
  if (!grid || !grid.getAttribute("data-check") || !window.fetch || !window.URLSearchParams) return;
  var url = grid.getAttribute("data-check");
  var csrf = document.querySelector('input[name="csrf"]');
  grid.addEventListener("change", function (e) {
    var sel = e.target;
    if (!sel.matches || !sel.matches("select[data-person]")) return;
    var person = sel.getAttribute("data-person");
    var body = new URLSearchParams();
    body.set("csrf", csrf ? csrf.value : "");
    body.set("person", person);
    body.set("day", sel.getAttribute("data-day"));
    body.set("shift", sel.value);
    fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) {
        if (!j) return;
        sel.classList.toggle("bad", !j.ok);
        sel.classList.toggle("good", j.ok);
        var row = document.getElementById("m" + person);
        if (!row) return;
        var ul = row.querySelector("ul");
        ul.textContent = "";
        j.messages.forEach(function (m) { var li = document.createElement("li"); li.textContent = m; ul.appendChild(li); });
        row.hidden = j.messages.length === 0;
      });
  });
})();
// 5. Print buttons (hidden without JavaScript: the browser's own print does the same).
document.querySelectorAll("button[data-print]").forEach(function (b) {
  b.hidden = false;
  b.addEventListener("click", function () { window.print(); });
});
// 4. Print buttons (hidden without JavaScript, where the browser's own print command serves).
(function () {
  "use strict";
  document.querySelectorAll("button[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
})();
