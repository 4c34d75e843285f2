// Staff console enhancements; every page also works without this file.
// [data-print] buttons print the page; forms with data-confirm ask first.
document.addEventListener("click", function (e) {
  var b = e.target.closest("[data-print]");
  if (b) { e.preventDefault(); window.print(); }
});
document.addEventListener("submit", function (e) {
  var msg = e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) { e.preventDefault(); }
});
// A page with data-refresh (Today) reloads itself every so many seconds,
// from data-refresh-url (?auto=1: not counted as use), unless paused with
// #refresh-toggle; the pause lasts for this browser tab. Without this file
// the page simply does not reload.
(function () {
  var main = document.querySelector("[data-refresh]");
  var secs = main && Number(main.getAttribute("data-refresh"));
  if (!secs) return;
  var url = main.getAttribute("data-refresh-url") || location.href;
  var button = document.getElementById("refresh-toggle");
  var paused = sessionStorage.getItem("harbor.refresh.paused") === "1";
  var timer = null;
  function schedule() {
    clearTimeout(timer);
    timer = paused ? null : setTimeout(function () { location.replace(url); }, secs * 1000);
  }
  function show() {
    button.textContent = button.getAttribute(paused ? "data-resume" : "data-pause");
  }
  if (button) {
    button.hidden = false;
    show();
    button.addEventListener("click", function () {
      paused = !paused;
      sessionStorage.setItem("harbor.refresh.paused", paused ? "1" : "0");
      show();
      schedule();
    });
  }
  schedule();
})();
