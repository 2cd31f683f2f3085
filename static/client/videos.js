/* Hinge Coach form videos: "Add video" on a logged set, the upload's progress, and offline waits.
 *
 * A chosen video is first kept in IndexedDB (its own database and object store, "uploads", one
 * entry per set), then sent with XMLHttpRequest (PUT, the raw file, to the set's video URL of the
 * API) so a <progress> bar can follow it. Without signal, or while the set's session itself still
 * waits in the outbox (the server cannot know the set yet), the entry waits and goes once the
 * phone is back online / the session has synced; it is removed from IndexedDB when the server
 * has it, or when the server refuses it for good (not a video, too big, too long: the message
 * says why). One upload per entry at a time, so the `online` event and the outbox's change
 * arriving together never send a video twice.
 *
 * Today builds each logged set's control with `HingeVideos.control(...)`; History enhances its
 * per-set forms (which work without JavaScript, through the page's own upload view).
 */
(function () {
  "use strict";
  var body = document.body;
  var user = body.dataset.user;
  var URL_TEMPLATE = body.dataset.apiSetVideo; // with SESSION_ID and SET_ID
  if (!user || !URL_TEMPLATE || !window.idb) return;
  var outbox = window.HingeOutbox;
  var csrf = "";
  try { csrf = JSON.parse(body.dataset.hxHeaders || "{}")["X-CSRFToken"] || ""; } catch (e) { csrf = ""; }

  var STORE = "uploads";
  var dbPromise = window.idb.openDB("hinge-videos-u" + user, 1, {
    upgrade: function (d) { d.createObjectStore(STORE, { keyPath: "key" }); },
  });
  var states = {}; // key -> {phase, progress, message, url}
  var views = {}; // key -> the control elements showing it
  var sending = {}; // key -> true while its upload runs
  var sent = {}; // key -> the queued_at of the entry the server has (never sent twice)

  function keyOf(session, set) { return session + "/" + set; }
  function urlOf(session, set) {
    return URL_TEMPLATE.replace("SESSION_ID", encodeURIComponent(session)).replace("SET_ID", encodeURIComponent(set));
  }
  function problem(err) { if (window.console) console.error("Hinge Coach videos:", err); }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function paint(key) {
    var s = states[key] || {};
    (views[key] || []).forEach(function (v) {
      v.progress.hidden = s.phase !== "uploading";
      if (s.phase === "uploading") v.progress.value = s.progress || 0;
      v.state.textContent = s.message || "";
      v.state.classList.toggle("error", s.phase === "error");
      if (s.url) { v.watch.href = s.url; v.watch.hidden = false; }
      v.addText.textContent = s.url ? "Replace video" : "Add video";
    });
  }
  function setState(key, next) {
    states[key] = Object.assign({}, states[key] || {}, next);
    paint(key);
  }

  // --- the control on a set ----------------------------------------------------------------
  function control(session, set, videoUrl, label) {
    var key = keyOf(session, set);
    var row = el("div", "set-video-row");
    row.dataset.videoKey = key;
    var add = el("label", "button small video-add");
    var addText = el("span", null, "Add video");
    var input = el("input");
    input.type = "file";
    input.accept = "video/*";
    input.setAttribute("capture", "environment"); // the camera that faces away: filming a set
    input.setAttribute("aria-label", "Add a video of " + (label || "this set"));
    add.appendChild(addText);
    add.appendChild(input);
    var watch = el("a", "watch", "Watch video");
    watch.hidden = true;
    var progress = el("progress");
    progress.max = 100;
    progress.value = 0;
    progress.hidden = true;
    progress.setAttribute("aria-label", "Uploading the video of " + (label || "this set"));
    var state = el("span", "video-state");
    state.setAttribute("role", "status");
    state.setAttribute("aria-live", "polite");
    row.appendChild(add);
    row.appendChild(watch);
    row.appendChild(progress);
    row.appendChild(state);
    views[key] = (views[key] || []).filter(function (v) { return v.row.isConnected; });
    views[key].push({ row: row, watch: watch, progress: progress, state: state, addText: addText });
    if (videoUrl && !(states[key] && states[key].url)) setState(key, { url: videoUrl });
    else paint(key);
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      input.value = "";
      if (file) choose(session, set, file).catch(problem);
    });
    return row;
  }

  // --- the queue ---------------------------------------------------------------------------
  function choose(session, set, file) {
    var key = keyOf(session, set);
    var entry = { key: key, session: session, set: set, blob: file, type: file.type || "", queued_at: Date.now() };
    setState(key, { phase: "waiting", message: "Video kept on this phone…", progress: 0 });
    return dbPromise.then(function (d) { return d.put(STORE, entry); }).then(function () { return flush(); });
  }

  function sessionsWaiting() {
    if (!outbox || !outbox.pending) return Promise.resolve({});
    return outbox.pending().then(function (items) {
      var waiting = {};
      items.forEach(function (item) { if (item.body && item.body.id) waiting[item.body.id] = true; });
      return waiting;
    });
  }

  function flush() {
    return Promise.all([dbPromise.then(function (d) { return d.getAll(STORE); }), sessionsWaiting()]).then(function (both) {
      var entries = both[0];
      var waiting = both[1];
      entries.forEach(function (entry) {
        if (sending[entry.key] || sent[entry.key] === entry.queued_at) return;
        if (!navigator.onLine) {
          setState(entry.key, { phase: "waiting", message: "No signal: the video uploads when you are back online." });
        } else if (waiting[entry.session]) {
          setState(entry.key, { phase: "waiting", message: "The video uploads once this session has synced." });
        } else {
          upload(entry);
        }
      });
    });
  }

  function forget(entry) {
    return dbPromise.then(function (d) {
      // Only the entry sent: a video chosen again meanwhile stays queued.
      return d.get(STORE, entry.key).then(function (now) {
        if (now && now.queued_at === entry.queued_at) return d.delete(STORE, entry.key);
      });
    });
  }

  function refusal(xhr) {
    try {
      var data = JSON.parse(xhr.responseText || "{}");
      if (data.detail) return String(data.detail);
      if (data.video && data.video.length) return String(data.video[0]);
    } catch (e) { /* not JSON */ }
    return "The server refused it (" + xhr.status + ").";
  }

  function upload(entry) {
    var key = entry.key;
    sending[key] = true;
    setState(key, { phase: "uploading", progress: 0, message: "Uploading the video…" });
    var xhr = new XMLHttpRequest();
    xhr.open("PUT", urlOf(entry.session, entry.set));
    xhr.setRequestHeader("Content-Type", entry.type || "application/octet-stream");
    if (csrf) xhr.setRequestHeader("X-CSRFToken", csrf);
    xhr.upload.addEventListener("progress", function (ev) {
      if (ev.lengthComputable) setState(key, { progress: Math.round((ev.loaded / ev.total) * 100) });
    });
    function done() { sending[key] = false; }
    xhr.addEventListener("load", function () {
      done();
      if (xhr.status === 200) {
        sent[key] = entry.queued_at;
        var url = urlOf(entry.session, entry.set);
        try { url = JSON.parse(xhr.responseText).video || url; } catch (e) { /* keep ours */ }
        setState(key, { phase: "done", progress: 100, url: url, message: "Video saved: your coach can watch it." });
        forget(entry).catch(problem);
      } else if ([400, 404, 413, 415].indexOf(xhr.status) !== -1) {
        // Refused for good: sending it again would be refused again.
        sent[key] = entry.queued_at;
        setState(key, { phase: "error", message: "Not saved: " + refusal(xhr) });
        forget(entry).catch(problem);
      } else {
        setState(key, { phase: "waiting", message: "Not uploaded yet (" + xhr.status + "): it is tried again later." });
      }
    });
    xhr.addEventListener("error", function () {
      done();
      setState(key, { phase: "waiting", message: "No signal: the video uploads when you are back online." });
    });
    xhr.addEventListener("abort", done);
    xhr.send(entry.blob);
  }

  // --- History's forms (they work without JavaScript; this uploads with progress instead) ---
  function enhance() {
    Array.prototype.forEach.call(document.querySelectorAll("li[data-video-set]"), function (li) {
      var form = li.querySelector("form.video-form");
      if (form) form.remove();
      var link = li.querySelector("a.watch");
      if (link) link.remove();
      li.appendChild(control(li.dataset.videoSession, li.dataset.videoSet, li.dataset.videoUrl || null, li.dataset.videoLabel));
    });
  }

  // Entries left from an earlier visit show on their set's control.
  function restore() {
    return dbPromise.then(function (d) { return d.getAll(STORE); }).then(function (entries) {
      entries.forEach(function (entry) {
        if (!states[entry.key]) setState(entry.key, { phase: "waiting", message: "Video kept on this phone…" });
      });
    });
  }

  window.addEventListener("online", function () { flush().catch(problem); });
  window.addEventListener("offline", function () { flush().catch(problem); });
  if (outbox && outbox.on) outbox.on("change", function () { flush().catch(problem); });

  window.HingeVideos = { control: control, flush: flush };
  document.addEventListener("DOMContentLoaded", function () {
    enhance();
    restore().then(flush).catch(problem);
  });
})();
