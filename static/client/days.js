/* Hinge Coach: the training day Today opens on, on the phone's own date (pure: no browser, no clock).
 *
 * The server renders Today on the date the phone sent, or on the coach's date; the page it gives
 * (or the service worker's copy of it, offline, maybe from yesterday) is re-decided here on the
 * phone's local date, with the sessions this phone holds: docs/domain.md "The day due", as
 * programs.days.day_due decides it (tests/js/days.test.js runs the same table as the server's).
 * Loaded by Today as `window.HingeDays` and by node's test runner.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.HingeDays = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function pad(n) { return String(n).padStart(2, "0"); }
  // A Date's local calendar date as "YYYY-MM-DD" (the phone's zone).
  function localIso(date) {
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate());
  }
  // The calendar date an ISO time was written on, at the offset it carries ("2026-11-12T07:00+09:00"
  // is the 12th), as the server reads a session's performed_at.
  function dateOf(iso) { return String(iso || "").slice(0, 10); }
  function parts(isoDate) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate || "");
    return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  }
  // 0 = Monday, as programs.days counts weekdays.
  function weekday(isoDate) { return (parts(isoDate).getUTCDay() + 6) % 7; }
  function weekdayName(isoDate) { return WEEKDAYS[weekday(isoDate)]; }
  function shortDate(isoDate) { var d = parts(isoDate); return d.getUTCDate() + " " + MONTHS[d.getUTCMonth()]; }

  // The first of `candidates` after `lastDay` in the order of `days`, wrapping around.
  function after(candidates, days, lastDay) {
    var order = days.map(function (d) { return d.day; });
    var start = order.indexOf(lastDay);
    if (start < 0) return candidates[0];
    var best = null;
    var bestRank = Infinity;
    candidates.forEach(function (d) {
      var rank = (order.indexOf(d.day) - start - 1 + order.length) % order.length;
      if (rank < bestRank) { best = d; bestRank = rank; }
    });
    return best;
  }

  // docs/domain.md "The day due" on the phone's date `on` ("YYYY-MM-DD"): `days` as the API writes
  // them ({day, name, weekdays}), `lastDay` the day of the latest session that has one.
  function dayDue(days, on, lastDay, start) {
    if (!days.length) throw new Error("a prescription has at least one day");
    if (start && on < start) return { day: days[0], rest_day: false };
    var wd = weekday(on);
    for (var i = 0; i < days.length; i++) {
      if ((days[i].weekdays || []).indexOf(wd) >= 0) return { day: days[i], rest_day: false };
    }
    var unpinned = days.filter(function (d) { return !(d.weekdays || []).length; });
    if (unpinned.length) return { day: after(unpinned, days, lastDay), rest_day: false };
    return { day: after(days, days, lastDay), rest_day: true };
  }

  // The day of the latest session with a day: the server's latest ({day, performed_at}) or one of
  // the session bodies this phone holds (logged offline, not yet on the server), whichever is later.
  function latestDay(serverLatest, bodies) {
    var best = serverLatest && serverLatest.day != null ? serverLatest : null;
    (bodies || []).forEach(function (b) {
      if (b.day == null) return;
      if (!best || Date.parse(b.performed_at) > Date.parse(best.performed_at)) best = b;
    });
    return best ? best.day : null;
  }

  // A line's latest own session performed before `on` (the one being logged today is not "last time").
  function lastBefore(candidates, on) {
    return (candidates || []).filter(function (c) { return c.date < on; })[0] || null;
  }

  // "Day B · Thursday", or "Rest day · Thursday".
  function header(day, on, restDay) { return (restDay ? "Rest day" : day.name) + " · " + weekdayName(on); }

  return { localIso: localIso, dateOf: dateOf, weekday: weekday, weekdayName: weekdayName, shortDate: shortDate,
    dayDue: dayDue, latestDay: latestDay, lastBefore: lastBefore, header: header };
});
