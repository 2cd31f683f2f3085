// The phone's day-due module (static/client/days.js): run by `node --test tests/js/`.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");

const D = require(path.join(__dirname, "..", "..", "static", "client", "days.js"));
const table = require(path.join(__dirname, "day_due_cases.json"));

const asDays = (rows) => rows.map(([day, name, weekdays]) => ({ day, name, weekdays }));

test("dayDue: the server's table (programs.days.day_due)", async (t) => {
  for (const c of table.cases) {
    await t.test(c.name, () => {
      const due = D.dayDue(asDays(c.days), c.on, c.last, c.start || null);
      assert.deepEqual([due.day.day, due.rest_day], [c.due, c.rest]);
    });
  }
});

test("dayDue: no days is an error, as on the server", () => {
  assert.throws(() => D.dayDue([], "2026-11-12", null, null));
});

test("weekday counts from Monday, as programs.days does", () => {
  assert.equal(D.weekday("2026-11-09"), 0);
  assert.equal(D.weekday("2026-11-15"), 6);
  assert.equal(D.weekdayName("2026-11-12"), "Thursday");
  assert.equal(D.shortDate("2026-11-02"), "2 Nov");
});

test("localIso is the phone's calendar date, whatever UTC says", () => {
  // 00:30 local on the 13th is the 13th, even where UTC is still the 12th.
  assert.equal(D.localIso(new Date(2026, 10, 13, 0, 30)), "2026-11-13");
  assert.equal(D.dateOf("2026-11-13T00:30:00.000+09:00"), "2026-11-13");
});

test("latestDay: the later of the server's latest session with a day and this phone's sessions", async (t) => {
  const server = { day: 1, performed_at: "2026-11-10T09:00:00+00:00" };
  const cases = [
    ["nothing anywhere", null, [], null],
    ["only the server's", server, [], 1],
    ["a later session logged offline", server, [{ day: 2, performed_at: "2026-11-11T08:00:00.000+01:00" }], 2],
    ["an earlier one on the phone does not win", server, [{ day: 2, performed_at: "2026-11-09T08:00:00.000+01:00" }], 1],
    ["a dayless one does not count", server, [{ day: null, performed_at: "2026-11-12T08:00:00.000+01:00" }], 1],
    ["only the phone's", null, [{ day: 2, performed_at: "2026-11-11T08:00:00.000+01:00" }], 2],
  ];
  for (const [name, latest, bodies, expected] of cases) {
    await t.test(name, () => assert.equal(D.latestDay(latest, bodies), expected));
  }
});

test("lastBefore: the latest own session before the phone's today", () => {
  const candidates = [{ date: "2026-11-12", session: "today" }, { date: "2026-11-09", session: "monday" }];
  assert.equal(D.lastBefore(candidates, "2026-11-12").session, "monday");
  assert.equal(D.lastBefore(candidates, "2026-11-13").session, "today");
  assert.equal(D.lastBefore(candidates, "2026-11-09"), null);
  assert.equal(D.lastBefore([], "2026-11-12"), null);
});

test("header: the day's name and the weekday, or a rest day", () => {
  assert.equal(D.header({ day: 2, name: "Day B" }, "2026-11-12", false), "Day B · Thursday");
  assert.equal(D.header({ day: 2, name: "Day B" }, "2026-11-11", true), "Rest day · Wednesday");
});
