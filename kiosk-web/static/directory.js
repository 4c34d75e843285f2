// Outlet directory: "nearest first" with the phone's location. It only
// adds lat/lng to the address; the server sorts. Without this file the
// list is sorted by name.
(function () {
  var b = document.getElementById("near");
  if (!b || !navigator.geolocation) return;
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
      b.textContent = "无法获取位置，请在浏览器中允许定位";
    }, { timeout: 15000, maximumAge: 600000 });
  });
})();
