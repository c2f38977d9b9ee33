// Events: a visitor who is not signed in sees the server's default zone; when their
// browser is elsewhere, add the event's times in the browser's own zone.
(function () {
  "use strict";
  var el = document.querySelector("[data-event-when]");
  if (!el || !window.Intl) return;
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone || el.dataset.zones.split(" ").indexOf(zone) >= 0) return;
  var starts = new Date(el.dataset.starts);
  var ends = new Date(el.dataset.ends);
  if (isNaN(starts) || isNaN(ends)) return;
  var lang = document.documentElement.lang || "en";
  var eventZone = el.dataset.zones.split(" ")[0];
  function wall(date, tz) {
    return new Intl.DateTimeFormat("en-GB", {
      timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23"
    }).format(date);
  }
  // Same wall clock as the event's zone (a zone of the same offset): nothing to add.
  if (wall(starts, zone) === wall(starts, eventZone)) return;
  var time = new Intl.DateTimeFormat(lang, {
    timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23"
  });
  var day = new Intl.DateTimeFormat(lang, {
    timeZone: zone, weekday: "short", day: "numeric", month: "long"
  });
  var range = day.format(starts) + ", " + time.format(starts) + "–" + time.format(ends);
  if (day.format(starts) !== day.format(ends)) {
    range = day.format(starts) + ", " + time.format(starts) + " – " +
      day.format(ends) + ", " + time.format(ends);
  }
  // The server's names for known zones (America/Denver is Albuquerque here).
  var places = JSON.parse(el.dataset.places || "{}");
  var city = places[zone] || zone.split("/").pop().replace(/_/g, " ");
  var extra = document.createElement("span");
  extra.className = "event-when-browser";
  extra.textContent = " " + el.dataset.yourTime
    .replace("%(range)s", range).replace("%(city)s", city);
  el.appendChild(extra);
})();
