/* Hinge Coach: merging two copies of one session, with no browser and no clock (pure).
 *
 * Two copies of a set are the same set when their content is (`canon`; a set's id does not
 * count: an older phone's sets had none). A write the server calls stale (another device changed
 * the session later) is merged, never dropped: the server's sets, with their ids, plus every local
 * set it does not have (`missingFrom`), as a newer write. A local set whose id a server set of
 * other content holds (both devices edited it) is kept as a new set, with a new id.
 * Loaded by the phone's pages as `window.HingeMerge` and by node's test runner (tests/js/).
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.HingeMerge = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  function orNull(value) { return value == null ? null : value; }

  // One string per set content: equal for the same set, whatever the key order or number form.
  function canon(s) {
    return JSON.stringify([s.exercise, s.side, orNull(s.reps), orNull(s.seconds), Number(s.load), s.unit,
      s.rpe == null ? null : Number(s.rpe), orNull(s.tempo_kept), (s.faults || []).slice().sort(), orNull(s.pain)]);
  }

  // The sets of `sets` not in `reference` (canon strings), counting repeats: two equal sets
  // against one in the reference leave one.
  function missingFrom(sets, reference) {
    var pool = {};
    (reference || []).forEach(function (c) { pool[c] = (pool[c] || 0) + 1; });
    return (sets || []).filter(function (s) {
      var c = canon(s);
      if (pool[c]) { pool[c] -= 1; return false; }
      return true;
    });
  }

  // The local sets to add to the server's: their ids kept unless a server set (or an earlier
  // added one) has it; then `newId()` makes one, or without it the id is left to the server.
  function withFreeIds(extra, serverSets, newId) {
    var taken = {};
    serverSets.forEach(function (s) { if (s.id) taken[s.id] = true; });
    return extra.map(function (s) {
      if (!s.id || !taken[s.id]) {
        if (s.id) taken[s.id] = true;
        return s;
      }
      var copy = Object.assign({}, s);
      delete copy.id;
      if (newId) { copy.id = newId(); taken[copy.id] = true; }
      return copy;
    });
  }

  // The local body merged into the server's stored copy, stamped `modifiedAt` (later than the
  // stored client_modified_at; the caller's clock makes it). The training day is the phone's
  // (the day the client logged it on), else the server's. `newId` (optional) makes a set id.
  function merge(local, stored, modifiedAt, newId) {
    var serverSets = (stored && stored.sets) || [];
    var extra = withFreeIds(missingFrom(local.sets, serverSets.map(canon)), serverSets, newId);
    var notes = local.notes || "";
    if (stored && stored.notes && stored.notes !== notes) notes = notes ? stored.notes + "\n" + notes : stored.notes;
    var day = local.day != null ? local.day : (stored && stored.day != null ? stored.day : null);
    var out = {
      id: local.id,
      assignment: local.assignment,
      performed_at: (stored && stored.performed_at) || local.performed_at,
      client_modified_at: modifiedAt,
      notes: notes,
      sets: serverSets.concat(extra),
    };
    // A session without a day stays a body without one (dayless, as docs/api.md allows).
    if (day != null) out.day = day;
    return out;
  }

  return { canon: canon, missingFrom: missingFrom, merge: merge };
});
