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
