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
