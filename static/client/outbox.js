/* Hinge Coach offline outbox: the one store and the one retry queue of the phone's sessions.
 *
 * One store: every session this phone logs is kept in IndexedDB (through the vendored `idb`)
 * under its client-made UUID, the latest whole body (a PUT replaces the session): "pending"
 * until the server acknowledges it, then "acked" (the body the server has). Today reads the
 * session from here; localStorage holds only UI drafts (typed values, the rest timer).
 *
 * One retry queue: this page's outbox. Sent with PUT (one session) or POST .../sync/ (several)
 * to the API paths the page gives in its data attributes, retried with exponential backoff, on
 * the `online` event, when the page is shown again, from "Sync now", and when the service
 * worker's Background Sync `sync` event asks the page to flush (Chromium; Safari and Firefox
 * have no Background Sync). Not Workbox's background-sync queue: it replays the stored request
 * blindly, so it could neither merge a stale write with the server's copy nor show a rejected
 * one to the client, and two queues sent every change twice.
 *
 * A write the server calls stale (another device changed the session later) is merged
 * (merge.js), never dropped: the server's sets plus every local set it does not have, sent again
 * as a newer write. A write the server refuses (400, 403, 404, or stale again and again) stops
 * retrying and is shown with "Discard" and "Send to my coach as a note" (a new session with
 * notes and no sets, which docs/api.md allows, describing what could not be saved and why).
 */
(function () {
  "use strict";
  var body = document.body;
  var user = body.dataset.user;
  if (!user) return;
  var M = window.HingeMerge;

  var SESSION_URL = body.dataset.apiSession; // with SESSION_ID where the id goes
  var SYNC_URL = body.dataset.apiSync;
  var SYNC_TAG = "hinge-outbox";
  var BATCH_MAX = 500;
  var BACKOFF_BASE_MS = 2000;
  var BACKOFF_MAX_MS = 5 * 60 * 1000;
  var STALE_MERGES_MAX = 3;
  var LAST_SYNC_KEY = "hinge:u" + user + ":last-sync";

  var listeners = { merged: [], change: [], discarded: [] };
  var busy = false;
  var again = false;
  var retryTimer = null;
  var authProblem = false;
  var lastError = "";
  var noteAssignment = null;

  function sessionUrl(id) { return SESSION_URL.replace("SESSION_ID", encodeURIComponent(id)); }
  function problem(err) {
    // Never silent: the indicator shows it, and the console keeps the details.
    lastError = String((err && err.message) || err);
    if (window.console) console.error("Hinge Coach outbox:", err);
    emit("change");
  }

  // --- IndexedDB (idb) -------------------------------------------------------------------
  var dbPromise = window.idb.openDB("hinge-outbox-u" + user, 1, {
    upgrade: function (d) {
      d.createObjectStore("pending", { keyPath: "id" });
      d.createObjectStore("acked", { keyPath: "id" });
    },
  });
  function getAll(store) { return dbPromise.then(function (d) { return d.getAll(store); }); }

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

  // --- the store -------------------------------------------------------------------------
  function save(sessionBody, merges) {
    var entry = { id: sessionBody.id, body: sessionBody, tries: 0, next_at: 0, error: null, merges: merges || 0 };
    return dbPromise.then(function (d) { return d.put("pending", entry); })
      .then(function () { emit("change"); askForSync(); schedule(300); });
  }
  // The newest body this phone holds of a session (waiting or acknowledged), or null.
  function latestBody(id) {
    return dbPromise.then(function (d) { return Promise.all([d.get("pending", id), d.get("acked", id)]); })
      .then(function (found) { return (found[0] && found[0].body) || (found[1] && found[1].body) || null; });
  }
  function sessions() {
    return Promise.all([getAll("pending"), getAll("acked")]).then(function (stores) {
      var out = {};
      stores[1].forEach(function (a) { if (a.body) out[a.id] = a.body; });
      stores[0].forEach(function (e) { out[e.id] = e.body; });
      return Object.keys(out).map(function (id) { return out[id]; });
    });
  }
  function acknowledge(sent) {
    return dbPromise.then(function (d) {
      var t = d.transaction(["pending", "acked"], "readwrite");
      var pending = t.objectStore("pending");
      pending.get(sent.id).then(function (entry) {
        // A newer change made while this one was in flight stays queued.
        if (entry && entry.body.client_modified_at === sent.client_modified_at) return pending.delete(sent.id);
        return null;
      });
      // acked_at: History (offline) shows what synced after its copy of the page was made.
      t.objectStore("acked").put({ id: sent.id, cma: sent.client_modified_at, sets: sent.sets.map(M.canon), body: sent,
        acked_at: Date.now() });
      return t.done;
    }).then(function () {
      localStorage.setItem(LAST_SYNC_KEY, String(Date.now()));
    });
  }
  function update(entry) {
    return dbPromise.then(function (d) {
      var t = d.transaction("pending", "readwrite");
      t.store.get(entry.id).then(function (current) {
        if (current && current.body.client_modified_at === entry.body.client_modified_at) return t.store.put(entry);
        return null;
      });
      return t.done;
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
  function reject(entry, status, message) {
    // Refused: no retry would change the answer, so it waits for the client's choice.
    entry.error = message;
    entry.status = status;
    return update(entry);
  }

  function resolveStale(entry, stored) {
    if ((entry.merges || 0) >= STALE_MERGES_MAX) {
      return reject(entry, 409, "this session keeps changing on another device");
    }
    var fetchStored = stored && stored.sets ? Promise.resolve(stored) :
      fetch(sessionUrl(entry.id), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; });
    return Promise.all([fetchStored, latestBody(entry.id)]).then(function (both) {
      // Merge the newest local body: a set logged while this write was in flight counts too.
      var local = both[1] || entry.body;
      var merged = M.merge(local, both[0], stamp(both[0] && both[0].client_modified_at), newId);
      emit("merged", merged);
      return save(merged, (entry.merges || 0) + 1);
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
    if (typeof errors.detail === "string") return errors.detail;
    var key = Object.keys(errors)[0];
    var value = errors[key];
    while (Array.isArray(value) || (value && typeof value === "object")) {
      if (Array.isArray(value)) value = value.filter(function (v) { return v && (typeof v !== "object" || Object.keys(v).length); })[0];
      else { key = Object.keys(value)[0]; value = value[key]; }
    }
    return key + ": " + value;
  }
  function json(response) { return response.json().catch(function () { return null; }); }
  function onStatus(entry, response) {
    var status = response.status;
    if (status === 200 || status === 201) { authProblem = false; return acknowledge(entry.body); }
    if (status === 409) return json(response).then(function (s) { return resolveStale(entry, s); });
    if (status === 401) { authProblem = true; return backoff(entry); }
    if (status === 400 || status === 403 || status === 404) {
      return json(response).then(function (errors) {
        var message = firstError(errors);
        // Signed out or an old CSRF token: signing in again sends it, so it keeps waiting.
        if (status === 403 && /credentials|CSRF|not authenticated/i.test(message)) {
          authProblem = true;
          return backoff(entry);
        }
        return reject(entry, status, message);
      });
    }
    var retryAfter = parseInt(response.headers.get("Retry-After") || "0", 10);
    return backoff(entry, retryAfter);
  }

  function putOne(entry) {
    return send(sessionUrl(entry.id), "PUT", entry.body)
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
          if (result.status === "rejected") return reject(entry, 400, firstError(result.errors));
          return acknowledge(entry.body);
        }));
      });
    }, function () {
      return Promise.all(entries.map(function (e) { return backoff(e); }));
    });
  }

  function flush(force) {
    if (busy) { again = true; return Promise.resolve(); }
    busy = true;
    return getAll("pending").then(function (entries) {
      var now = Date.now();
      var due = entries.filter(function (e) { return !e.error && (force || e.next_at <= now); });
      if (!due.length) return null;
      lastError = "";
      if (due.length === 1) return putOne(due[0]);
      return syncMany(due.slice(0, BATCH_MAX));
    }).catch(problem).then(function () {
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
    }).catch(problem);
  }

  // --- a refused write: the client's choice ----------------------------------------------
  function discard(id) {
    return dbPromise.then(function (d) { return d.delete("pending", id); })
      .then(function () { emit("discarded", id); emit("change"); });
  }
  function describeSet(s) {
    var amount = s.seconds != null ? s.seconds + " s" : s.reps + " reps";
    var side = s.side && s.side !== "both" ? s.side + " " : "";
    return s.exercise + ": " + side + amount + (Number(s.load) > 0 ? " at " + s.load + " " + s.unit : "");
  }
  function sendAsNote(id) {
    return dbPromise.then(function (d) { return d.get("pending", id); }).then(function (entry) {
      if (!entry) return null;
      var old = entry.body;
      var text = ["My session of " + old.performed_at.slice(0, 10) + " could not be saved (" + entry.error + ").",
        "What I logged:"].concat(old.sets.map(describeSet));
      if (old.notes) text.push("My notes: " + old.notes);
      var now = Date.now();
      var note = { id: newId(), assignment: noteAssignment || old.assignment, performed_at: isoLocal(now),
        client_modified_at: isoLocal(now), notes: text.join("\n").slice(0, 5000), sets: [] };
      return dbPromise.then(function (d) {
        var t = d.transaction("pending", "readwrite");
        t.store.delete(id);
        t.store.put({ id: note.id, body: note, tries: 0, next_at: 0, error: null, merges: 0 });
        return t.done;
      }).then(function () { emit("discarded", id); emit("change"); return flush(true); });
    });
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return x.toString(16).padStart(2, "0"); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function status() {
    return Promise.all([getAll("pending"), getAll("acked")]).then(function (stores) {
      var acked = {};
      stores[1].forEach(function (a) { acked[a.id] = a.sets; });
      var sets = 0;
      var changes = 0;
      var errors = [];
      var refused = [];
      stores[0].forEach(function (e) {
        var n = M.missingFrom(e.body.sets, acked[e.id]).length;
        sets += n;
        if (!n) changes += 1;
        if (e.error) {
          errors.push(e.error);
          refused.push({ id: e.id, error: e.error, status: e.status || null, performed_at: e.body.performed_at,
            sets: e.body.sets.length });
        }
      });
      var last = parseInt(localStorage.getItem(LAST_SYNC_KEY) || "0", 10);
      return { sets: sets, changes: changes, sessions: stores[0].length, errors: errors, refused: refused,
        lastSync: last || null, online: navigator.onLine, auth: authProblem, problem: lastError };
    });
  }

  // --- the indicator and the refused writes ----------------------------------------------
  var box = document.getElementById("sync");
  var text = document.getElementById("sync-status");
  var button = document.getElementById("sync-now");
  var refusedBox = document.getElementById("outbox-refused");
  function clock(ms) {
    var d = new Date(ms);
    var today = new Date().toDateString() === d.toDateString();
    var time = pad(d.getHours()) + ":" + pad(d.getMinutes());
    return today ? time : d.toLocaleDateString(undefined, { day: "numeric", month: "short" }) + " " + time;
  }
  // An element with a class and text (History builds its cards with it too).
  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content != null) node.textContent = content;
    return node;
  }
  function renderRefused(refused) {
    if (!refusedBox) return;
    refusedBox.textContent = "";
    refusedBox.hidden = !refused.length;
    refused.forEach(function (r) {
      var item = el("div", "refused-item");
      item.dataset.session = r.id;
      var what = r.sets === 1 ? "1 set" : r.sets + " sets";
      var reason = String(r.error).replace(/[.\s]+$/, "");
      item.appendChild(el("p", null, "Your coach's server did not accept the session of " + r.performed_at.slice(0, 10) +
        " (" + what + "): " + reason + "."));
      var actions = el("div", "actions");
      var noteButton = el("button", "small", "Send to my coach as a note");
      noteButton.type = "button";
      noteButton.addEventListener("click", function () { noteButton.disabled = true; sendAsNote(r.id).catch(problem); });
      var discardButton = el("button", "small quiet", "Discard");
      discardButton.type = "button";
      discardButton.addEventListener("click", function () { discardButton.disabled = true; discard(r.id).catch(problem); });
      actions.appendChild(noteButton);
      actions.appendChild(discardButton);
      item.appendChild(actions);
      refusedBox.appendChild(item);
    });
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
      if (s.problem) parts.push("problem: " + s.problem);
      if (s.lastSync) parts.push("last sync " + clock(s.lastSync));
      text.textContent = parts.join(" · ");
      box.hidden = false;
      box.dataset.waiting = String(s.sets + s.changes);
      box.classList.toggle("waiting", s.sessions > 0);
      box.classList.toggle("offline", !s.online);
      button.hidden = s.sessions === 0;
      renderRefused(s.refused);
    }).catch(function (err) {
      if (window.console) console.error("Hinge Coach outbox:", err);
      text.textContent = "This phone cannot read its saved sets: " + String((err && err.message) || err);
    });
  }
  function emit(name, value) {
    if (name === "change") render();
    listeners[name].forEach(function (fn) { fn(value); });
  }

  // --- the service worker: Background Sync asks this page to flush ------------------------
  function askForSync() {
    if (!navigator.serviceWorker) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register(SYNC_TAG);
      return null;
    }).catch(function (err) {
      // Background Sync may be off (a setting, or a private window): the page's retries remain.
      if (window.console) console.warn("Hinge Coach outbox: no Background Sync", err);
    });
  }
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      var data = event.data || {};
      if (data.type !== "flush") return;
      var port = event.ports && event.ports[0];
      flush(true).then(status).then(function (s) {
        if (port) port.postMessage({ waiting: s.sessions - s.refused.length });
      }, function (err) {
        problem(err);
        if (port) port.postMessage({ waiting: -1 });
      });
    });
  }

  function syncNow() { return flush(true); }

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
    navigator.serviceWorker.register(body.dataset.sw, { scope: "/" }).catch(function (err) {
      // The page still works online; only the offline copy is missing.
      if (window.console) console.warn("Hinge Coach: the offline copy is not available", err);
    });
  }

  window.HingeOutbox = {
    save: save,
    flush: flush,
    syncNow: syncNow,
    status: status,
    latest: latestBody,
    sessions: sessions,
    discard: discard,
    sendAsNote: sendAsNote,
    // The sessions this phone holds that the server has not acknowledged yet (History shows them).
    pending: function () {
      return getAll("pending").then(function (entries) {
        return entries.map(function (e) { return { body: e.body, error: e.error }; });
      });
    },
    // The sessions the server has acknowledged, with when (this phone's clock).
    synced: function () {
      return getAll("acked").then(function (entries) {
        return entries.filter(function (a) { return a.body; }).map(function (a) {
          return { body: a.body, acked_at: a.acked_at || 0 };
        });
      });
    },
    // Where a note about a refused session goes when the page knows the client's program.
    noteTo: function (assignment) { noteAssignment = assignment; },
    uuid: newId,
    el: el,
    stamp: stamp,
    isoLocal: isoLocal,
    on: function (name, fn) { listeners[name].push(fn); },
  };
  render();
  flush(false);
})();
