/* Hinge Coach offline outbox.
 *
 * Every change to a session is kept in IndexedDB under the session's client-made UUID (the
 * latest whole body: a PUT replaces the session) until the server acknowledges it. Sent with
 * PUT /api/v1/sessions/{uuid}/ (one session) or POST /api/v1/sessions/sync/ (several), retried
 * with exponential backoff, on the `online` event, when the page is shown again and from the
 * "Sync now" button (Safari and Firefox have no Background Sync). The service worker's Workbox
 * queue is a second line for Chromium when the page is closed. Replays are harmless: the server
 * answers "unchanged" for the same body and client_modified_at.
 *
 * A write the server calls stale (another device changed the session later) is merged, never
 * dropped: the server's sets plus every local set it does not have, sent again as a newer write.
 */
(function () {
  "use strict";
  var body = document.body;
  var user = body.dataset.user;
  if (!user) return;

  var SESSION_URL = "/api/v1/sessions/";
  var SYNC_URL = "/api/v1/sessions/sync/";
  var BATCH_MAX = 500;
  var BACKOFF_BASE_MS = 2000;
  var BACKOFF_MAX_MS = 5 * 60 * 1000;
  var LAST_SYNC_KEY = "hinge:u" + user + ":last-sync";

  var listeners = { merged: [], change: [] };
  var busy = false;
  var again = false;
  var retryTimer = null;
  var authProblem = false;
  var lastError = "";

  // --- IndexedDB -----------------------------------------------------------------------
  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open("hinge-outbox-u" + user, 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore("pending", { keyPath: "id" });
          request.result.createObjectStore("acked", { keyPath: "id" });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }
  function tx(stores, mode, work) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction(stores, mode);
        var result;
        t.oncomplete = function () { resolve(result); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
        result = work.apply(null, stores.map(function (s) { return t.objectStore(s); }));
      });
    });
  }
  function getAll(store) {
    return tx([store], "readonly", function (s) {
      var out = [];
      s.openCursor().onsuccess = function (e) {
        var c = e.target.result;
        if (c) { out.push(c.value); c.continue(); }
      };
      return out;
    });
  }

  // --- sets: identity by content (the API's sets carry no id) ----------------------------
  function canon(s) {
    return JSON.stringify([s.exercise, s.side, s.reps == null ? null : s.reps, s.seconds == null ? null : s.seconds,
      Number(s.load), s.unit, s.rpe == null ? null : Number(s.rpe), s.tempo_kept == null ? null : s.tempo_kept,
      (s.faults || []).slice().sort(), s.pain == null ? null : s.pain]);
  }
  function missingFrom(sets, reference) {
    var pool = {};
    (reference || []).forEach(function (c) { pool[c] = (pool[c] || 0) + 1; });
    return sets.filter(function (s) {
      var c = canon(s);
      if (pool[c]) { pool[c] -= 1; return false; }
      return true;
    });
  }

  // --- time ------------------------------------------------------------------------------
  function pad(n, w) { return String(Math.abs(n)).padStart(w || 2, "0"); }
  function isoLocal(ms) {
    var d = new Date(ms);
    var off = -d.getTimezoneOffset();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" +
      pad(d.getMinutes()) + ":" + pad(d.getSeconds()) + "." + pad(d.getMilliseconds(), 3) +
      (off >= 0 ? "+" : "-") + pad(Math.floor(Math.abs(off) / 60)) + ":" + pad(Math.abs(off) % 60);
  }
  var lastStamp = 0;
  function stamp(after) {
    // client_modified_at strictly increases on this device, and passes a stored time we merge with.
    var floor = after ? Date.parse(after) + 1 : 0;
    lastStamp = Math.max(Date.now(), lastStamp + 1, floor);
    return isoLocal(lastStamp);
  }

  // --- the outbox --------------------------------------------------------------------------
  function save(sessionBody) {
    var entry = { id: sessionBody.id, body: sessionBody, tries: 0, next_at: 0, error: null };
    return tx(["pending"], "readwrite", function (s) { s.put(entry); })
      .then(function () { emit("change"); schedule(300); });
  }
  function ensure(sessionBody) {
    // After a crash between localStorage and IndexedDB: put back what the server has not had.
    return tx(["pending", "acked"], "readonly", function (p, a) {
      var out = {};
      p.get(sessionBody.id).onsuccess = function (e) { out.pending = e.target.result; };
      a.get(sessionBody.id).onsuccess = function (e) { out.acked = e.target.result; };
      return out;
    }).then(function (found) {
      var known = (found.pending && found.pending.body.client_modified_at) || (found.acked && found.acked.cma);
      if (!known || Date.parse(known) < Date.parse(sessionBody.client_modified_at)) return save(sessionBody);
      return null;
    });
  }
  function acknowledge(sent) {
    return tx(["pending", "acked"], "readwrite", function (p, a) {
      p.get(sent.id).onsuccess = function (e) {
        var entry = e.target.result;
        // A newer change made while this one was in flight stays queued.
        if (entry && entry.body.client_modified_at === sent.client_modified_at) p.delete(sent.id);
      };
      a.put({ id: sent.id, cma: sent.client_modified_at, sets: sent.sets.map(canon) });
    }).then(function () {
      localStorage.setItem(LAST_SYNC_KEY, String(Date.now()));
    });
  }
  function update(entry) {
    return tx(["pending"], "readwrite", function (s) {
      s.get(entry.id).onsuccess = function (e) {
        var current = e.target.result;
        if (current && current.body.client_modified_at === entry.body.client_modified_at) s.put(entry);
      };
    });
  }
  function backoff(entry, retryAfterSeconds) {
    entry.tries += 1;
    var wait = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * Math.pow(2, entry.tries - 1));
    wait = wait * (0.5 + Math.random());
    if (retryAfterSeconds) wait = Math.max(wait, retryAfterSeconds * 1000);
    entry.next_at = Date.now() + wait;
    return update(entry);
  }

  function merge(local, stored) {
    var serverSets = (stored && stored.sets) || [];
    var extra = missingFrom(local.sets, serverSets.map(canon));
    var notes = local.notes || "";
    if (stored && stored.notes && stored.notes !== notes) notes = notes ? stored.notes + "\n" + notes : stored.notes;
    return {
      id: local.id,
      assignment: local.assignment,
      performed_at: (stored && stored.performed_at) || local.performed_at,
      client_modified_at: stamp(stored && stored.client_modified_at),
      notes: notes,
      sets: serverSets.concat(extra),
    };
  }
  function latest(entry) {
    return tx(["pending"], "readonly", function (s) {
      var out = {};
      s.get(entry.id).onsuccess = function (e) { out.entry = e.target.result; };
      return out;
    }).then(function (found) { return (found.entry || entry).body; });
  }
  function resolveStale(entry, stored) {
    var fetchStored = stored && stored.sets ? Promise.resolve(stored) :
      fetch(SESSION_URL + entry.id + "/", { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; });
    return Promise.all([fetchStored, latest(entry)]).then(function (both) {
      // Merge the newest local body: a set logged while this write was in flight counts too.
      var merged = merge(both[1], both[0]);
      emit("merged", merged);
      return save(merged);
    });
  }

  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }
  function send(url, method, payload) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(payload),
    });
  }
  function firstError(errors) {
    if (!errors || typeof errors !== "object") return "the server refused it";
    var key = Object.keys(errors)[0];
    var value = errors[key];
    while (Array.isArray(value) || (value && typeof value === "object")) {
      if (Array.isArray(value)) value = value.filter(function (v) { return v && (typeof v !== "object" || Object.keys(v).length); })[0];
      else { key = Object.keys(value)[0]; value = value[key]; }
    }
    return key + ": " + value;
  }
  function onStatus(entry, response) {
    var status = response.status;
    if (status === 200 || status === 201) { authProblem = false; return acknowledge(entry.body); }
    if (status === 409) return response.json().catch(function () { return null; }).then(function (s) { return resolveStale(entry, s); });
    if (status === 400) {
      return response.json().catch(function () { return null; }).then(function (errors) {
        entry.error = firstError(errors);
        return update(entry);
      });
    }
    if (status === 401 || status === 403) authProblem = true;
    var retryAfter = parseInt(response.headers.get("Retry-After") || "0", 10);
    return backoff(entry, retryAfter);
  }

  function putOne(entry) {
    return send(SESSION_URL + entry.id + "/", "PUT", entry.body)
      .then(function (response) { return onStatus(entry, response); }, function () { return backoff(entry); });
  }
  function syncMany(entries) {
    return send(SYNC_URL, "POST", { sessions: entries.map(function (e) { return e.body; }) }).then(function (response) {
      if (response.status !== 200) {
        return Promise.all(entries.map(function (e) { return onStatus(e, response.clone()); }));
      }
      return response.json().then(function (data) {
        authProblem = false;
        return Promise.all((data.results || []).map(function (result, i) {
          var entry = entries[i];
          if (!entry) return null;
          if (result.status === "stale") return resolveStale(entry, null);
          if (result.status === "rejected") { entry.error = firstError(result.errors); return update(entry); }
          return acknowledge(entry.body);
        }));
      });
    }, function () {
      return Promise.all(entries.map(function (e) { return backoff(e); }));
    });
  }

  function flush(force) {
    if (busy) { again = true; return Promise.resolve(); }
    // Offline too: the attempt fails at once, and the service worker keeps the request in its
    // Workbox queue, which Chromium replays by Background Sync even after the tab is closed.
    busy = true;
    return getAll("pending").then(function (entries) {
      var now = Date.now();
      var due = entries.filter(function (e) { return !e.error && (force || e.next_at <= now); });
      if (!due.length) return null;
      if (due.length === 1) return putOne(due[0]);
      return syncMany(due.slice(0, BATCH_MAX));
    }).catch(function (err) {
      lastError = String(err);
    }).then(function () {
      busy = false;
      emit("change");
      if (again) { again = false; return flush(force); }
      return planRetry();
    });
  }
  function schedule(ms) {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(function () { flush(false); }, ms);
  }
  function planRetry() {
    return getAll("pending").then(function (entries) {
      var waiting = entries.filter(function (e) { return !e.error; });
      if (!waiting.length) return;
      var next = Math.min.apply(null, waiting.map(function (e) { return e.next_at; }));
      schedule(Math.max(500, next - Date.now()));
    });
  }

  function status() {
    return Promise.all([getAll("pending"), getAll("acked")]).then(function (stores) {
      var acked = {};
      stores[1].forEach(function (a) { acked[a.id] = a.sets; });
      var sets = 0;
      var changes = 0;
      var errors = [];
      stores[0].forEach(function (e) {
        var n = missingFrom(e.body.sets, acked[e.id]).length;
        sets += n;
        if (!n) changes += 1;
        if (e.error) errors.push(e.error);
      });
      var last = parseInt(localStorage.getItem(LAST_SYNC_KEY) || "0", 10);
      return { sets: sets, changes: changes, sessions: stores[0].length, errors: errors, lastSync: last || null,
        online: navigator.onLine, auth: authProblem };
    });
  }

  // --- the indicator ---------------------------------------------------------------------
  var box = document.getElementById("sync");
  var text = document.getElementById("sync-status");
  var button = document.getElementById("sync-now");
  function clock(ms) {
    var d = new Date(ms);
    var today = new Date().toDateString() === d.toDateString();
    var time = pad(d.getHours()) + ":" + pad(d.getMinutes());
    return today ? time : d.toLocaleDateString(undefined, { day: "numeric", month: "short" }) + " " + time;
  }
  function render() {
    if (!box) return Promise.resolve();
    return status().then(function (s) {
      var parts = [];
      if (s.sets) parts.push(s.sets + (s.sets === 1 ? " set" : " sets") + " waiting to sync");
      else if (s.sessions) parts.push(s.sessions === 1 ? "1 change waiting to sync" : s.sessions + " changes waiting to sync");
      else if (s.lastSync) parts.push("All sets synced");
      else parts.push("Nothing to sync yet");
      if (!s.online) parts.unshift("Offline");
      if (!s.online && s.sessions) parts[1] += " (saved on this phone)";
      if (s.auth) parts.push("sign in again to sync");
      if (s.errors.length) parts.push("not accepted: " + s.errors[0]);
      if (s.lastSync) parts.push("last sync " + clock(s.lastSync));
      text.textContent = parts.join(" · ");
      box.hidden = false;
      box.dataset.waiting = String(s.sets + s.changes);
      box.classList.toggle("waiting", s.sessions > 0);
      box.classList.toggle("offline", !s.online);
      button.hidden = s.sessions === 0;
    });
  }
  function emit(name, value) {
    if (name === "change") render();
    listeners[name].forEach(function (fn) { fn(value); });
  }

  function replayWorker() {
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "replay" });
    }
  }
  function syncNow() {
    replayWorker();
    return flush(true);
  }

  if (button) button.addEventListener("click", function () { syncNow(); });
  window.addEventListener("online", function () { syncNow(); });
  window.addEventListener("offline", function () { emit("change"); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") flush(false);
  });
  setInterval(function () { flush(false); }, 60000);

  var signOut = document.getElementById("sign-out");
  if (signOut) {
    signOut.addEventListener("submit", function (event) {
      var waiting = parseInt((box && box.dataset.waiting) || "0", 10);
      if (waiting && !window.confirm(waiting + " change(s) have not reached your coach yet. Sign out and lose them?")) {
        event.preventDefault();
        return;
      }
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage({ type: "forget" });
      }
    });
  }

  if ("serviceWorker" in navigator && body.dataset.sw) {
    navigator.serviceWorker.register(body.dataset.sw, { scope: "/" }).catch(function () { /* the page still works */ });
  }

  window.HingeOutbox = {
    save: save,
    ensure: ensure,
    flush: flush,
    syncNow: syncNow,
    status: status,
    // The sessions this phone holds that the server has not acknowledged yet (History shows them).
    pending: function () {
      return getAll("pending").then(function (entries) {
        return entries.map(function (e) { return { body: e.body, error: e.error }; });
      });
    },
    stamp: stamp,
    isoLocal: isoLocal,
    on: function (name, fn) { listeners[name].push(fn); },
  };
  render();
  flush(false);
})();
