/* Hinge Coach: logging today's session on the phone.
 *
 * The session lives in the outbox's IndexedDB store (outbox.js, the phone's one store of
 * sessions, with a client-made UUID); every change re-sends the whole session, with a new
 * client_modified_at, through the outbox. localStorage keeps only UI drafts: typed values, the
 * rest timer, the notes typed before a first set, which sessions are finished. Values are
 * prefilled from the prescription, so a set that matches it is one tap on "Log set".
 *
 * Training days: the page holds every day of the prescription; one is shown. Unless the client
 * picked one (?day=), the day is decided again here on the phone's own date (days.js): the day of
 * a session of today still being logged, else the day due after the latest session with a day,
 * counting the sessions this phone holds (logged offline, not yet synced). The switcher's links
 * work without JavaScript (the server renders that day); here they switch at once, offline too.
 * A session records the day shown (`day` in its body); "last time" on each line fills its inputs.
 */
(function () {
  "use strict";
  var dataEl = document.getElementById("today-data");
  var outbox = window.HingeOutbox;
  var Days = window.HingeDays;
  if (!dataEl || !outbox || !Days) return;
  var D = JSON.parse(dataEl.textContent);
  var PREFIX = "hinge:u" + D.user + ":";
  var STATE_KEY = PREFIX + "today";
  var lines = D.lines;
  var days = D.days || [];
  var dayNumbers = days.map(function (d) { return d.day; });
  // The date the page is for: the one asked for (?date=), else the phone's own today.
  var pageDate = D.dated ? D.day : Days.localIso(new Date());
  var picked = !!D.picked;
  outbox.noteTo(D.assignment);
  // The line a set of `slug` in a session of `day` is logged on: that day's line of the exercise,
  // else the shown day's, else the first.
  function lineOf(day, slug) {
    var same = function (l) { return l.exercise === slug; };
    return lines.filter(function (l) { return same(l) && l.day === day; })[0] ||
      lines.filter(function (l) { return same(l) && l.day === state.day; })[0] || lines.filter(same)[0] || null;
  }
  // A body's training day: its own when the program has it; a dayless body of a one-day program
  // is that day's (sessions logged before days existed carry on as before).
  function dayOf(b) {
    if (b.day != null && dayNumbers.indexOf(b.day) >= 0) return b.day;
    return b.day == null && dayNumbers.length === 1 ? dayNumbers[0] : null;
  }

  // --- state (UI drafts only; the session is in the outbox) -----------------------------
  function read(key, fallback) {
    try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch (e) { return fallback; }
  }
  var state = read(STATE_KEY, {});
  state.drafts = state.drafts || {};
  state.finished = state.finished || [];
  state.editing = null;
  state.day = D.shown;
  state.rest = !!D.rest_day;
  state.checkin = state.checkin || {};
  var legacy = state.session; // kept here by earlier versions of this page: moved to the outbox
  state.session = null;
  var ready = false;

  function persist() {
    var copy = { drafts: state.drafts, finished: state.finished.slice(-30), rest_end: state.rest_end,
      draftNotes: state.draftNotes, checkin: state.checkin, checkinSkipped: state.checkinSkipped };
    if (legacy) copy.session = legacy; // until it is safely in the outbox
    localStorage.setItem(STATE_KEY, JSON.stringify(copy));
  }
  function localDay(iso) {
    var d = iso ? new Date(iso) : new Date();
    return d.getFullYear() * 10000 + (d.getMonth() + 1) * 100 + d.getDate();
  }
  var keySeq = 0;
  function newKey() { keySeq += 1; return Date.now().toString(36) + "-" + keySeq; }

  function fromApi(s, day) {
    var line = lineOf(day, s.exercise);
    var copy = JSON.parse(JSON.stringify(s));
    copy.k = newKey();
    copy.line = line ? line.key : null;
    return copy;
  }
  // The set's own id goes with it (docs/api.md: it keeps its video and coach tags across edits);
  // the server's coach_faults and video stay behind.
  function toApi(s) {
    var out = s.id ? { id: s.id } : {};
    out.exercise = s.exercise;
    out.side = s.side;
    if (s.seconds != null) out.seconds = s.seconds; else out.reps = s.reps;
    out.load = s.load;
    out.unit = s.unit;
    out.faults = s.faults || [];
    if (s.rpe != null) out.rpe = s.rpe;
    if (s.tempo_kept != null) out.tempo_kept = s.tempo_kept;
    if (s.pain != null) out.pain = s.pain;
    return out;
  }
  // A session body (the outbox's, or the server's) as this page edits it.
  function editable(b) {
    var day = dayOf(b);
    return { id: b.id, assignment: b.assignment, performed_at: b.performed_at, client_modified_at: b.client_modified_at,
      notes: b.notes || "", day: day, checkin: plainCheckin(b.checkin),
      sets: (b.sets || []).map(function (s) { return fromApi(s, day); }) };
  }
  // The server's recent sessions, as the Today page renders them (`recent`): the one place
  // that reads that shape.
  function serverSessions() {
    return (D.recent || []).map(editable);
  }
  function sessionBody() {
    var s = state.session;
    var body = { id: s.id, assignment: s.assignment, performed_at: s.performed_at, client_modified_at: s.client_modified_at,
      notes: s.notes || "", sets: s.sets.map(toApi) };
    if (s.day != null) body.day = s.day;
    var checkin = plainCheckin(s.checkin);
    if (checkin) body.checkin = checkin;
    return body;
  }
  function commit() {
    state.session.client_modified_at = outbox.stamp(state.session.client_modified_at);
    persist();
    var saved = outbox.save(sessionBody());
    render();
    return saved;
  }
  // Today's session: the newest of today's unfinished ones for this program, from the phone's
  // store or else from the server (another device, or cleared storage), so logging carries on
  // in it rather than starting a second one.
  function todays(bodies, anyDay) {
    // A session without sets is not one being logged (a note to the coach, or every set removed).
    var candidates = bodies.filter(function (b) {
      return localDay(b.performed_at) === localDay() && state.finished.indexOf(b.id) < 0 && b.assignment === D.assignment &&
        b.sets.length > 0 && (anyDay ? b.day != null : b.day === state.day);
    });
    candidates.sort(function (a, b) { return Date.parse(b.client_modified_at) - Date.parse(a.client_modified_at); });
    return candidates[0] || null;
  }
  function moveLegacy() {
    if (!legacy || !legacy.id || !legacy.sets) return Promise.resolve();
    var body = editable(legacy);
    body.sets = legacy.sets.map(toApi);
    return outbox.latest(legacy.id).then(function (known) {
      if (!known || Date.parse(known.client_modified_at) < Date.parse(body.client_modified_at)) return outbox.save(body);
      return null;
    }).then(function () { legacy = null; });
  }
  // Every session body this phone knows of this program: its store's and the server's recent.
  function known() {
    return outbox.sessions().then(function (bodies) {
      var mine = bodies.filter(function (b) { return b.assignment === D.assignment; });
      return { raw: mine, all: mine.map(editable).concat(serverSessions()) };
    });
  }
  function load() {
    return moveLegacy().then(known).then(function (found) {
      // A day the client picked stays; its header still reads the phone's date.
      if (!picked) chooseDay(found); else showDay(state.day, false);
      // The newer copy wins: the server's when another device changed the session since.
      state.session = todays(found.all);
      persist();
    });
  }
  // The day to show, on the phone's date: a session of today still being logged carries on on
  // its day; otherwise the day due after the latest session with a day (the server's, or one this
  // phone holds that the server may not have yet).
  function chooseDay(found) {
    var going = todays(found.all, true);
    if (going) { showDay(going.day, false); return; }
    var due = Days.dayDue(days, pageDate, Days.latestDay(D.last_day, found.raw), D.start);
    showDay(due.day.day, due.rest_day);
  }
  function dayNamed(number) { return days.filter(function (d) { return d.day === number; })[0] || days[0]; }
  function showDay(number, rest) {
    state.day = number;
    state.rest = rest;
    $$(".day[data-day]").forEach(function (div) { div.hidden = rest || Number(div.dataset.day) !== number; });
    var day = dayNamed(number);
    var title = document.getElementById("day-name");
    if (title) title.textContent = Days.header(day, pageDate, rest);
    var date = document.getElementById("day-date");
    if (date) date.textContent = Days.shortDate(pageDate);
    $$(".day-switch a[data-day]").forEach(function (a) {
      if (!rest && Number(a.dataset.day) === number) a.setAttribute("aria-current", "true");
      else a.removeAttribute("aria-current");
    });
    var restCard = document.getElementById("rest-day");
    if (restCard) {
      restCard.hidden = !rest;
      var weekday = $(".rest-weekday", restCard);
      if (weekday) weekday.textContent = Days.weekdayName(pageDate);
      var train = document.getElementById("train-anyway");
      train.dataset.day = String(number);
      train.textContent = "Train " + day.name + " anyway";
      train.setAttribute("href", "?day=" + number + (D.dated ? "&date=" + D.day : ""));
    }
    var finishCard = $(".card.finish");
    if (finishCard) finishCard.hidden = rest;
    renderLastTimes();
  }
  // The client picked a day (the switcher, or "Train ... anyway"): it shows at once, with the
  // session of today on that day, if any; the address keeps it for a reload.
  function pickDay(link) {
    var number = Number(link.dataset.day);
    if (dayNumbers.indexOf(number) < 0) return;
    picked = true;
    if (window.history && history.replaceState) history.replaceState(null, "", link.getAttribute("href"));
    state.editing = null;
    state.session = null;
    ready = false;
    showDay(number, false);
    render();
    known().then(function (found) {
      state.session = todays(found.all);
      persist();
    }).catch(cannotRead).then(function () { ready = true; render(); });
  }

  outbox.on("merged", function (merged) {
    if (!state.session || merged.id !== state.session.id) return;
    state.session.sets = merged.sets.map(fromApi);
    state.session.notes = merged.notes;
    state.session.checkin = plainCheckin(merged.checkin);
    state.session.performed_at = merged.performed_at;
    state.session.client_modified_at = merged.client_modified_at;
    persist();
    render();
    say("Merged with changes made on another device; no set was lost.");
  });
  outbox.on("discarded", function (id) {
    if (!state.session || state.session.id !== id) return;
    // Back to what the server has of it (or nothing), as History shows.
    outbox.latest(id).then(function (known) {
      state.session = known ? editable(known) : null;
      state.editing = null;
      render();
    }).catch(cannotRead);
  });

  // --- helpers ---------------------------------------------------------------------------
  function $(sel, root) { return (root || document).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function formFor(key) { return document.getElementById("form-" + key); }
  function cannotRead(err) {
    say("This phone could not read its saved session: " + String((err && err.message) || err));
    if (window.console) console.error("Hinge Coach Today:", err);
  }
  function say(message) {
    var el = document.getElementById("session-state");
    if (el) el.textContent = message;
  }
  function setsOf(key) { return state.session ? state.session.sets.filter(function (s) { return s.line === key; }) : []; }
  function countSide(key, side) { return setsOf(key).filter(function (s) { return s.side === side; }).length; }
  function fmt(n) { return String(Math.round(Number(n) * 100) / 100); }
  // A kettlebell's loads are the real bells: the stepper shows them as whole lb (53), a set is
  // logged at the bell's exact weight (52.91 lb for 24 kg), within 0.5 lb (docs/domain.md).
  function bellIndex(line, load) {
    var bells = line.bells || [];
    var tolerance = line.unit === "lb" ? 0.5 : 0;
    for (var i = 0; i < bells.length; i++) {
      if (Math.abs(load - line.bell_loads[i]) <= tolerance + 1e-9) return i;
    }
    return -1;
  }
  function loggedLoad(line, load) {
    var i = bellIndex(line, load);
    return i < 0 ? load : line.bell_loads[i];
  }
  function shownLoad(line, load) {
    var i = line ? bellIndex(line, Number(load)) : -1;
    return i < 0 ? load : line.bells[i];
  }
  function describe(s, line) {
    var parts = [s.seconds != null ? s.seconds + " s" : s.reps + " reps"];
    if (line && line.loaded) parts.push(fmt(shownLoad(line, s.load)) + " " + s.unit);
    if (s.rpe != null) parts.push("RPE " + s.rpe);
    if (s.tempo_kept === false) parts.push("tempo missed");
    if (s.faults && s.faults.length) parts.push(s.faults.map(function (f) { return D.faults[f] || f; }).join(", "));
    if (s.pain) parts.push("pain " + s.pain + "/10");
    return parts.join(" · ");
  }
  function currentSide(form) {
    var checked = $("input[name=side]:checked", form);
    return checked ? checked.value : "both";
  }
  function selectSide(form, side) {
    var radio = $("input[name=side][value=" + side + "]", form);
    if (radio) radio.checked = true;
  }

  // --- rendering -------------------------------------------------------------------------
  function renderLine(line) {
    var form = formFor(line.key);
    var list = document.getElementById("logged-" + line.key);
    if (!form || !list) return;
    var sets = setsOf(line.key);
    list.textContent = "";
    var numbers = { both: 0, left: 0, right: 0 };
    sets.forEach(function (s) {
      numbers[s.side] += 1;
      var li = document.createElement("li");
      if (state.editing === s.k) li.className = "editing";
      var label = document.createElement("span");
      label.className = "what";
      var side = s.side === "both" ? "Set " : (s.side === "left" ? "Left set " : "Right set ");
      label.textContent = side + numbers[s.side] + ": " + describe(s, line);
      var edit = document.createElement("button");
      edit.type = "button";
      edit.className = "small";
      edit.dataset.edit = s.k;
      edit.textContent = "Edit";
      edit.setAttribute("aria-label", "Edit " + label.textContent);
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "small quiet";
      remove.dataset.remove = s.k;
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", "Remove " + label.textContent);
      li.appendChild(label);
      li.appendChild(edit);
      li.appendChild(remove);
      // The set's form video (videos.js): chosen here, uploaded once the session has synced.
      if (window.HingeVideos && s.id && state.session && state.session.id) {
        li.appendChild(window.HingeVideos.control(state.session.id, s.id, s.video || null, label.textContent));
      }
      list.appendChild(li);
    });
    var side = currentSide(form);
    var done = line.per_side ? Math.min(countSide(line.key, "left"), countSide(line.key, "right")) : sets.length;
    var section = document.getElementById("ex-" + line.key);
    section.classList.toggle("complete", done >= line.sets);
    $(".done-mark", section).hidden = done < line.sets;
    var submit = $("button.log", form);
    var cancel = $("button.cancel-edit", form);
    if (state.editing) {
      var editing = sets.filter(function (s) { return s.k === state.editing; })[0];
      submit.textContent = editing ? "Save changes" : submit.textContent;
      cancel.hidden = !editing;
    } else {
      var n = (line.per_side ? countSide(line.key, side) : sets.length) + 1;
      var sideWord = line.per_side ? (side === "left" ? "left " : "right ") : "";
      submit.textContent = n > line.sets ? "Log extra " + sideWord + "set" : "Log " + sideWord + "set " + n + " of " + line.sets;
      cancel.hidden = true;
    }
  }
  function render() {
    lines.forEach(renderLine);
    renderCheckin();
    var notes = document.getElementById("notes");
    if (notes && document.activeElement !== notes) notes.value = state.session ? state.session.notes || "" : state.draftNotes || "";
    if (state.session && state.session.sets.length) {
      var total = state.session.sets.length;
      say(total + (total === 1 ? " set" : " sets") + " logged today, saved on this phone.");
    }
  }

  // --- last time on each line ------------------------------------------------------------
  var lastShown = {};
  function renderLastTimes() {
    lines.forEach(function (line) {
      var p = document.querySelector('.last-time[data-line="' + line.key + '"]');
      if (!p) return;
      var last = Days.lastBefore(line.last, pageDate);
      lastShown[line.key] = last;
      p.textContent = "";
      p.hidden = !last;
      if (!last) return;
      p.appendChild(outbox.el("span", "label", last.label + ":"));
      last.sets.forEach(function (done, i) {
        p.appendChild(document.createTextNode(" "));
        var button = outbox.el("button", "small fill", done.text);
        button.type = "button";
        button.dataset.line = String(line.key);
        button.dataset.set = String(i);
        button.setAttribute("aria-label", "Fill set with " + done.text + ", as last time");
        p.appendChild(button);
      });
    });
  }
  function fillFromLast(button) {
    var line = lines.filter(function (l) { return l.key === Number(button.dataset.line); })[0];
    var last = line && lastShown[line.key];
    var done = last && last.sets[Number(button.dataset.set)];
    if (!done) return;
    var form = formFor(line.key);
    fill(line, { amount: done.amount, load: done.load, side: line.per_side ? done.side : null });
    fieldError(form, form.elements.amount, "");
    saveDraft(line);
    if (line.per_side) render();
  }

  // --- reading and filling a form --------------------------------------------------------
  function fieldError(form, input, message) {
    var holder = input.closest(".field") || input.parentNode;
    var p = $(".error", holder);
    if (!message) { if (p) p.remove(); input.removeAttribute("aria-invalid"); return; }
    if (!p) { p = document.createElement("p"); p.className = "error"; p.setAttribute("role", "alert"); holder.appendChild(p); }
    p.textContent = message;
    input.setAttribute("aria-invalid", "true");
  }
  function readForm(line) {
    var form = formFor(line.key);
    var amountInput = form.elements.amount;
    var amount = Number(String(amountInput.value).trim());
    var ok = true;
    var top = line.hold ? 3600 : 1000;
    if (line.hold && String(amountInput.value).trim() === "") {
      fieldError(form, amountInput, "Time the hold with the button below, or type the seconds held.");
      ok = false;
    } else if (!/^\d+$/.test(String(amountInput.value).trim()) || amount > top) {
      fieldError(form, amountInput, line.hold ? "Give the seconds held, a whole number." : "Give the reps, a whole number.");
      ok = false;
    } else fieldError(form, amountInput, "");
    var load = 0;
    if (line.loaded) {
      var loadInput = form.elements.load;
      var raw = String(loadInput.value).trim().replace(",", ".");
      load = Number(raw);
      var max = line.unit === "lb" ? 2204 : 1000;
      if (raw === "" || !isFinite(load) || load < 0 || load > max) {
        fieldError(form, loadInput, "Give the load in " + line.unit + ", from 0 to " + max + ".");
        ok = false;
      } else fieldError(form, loadInput, "");
    }
    if (!ok) return null;
    var set = { exercise: line.exercise, side: line.per_side ? currentSide(form) : "both", load: loggedLoad(line, load), unit: line.unit,
      faults: $$("input[name=faults]:checked", form).map(function (i) { return i.value; }) };
    if (line.hold) set.seconds = amount; else set.reps = amount;
    var rpe = form.elements.rpe.value;
    if (rpe !== "") set.rpe = Number(rpe);
    if (line.tempo) set.tempo_kept = form.elements.tempo_kept.checked;
    var pain = form.elements.pain.value;
    if (pain !== "") set.pain = Number(pain);
    return set;
  }
  function draftOf(line) {
    var form = formFor(line.key);
    var draft = { amount: form.elements.amount.value, side: currentSide(form), rpe: form.elements.rpe.value,
      pain: form.elements.pain.value, faults: $$("input[name=faults]:checked", form).map(function (i) { return i.value; }) };
    if (line.loaded) draft.load = form.elements.load.value;
    if (line.tempo) draft.tempo_kept = form.elements.tempo_kept.checked;
    return draft;
  }
  function fill(line, values) {
    var form = formFor(line.key);
    if (values.amount != null) form.elements.amount.value = values.amount;
    if (line.loaded && values.load != null) form.elements.load.value = String(shownLoad(line, values.load));
    if (values.side) selectSide(form, values.side);
    form.elements.rpe.value = values.rpe == null ? "" : String(values.rpe);
    form.elements.pain.value = values.pain == null ? "" : String(values.pain);
    if (line.tempo) form.elements.tempo_kept.checked = values.tempo_kept !== false;
    $$("input[name=faults]", form).forEach(function (i) { i.checked = (values.faults || []).indexOf(i.value) >= 0; });
    painNote(form);
  }
  function resetExtras(line) {
    var form = formFor(line.key);
    form.elements.rpe.value = "";
    form.elements.pain.value = "";
    if (line.tempo) form.elements.tempo_kept.checked = true;
    $$("input[name=faults]", form).forEach(function (i) { i.checked = false; });
    painNote(form);
  }
  function painNote(form) {
    var note = $(".pain-note", form);
    var value = form.elements.pain.value;
    note.hidden = value === "" || Number(value) < 1;
  }

  // --- the readiness check-in (docs/domain.md "Readiness check-in") ------------------------
  // Answered before the first set, it travels in the session's body (through the outbox, so
  // offline too). A readiness at or under the rules' threshold (page data), or a painful low back, offers
  // the day's lines at the rules' cut (each line's `cut_load`, computed by the server with the engine's cut).
  var QUESTIONS = ["sleep", "soreness", "stress", "low_back"];
  function plainCheckin(c) {
    if (!c) return null;
    var out = {};
    var any = false;
    QUESTIONS.forEach(function (q) { if (c[q] != null) { out[q] = c[q]; any = true; } });
    if (!any) return null;
    out.cut_taken = !!c.cut_taken;
    return out;
  }
  function lowReadiness(c) {
    if (c.low_back === "painful") return true;
    if (c.sleep == null || c.soreness == null || c.stress == null) return false;
    // mean(sleep, 6 - soreness, 6 - stress) <= the rules' threshold, compared unrounded.
    return c.sleep + 6 - c.soreness + 6 - c.stress <= D.readiness.low * 3;
  }
  function currentCheckin() { return state.session ? (state.session.checkin || {}) : state.checkin; }
  function renderCheckin() {
    var card = document.getElementById("checkin");
    if (!card) return;
    var started = state.session && state.session.sets.length > 0;
    card.hidden = !!(state.rest || started || state.checkinSkipped);
    var c = currentCheckin();
    $$("button.tap", card).forEach(function (b) {
      var value = b.dataset.q === "low_back" ? b.dataset.v : Number(b.dataset.v);
      b.setAttribute("aria-pressed", String(c[b.dataset.q] === value));
    });
    var low = lowReadiness(c);
    document.getElementById("checkin-offer").hidden = !low || c.decided === true;
    var done = document.getElementById("checkin-done");
    done.textContent = c.cut_taken ? "Today's loads are " + D.readiness.cut_pct + "% lighter (the readiness cut)." :
      (low && c.decided ? "Keeping the plan as prescribed." : "");
    $$(".cut-note").forEach(function (p) { p.hidden = !c.cut_taken; });
  }
  function answer(button) {
    var c = currentCheckin();
    var value = button.dataset.q === "low_back" ? button.dataset.v : Number(button.dataset.v);
    c[button.dataset.q] = c[button.dataset.q] === value ? null : value;
    if (!lowReadiness(c)) { if (c.cut_taken) applyCut(false); c.cut_taken = false; c.decided = false; }
    saveCheckin(c);
  }
  function decideCut(take) {
    var c = currentCheckin();
    c.cut_taken = take;
    c.decided = true;
    applyCut(take);
    saveCheckin(c);
  }
  function applyCut(take) {
    lines.forEach(function (line) {
      var form = formFor(line.key);
      if (!form || !form.elements.load || line.cut_load == null) return;
      form.elements.load.value = String(take ? line.cut_load : line.load_shown != null ? line.load_shown : line.load);
      saveDraft(line);
    });
  }
  function saveCheckin(c) {
    if (state.session) { state.session.checkin = c; commit(); } else { state.checkin = c; persist(); }
    renderCheckin();
  }

  // --- actions ---------------------------------------------------------------------------
  function startSession() {
    var now = Date.now();
    state.session = { id: outbox.uuid(), assignment: D.assignment, performed_at: outbox.isoLocal(now),
      client_modified_at: outbox.isoLocal(now), notes: state.draftNotes || "", day: state.day, sets: [],
      checkin: plainCheckin(state.checkin) ? state.checkin : null };
    state.draftNotes = "";
    state.checkin = {};
  }
  // One tap, one set. A second tap while a set is being saved, or within LOG_GUARD_MS of it on
  // the same form (a double tap, a bouncing thumb, Enter after a tap), is the same tap again:
  // the button is disabled meanwhile and the handler ignores it.
  var LOG_GUARD_MS = 700;
  var lastLogAt = {};
  var logging = {};
  function onLogTap(line) {
    var submit = $("button.log", formFor(line.key));
    var now = Date.now();
    if (!ready || logging[line.key] || now - (lastLogAt[line.key] || 0) < LOG_GUARD_MS) return;
    var saved = logSet(line);
    if (!saved) return;
    logging[line.key] = true;
    lastLogAt[line.key] = now;
    submit.disabled = true;
    submit.setAttribute("aria-busy", "true");
    var guard = new Promise(function (resolve) { setTimeout(resolve, LOG_GUARD_MS); });
    function done() {
      logging[line.key] = false;
      submit.disabled = false;
      submit.removeAttribute("aria-busy");
    }
    Promise.all([saved, guard]).then(done, done);
  }
  function logSet(line) {
    var set = readForm(line);
    if (!set) return null;
    var form = formFor(line.key);
    if (state.editing) {
      var target = state.session.sets.filter(function (s) { return s.k === state.editing; })[0];
      if (target) {
        set.k = target.k;
        if (target.id) set.id = target.id;
        set.line = target.line;
        set.side = target.side;
        state.session.sets[state.session.sets.indexOf(target)] = set;
      }
      state.editing = null;
      delete state.drafts[line.key];
      resetExtras(line);
      return commit();
    }
    if (!state.session) startSession();
    set.k = newKey();
    set.id = outbox.uuid();
    set.line = line.key;
    state.session.sets.push(set);
    delete state.drafts[line.key];
    resetExtras(line);
    // The next hold is timed (or typed) again: never a number nobody held.
    if (line.hold) form.elements.amount.value = "";
    if (line.per_side) {
      // Left then right, then the next set's left.
      var left = countSide(line.key, "left");
      var right = countSide(line.key, "right");
      selectSide(form, right < left ? "right" : "left");
    }
    var saved = commit();
    startRest(line.rest);
    return saved;
  }
  function startEdit(key) {
    var set = state.session && state.session.sets.filter(function (s) { return s.k === key; })[0];
    if (!set) return;
    var line = lines.filter(function (l) { return l.key === set.line; })[0];
    if (!line) return;
    state.editing = key;
    fill(line, { amount: set.seconds != null ? set.seconds : set.reps, load: set.load, side: set.side, rpe: set.rpe,
      pain: set.pain, tempo_kept: set.tempo_kept, faults: set.faults });
    if (set.rpe != null || set.pain != null || (set.faults && set.faults.length) || set.tempo_kept === false) {
      $("details.more", formFor(line.key)).open = true;
    }
    render();
    formFor(line.key).elements.amount.focus();
  }
  function cancelEdit(line) {
    state.editing = null;
    resetExtras(line);
    render();
  }
  var armed = null;
  function remove(button) {
    var key = button.dataset.remove;
    if (armed !== key) {
      // Two taps, so a sweaty thumb does not delete a set.
      armed = key;
      button.textContent = "Tap again to remove";
      setTimeout(function () { if (armed === key) { armed = null; render(); } }, 4000);
      return;
    }
    armed = null;
    state.session.sets = state.session.sets.filter(function (s) { return s.k !== key; });
    if (state.editing === key) state.editing = null;
    commit();
  }
  function step(button) {
    var input = document.getElementById(button.dataset.target);
    var form = input.form;
    var line = lines[Number(form.dataset.line)];
    var delta = Number(button.dataset.delta);
    var value = Number(String(input.value).replace(",", ".")) || 0;
    if (input.name === "amount") {
      value = Math.max(0, Math.round(value) + delta);
    } else if (line.bells && line.bells.length) {
      var bells = line.bells;
      var at = bellIndex(line, value);
      var next = at >= 0 ? bells[at + delta] : delta > 0 ? bells.filter(function (b) { return b > value; })[0] :
        bells.filter(function (b) { return b < value; }).pop();
      value = next != null ? next : value;
    } else {
      value = Math.max(0, Math.round((value + delta * line.step) * 100) / 100);
    }
    input.value = String(value);
    saveDraft(line);
  }
  function saveDraft(line) {
    if (state.editing) return;
    state.drafts[line.key] = draftOf(line);
    persist();
  }
  function finish() {
    if (!state.session || !state.session.sets.length) {
      say("Log a set first; the session is saved as you go.");
      return;
    }
    var notes = document.getElementById("notes");
    clearTimeout(notesTimer);
    if (notes && notes.value !== (state.session.notes || "")) {
      state.session.notes = notes.value;
      state.session.client_modified_at = outbox.stamp(state.session.client_modified_at);
      outbox.save(sessionBody());
    }
    state.finished.push(state.session.id);
    state.session = null;
    state.checkin = {};
    state.checkinSkipped = false;
    $$(".cut-note").forEach(function (p) { p.hidden = true; });
    state.drafts = {};
    state.editing = null;
    persist();
    lines.forEach(function (line) { resetExtras(line); });
    render();
    if (notes) notes.value = "";
    say("Session finished and saved. Well done! Logging again starts a new session.");
  }

  // --- timers ----------------------------------------------------------------------------
  var restBar = document.getElementById("rest");
  var restTime = document.getElementById("rest-time");
  var restTimer = null;
  function mmss(s) { return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0"); }
  function startRest(seconds) {
    state.rest_end = Date.now() + seconds * 1000;
    persist();
    tickRest();
  }
  function tickRest() {
    clearTimeout(restTimer);
    if (!state.rest_end || !restBar) return;
    // From a timestamp, so a locked screen or a reload keeps the right time.
    var left = Math.round((state.rest_end - Date.now()) / 1000);
    if (left <= -3) { restBar.hidden = true; state.rest_end = null; persist(); return; }
    restBar.hidden = false;
    restBar.classList.toggle("over", left <= 0);
    restTime.textContent = left > 0 ? mmss(left) : "Go!";
    if (left === 0 && navigator.vibrate) navigator.vibrate(300);
    restTimer = setTimeout(tickRest, 250 + ((state.rest_end - Date.now()) % 1000 + 1000) % 1000);
  }
  function stopRest() {
    state.rest_end = null;
    persist();
    clearTimeout(restTimer);
    if (restBar) restBar.hidden = true;
  }

  // A hold starts after a 3-second lead-in (3, 2, 1, read out by screen readers through the
  // output's live region), so the client can get into position; only then does it count.
  var LEAD_IN_SECONDS = 3;
  var holds = {};
  function show(output, text) { if (output.textContent !== text) output.textContent = text; }
  function toggleHold(button) {
    var form = button.form;
    var line = lines[Number(form.dataset.line)];
    var output = $(".countdown", form);
    var running = holds[line.key];
    if (running) {
      clearInterval(running.timer);
      delete holds[line.key];
      button.textContent = "Start " + running.target + " s hold";
      if (running.start == null) { show(output, "Hold cancelled"); return; }
      var held = Math.max(0, Math.round((Date.now() - running.start) / 1000));
      form.elements.amount.value = String(Math.min(held, running.target));
      show(output, "Stopped at " + held + " s");
      saveDraft(line);
      return;
    }
    stopRest();
    fieldError(form, form.elements.amount, "");
    var target = Number(form.elements.amount.value) || Number(button.dataset.seconds) || line.high;
    var hold = { start: null, leadEnd: Date.now() + LEAD_IN_SECONDS * 1000, target: target };
    holds[line.key] = hold;
    button.textContent = "Cancel";
    show(output, "Get ready: " + LEAD_IN_SECONDS);
    hold.timer = setInterval(function () {
      var now = Date.now();
      if (hold.start == null) {
        var lead = Math.ceil((hold.leadEnd - now) / 1000);
        if (lead > 0) { show(output, "Get ready: " + lead); return; }
        hold.start = hold.leadEnd;
        button.textContent = "Stop";
        if (navigator.vibrate) navigator.vibrate(100);
      }
      var left = target - Math.floor((now - hold.start) / 1000);
      if (left > 0) { show(output, "Hold: " + left + " s"); return; }
      clearInterval(hold.timer);
      delete holds[line.key];
      form.elements.amount.value = String(target);
      show(output, "Held " + target + " s: log it");
      button.textContent = "Start " + target + " s hold";
      if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
      saveDraft(line);
    }, 100);
  }

  // --- wiring ----------------------------------------------------------------------------
  lines.forEach(function (line) {
    var form = formFor(line.key);
    if (!form) return;
    var draft = state.drafts[line.key];
    if (draft) fill(line, draft);
    else if (line.per_side) {
      var left = countSide(line.key, "left");
      selectSide(form, countSide(line.key, "right") < left ? "right" : "left");
    }
    form.addEventListener("submit", function (event) { event.preventDefault(); onLogTap(line); });
    form.addEventListener("input", function () { saveDraft(line); });
    form.addEventListener("change", function (event) {
      if (event.target.name === "pain") painNote(form);
      saveDraft(line);
      if (event.target.name === "side") render();
    });
    $("button.cancel-edit", form).addEventListener("click", function () { cancelEdit(line); });
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".day-switch a[data-day], #train-anyway");
    if (link) { event.preventDefault(); pickDay(link); return; }
    var button = event.target.closest("button");
    if (!button) return;
    if (button.classList.contains("step")) step(button);
    else if (button.classList.contains("fill")) fillFromLast(button);
    else if (button.dataset.edit) startEdit(button.dataset.edit);
    else if (button.dataset.remove) remove(button);
    else if (button.classList.contains("timer")) toggleHold(button);
    else if (button.id === "rest-skip") stopRest();
    else if (button.id === "finish") finish();
    else if (button.classList.contains("tap") && button.dataset.q) answer(button);
    else if (button.id === "cut-take") decideCut(true);
    else if (button.id === "cut-decline") decideCut(false);
    else if (button.id === "checkin-skip") { state.checkinSkipped = true; persist(); renderCheckin(); }
  });
  var notes = document.getElementById("notes");
  var notesTimer = null;
  if (notes) {
    notes.addEventListener("input", function () {
      clearTimeout(notesTimer);
      notesTimer = setTimeout(function () {
        if (!state.session) { state.draftNotes = notes.value; persist(); return; }
        state.session.notes = notes.value;
        commit();
      }, 600);
    });
  }
  renderLastTimes();
  render();
  tickRest();
  load().catch(cannotRead).then(function () {
    ready = true;
    lines.forEach(function (line) {
      var form = formFor(line.key);
      if (form && line.per_side && !state.drafts[line.key]) {
        selectSide(form, countSide(line.key, "right") < countSide(line.key, "left") ? "right" : "left");
      }
    });
    render();
  });
})();
