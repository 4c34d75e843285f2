// Outlet directory: "nearest first" with the phone's location. It only
// adds lat/lng to the address; the server sorts. The page offers it only
// over HTTPS, and it shows only in a secure context: browsers share the
// location nowhere else. Without it the list is sorted by name and the
// district and street filters work as before.
(function () {
  var b = document.getElementById("near");
  if (!b || !window.isSecureContext || !navigator.geolocation) return;
  var problem = document.getElementById("near-problem");
  b.hidden = false;
  b.addEventListener("click", function () {
    b.disabled = true;
    navigator.geolocation.getCurrentPosition(function (p) {
      var u = new URL(location.href);
      u.searchParams.set("lat", p.coords.latitude.toFixed(5));
      u.searchParams.set("lng", p.coords.longitude.toFixed(5));
      u.searchParams.delete("page");
      location.href = u.toString();
    }, function () {
      b.disabled = false;
      if (problem) problem.hidden = false;
    }, { timeout: 15000, maximumAge: 600000 });
  });
})();
