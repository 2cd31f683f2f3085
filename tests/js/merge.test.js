// The phone's merge module (static/client/merge.js): a table of cases, run by `node --test tests/js/`.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");

const { canon, missingFrom, merge } = require(path.join(__dirname, "..", "..", "static", "client", "merge.js"));

const rdl = (extra) => ({ exercise: "romanian-deadlift", side: "both", reps: 10, load: 60, unit: "kg", faults: [], ...extra });

test("canon: same content, same key", async (t) => {
  const same = [
    ["key order does not matter", rdl(), { unit: "kg", load: 60, reps: 10, side: "both", exercise: "romanian-deadlift", faults: [] }],
    ["a load as text equals the number", rdl({ load: "60.00" }), rdl({ load: 60 })],
    ["an RPE as text equals the number", rdl({ rpe: "7.5" }), rdl({ rpe: 7.5 })],
    ["faults in any order", rdl({ faults: ["back-rounds", "knees-forward"] }), rdl({ faults: ["knees-forward", "back-rounds"] })],
    ["no faults equals empty faults", { ...rdl(), faults: undefined }, rdl()],
    ["a missing optional equals null", rdl(), rdl({ rpe: null, pain: null, tempo_kept: null, seconds: null })],
    ["the server's set id and video do not count", rdl({ id: "a", video: null, coach_faults: [] }), rdl()],
  ];
  for (const [name, a, b] of same) {
    await t.test(name, () => assert.equal(canon(a), canon(b)));
  }
});

test("canon: different content, different key", async (t) => {
  const different = [
    ["reps", rdl({ reps: 9 }), rdl()],
    ["load", rdl({ load: 62.5 }), rdl()],
    ["unit", rdl({ unit: "lb" }), rdl()],
    ["side", rdl({ side: "left" }), rdl()],
    ["a hold's seconds are not reps", { ...rdl(), reps: undefined, seconds: 10 }, rdl()],
    ["pain 0 is not unnoted pain", rdl({ pain: 0 }), rdl()],
    ["tempo missed is not tempo unnoted", rdl({ tempo_kept: false }), rdl()],
    ["a fault", rdl({ faults: ["back-rounds"] }), rdl()],
  ];
  for (const [name, a, b] of different) {
    await t.test(name, () => assert.notEqual(canon(a), canon(b)));
  }
});

test("missingFrom: the sets the reference lacks, repeats counted", async (t) => {
  const cases = [
    ["nothing stored: every set", [rdl(), rdl({ reps: 9 })], [], [rdl(), rdl({ reps: 9 })]],
    ["no reference at all: every set", [rdl()], undefined, [rdl()]],
    ["all stored: none", [rdl(), rdl({ reps: 9 })], [canon(rdl({ reps: 9 })), canon(rdl())], []],
    ["two equal sets, one stored: one left", [rdl(), rdl()], [canon(rdl())], [rdl()]],
    ["stored sets the local copy lacks change nothing", [rdl()], [canon(rdl()), canon(rdl({ reps: 8 }))], []],
    ["no local sets: none", [], [canon(rdl())], []],
  ];
  for (const [name, sets, reference, expected] of cases) {
    await t.test(name, () => assert.deepEqual(missingFrom(sets, reference), expected));
  }
});

test("merge: the server's copy plus every local set it lacks, never a set lost", async (t) => {
  const local = (extra) => ({
    id: "s1", assignment: 7, performed_at: "2026-12-01T08:00:00+01:00", client_modified_at: "2026-12-01T08:30:00+01:00",
    notes: "", sets: [rdl()], ...extra,
  });
  const stored = (extra) => ({
    id: "s1", assignment: 7, performed_at: "2026-12-01T07:59:00Z", client_modified_at: "2026-12-01T07:40:00Z",
    notes: "", sets: [rdl()], ...extra,
  });
  const at = "2026-12-01T08:40:00.001+01:00";
  const cases = [
    ["same sets: the server's, once", local(), stored(), { sets: [rdl()], notes: "" }],
    ["a set only here is added after the server's", local({ sets: [rdl(), rdl({ reps: 9 })] }), stored(),
      { sets: [rdl(), rdl({ reps: 9 })], notes: "" }],
    ["a set only on the server is kept", local(), stored({ sets: [rdl(), rdl({ side: "left" })] }),
      { sets: [rdl(), rdl({ side: "left" })], notes: "" }],
    ["both added sets: the server's first, then ours", local({ sets: [rdl(), rdl({ reps: 8 })] }),
      stored({ sets: [rdl(), rdl({ reps: 7 })] }), { sets: [rdl(), rdl({ reps: 7 }), rdl({ reps: 8 })], notes: "" }],
    ["nothing stored (gone): the local copy", local({ sets: [rdl(), rdl({ reps: 9 })] }), null,
      { sets: [rdl(), rdl({ reps: 9 })], notes: "" }],
    ["notes only on the server are kept", local(), stored({ notes: "felt good" }), { sets: [rdl()], notes: "felt good" }],
    ["different notes: the server's, then ours", local({ notes: "tight" }), stored({ notes: "felt good" }),
      { sets: [rdl()], notes: "felt good\ntight" }],
    ["the same notes once", local({ notes: "tight" }), stored({ notes: "tight" }), { sets: [rdl()], notes: "tight" }],
  ];
  for (const [name, mine, theirs, expected] of cases) {
    await t.test(name, () => {
      const merged = merge(mine, theirs, at);
      assert.deepEqual(merged.sets, expected.sets);
      assert.equal(merged.notes, expected.notes);
      assert.equal(merged.id, "s1");
      assert.equal(merged.assignment, 7);
      assert.equal(merged.client_modified_at, at);
      assert.equal(merged.performed_at, theirs ? theirs.performed_at : mine.performed_at);
    });
  }
});

test("merge does not change its inputs", () => {
  const mine = { id: "s1", assignment: 7, performed_at: "x", client_modified_at: "y", notes: "a", sets: [rdl()] };
  const theirs = { id: "s1", performed_at: "x", client_modified_at: "z", notes: "b", sets: [rdl({ reps: 9 })] };
  const before = JSON.stringify([mine, theirs]);
  merge(mine, theirs, "w");
  assert.equal(JSON.stringify([mine, theirs]), before);
});

test("merge keeps the session's training day", async (t) => {
  const body = (extra) => ({ id: "s1", assignment: 7, performed_at: "x", client_modified_at: "y", notes: "", sets: [rdl()], ...extra });
  const cases = [
    ["the phone's day", body({ day: 2 }), body({ day: 2, sets: [] }), 2],
    ["the phone's day when the server has none yet", body({ day: 2 }), body({ day: null, sets: [] }), 2],
    ["the server's day when the phone's body has none", body(), body({ day: 1, sets: [] }), 1],
    ["no server copy", body({ day: 3 }), null, 3],
  ];
  for (const [name, mine, theirs, day] of cases) {
    await t.test(name, () => assert.equal(merge(mine, theirs, "w").day, day));
  }
  await t.test("dayless stays without a day", () => assert.equal("day" in merge(body(), body({ sets: [] }), "w"), false));
});

test("merge keeps the server's set ids and the phone's own", async (t) => {
  const body = (sets, extra) => ({ id: "s1", assignment: 7, performed_at: "x", client_modified_at: "y", notes: "", sets, ...extra });
  let n = 0;
  const newId = () => `new-${++n}`;
  const cases = [
    ["a set both have keeps the server's id", [rdl({ id: "p1" })], [rdl({ id: "s-a" })], [rdl({ id: "s-a" })]],
    ["a set only on the phone keeps its id", [rdl({ id: "p1" }), rdl({ id: "p2", reps: 9 })], [rdl({ id: "p1" })],
      [rdl({ id: "p1" }), rdl({ id: "p2", reps: 9 })]],
    ["a set edited on both devices: the server's, and ours as a new set with a new id",
      [rdl({ id: "p1", reps: 8 })], [rdl({ id: "p1", reps: 7 })], [rdl({ id: "p1", reps: 7 }), rdl({ id: "new-1", reps: 8 })]],
    ["sets without ids stay without", [rdl(), rdl({ reps: 9 })], [rdl()], [rdl(), rdl({ reps: 9 })]],
    ["the server's coach tags and video stay on its sets",
      [rdl({ id: "p1" })], [rdl({ id: "p1", coach_faults: [{ fault: "rounded_back" }], video: null })],
      [rdl({ id: "p1", coach_faults: [{ fault: "rounded_back" }], video: null })]],
  ];
  for (const [name, mine, theirs, expected] of cases) {
    await t.test(name, () => {
      n = 0;
      assert.deepEqual(merge(body(mine), body(theirs), "w", newId).sets, expected);
    });
  }
  await t.test("without an id maker a taken id is left to the server", () => {
    const merged = merge(body([rdl({ id: "p1", reps: 8 })]), body([rdl({ id: "p1", reps: 7 })]), "w");
    assert.deepEqual(merged.sets, [rdl({ id: "p1", reps: 7 }), rdl({ reps: 8 })]);
  });
  await t.test("merged ids are never repeated", () => {
    const merged = merge(body([rdl({ id: "a", reps: 1 }), rdl({ id: "a", reps: 2 })]), body([rdl({ id: "a", reps: 3 })]), "w", newId);
    const ids = merged.sets.map((s) => s.id);
    assert.equal(new Set(ids).size, ids.length);
  });
});
