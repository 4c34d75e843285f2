// Lobby display: every data-refresh seconds, fetch the page again and swap
// in its new code and today's total, instead of a meta refresh that would
// reload the whole page. The previous code stays valid for another window,
// so a failed fetch costs nothing; the next one catches up.
(function () {
  var secs = Number(document.body.getAttribute("data-refresh")) || 10;
  function update() {
    fetch(location.pathname, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        ["live", "today"].forEach(function (id) {
          var from = doc.getElementById(id), to = document.getElementById(id);
          if (from && to) to.innerHTML = from.innerHTML;
        });
        document.body.classList.remove("stale");
      })
      .catch(function () { document.body.classList.add("stale"); })
      .then(function () { setTimeout(update, secs * 1000); });
  }
  setTimeout(update, secs * 1000);
})();
