/* Maps of the investment projects (Leaflet). Tiles only when the site sets a tile URL;
   otherwise markers on a plain background, so the page needs no network. */
(function () {
  "use strict";
  function makeMap(element) {
    if (!window.L || element.dataset.ready) { return null; }
    element.dataset.ready = "1";
    var map = L.map(element, {
      scrollWheelZoom: false,
      zoomAnimation: false,
      fadeAnimation: false,
      markerZoomAnimation: false,
      attributionControl: !!element.dataset.tileUrl
    });
    var tiles = element.dataset.tileUrl;
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 18, attribution: element.dataset.attribution || "" }).addTo(map);
    } else {
      element.classList.add("inv-map-plain");
    }
    // The city's point (data-center="lat,lng", setting MIST_MAP_CENTER) until the
    // projects' points are known.
    map.setView(element.dataset.center.split(",").map(parseFloat), 11);
    return map;
  }

  function addPoints(map, points) {
    var bounds = [];
    points.forEach(function (point) {
      var marker = L.circleMarker([point.lat, point.lng], {
        radius: 8, color: "#083a66", weight: 2, fillColor: "#ffd43b", fillOpacity: 0.9
      }).addTo(map);
      if (point.url) {
        var link = document.createElement("a");
        link.href = point.url;
        link.textContent = point.title;
        marker.bindPopup(link);
      } else {
        marker.bindTooltip(point.title || "");
      }
      bounds.push([point.lat, point.lng]);
    });
    if (bounds.length > 1) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 14 });
    } else if (bounds.length === 1) {
      map.setView(bounds[0], 13);
    }
  }

  function init(root) {
    (root || document).querySelectorAll("[data-points-url]").forEach(function (element) {
      var map = makeMap(element);
      if (!map) { return; }
      fetch(element.dataset.pointsUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          addPoints(map, data.points || []);
          element.dataset.count = String((data.points || []).length);
          element.classList.add("inv-map-loaded");
        });
    });
    (root || document).querySelectorAll("[data-point-lat]").forEach(function (element) {
      var map = makeMap(element);
      if (!map) { return; }
      addPoints(map, [{
        lat: parseFloat(element.dataset.pointLat),
        lng: parseFloat(element.dataset.pointLng),
        title: element.dataset.pointTitle
      }]);
      element.classList.add("inv-map-loaded");
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
