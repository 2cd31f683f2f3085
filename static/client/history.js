/* Hinge Coach History: the sessions still on this phone.
 *
 * The page from the server (or the service worker's last copy of it, offline) lists what the
 * server had. The sets logged since, kept in the IndexedDB outbox (outbox.js) until the server
 * acknowledges them, are shown here too, marked "Waiting to sync": a session the page already
 * lists is replaced by the phone's newer copy, any other is added in date order. Sets are
 * described as the server describes them ("2 × 10 reps at 60 kg").
 *
 * Offline, the page is the service worker's last copy: sessions that synced after that copy was
 * made (acknowledged later than its `rendered_at`) are in the outbox's store only, so they are
 * shown from there too, marked "Synced". A session of a program with several days is labelled
 * with its day ("Day A · Mon 16 Nov"), from the names the page carries, offline as online.
 */
(function () {
  "use strict";
  var dataEl = document.getElementById("history-data");
  var outbox = window.HingeOutbox;
  var list = document.getElementById("past-sessions");
  if (!dataEl || !outbox || !list) return;
  var D = JSON.parse(dataEl.textContent);
  var DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  var RENDERED_AT = Date.parse(D.rendered_at || "") || 0;
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var shown = {}; // session id -> the card this script made

  var el = outbox.el;
  function exerciseOf(slug) {
    return D.exercises[slug] || { name: slug.replace(/-/g, " ").replace(/^./, function (c) { return c.toUpperCase(); }),
      implement: "" };
  }
  function num(value) { return String(Math.round(Number(value) * 100) / 100); }
  function shownLoad(set, implement) {
    // A kettlebell in lb reads as its bell's whole lb (53, not 52.91), as on the server.
    if (implement === "kettlebell" && set.unit === "lb") {
      for (var i = 0; i < D.bells_lb.length; i++) {
        if (Math.abs(Number(set.load) - D.bells_lb[i][1]) <= D.bell_tolerance_lb + 1e-9) return D.bells_lb[i][0];
      }
    }
    return set.load;
  }
  function describe(set, implement) {
    var amount = set.seconds != null ? set.seconds + " s" : set.reps + " reps";
    var side = set.side && set.side !== "both" ? set.side + " " : "";
    var load = Number(set.load) > 0 ? " at " + num(shownLoad(set, implement)) + " " + set.unit : "";
    return side + amount + load;
  }
  function grouped(texts) {
    var counts = {};
    var order = [];
    texts.forEach(function (t) {
      if (!(t in counts)) { counts[t] = 0; order.push(t); }
      counts[t] += 1;
    });
    return order.map(function (t) { return counts[t] > 1 ? counts[t] + " × " + t : t; });
  }
  // The name of the day a session followed, when its program has several (else null).
  function dayName(body) {
    var names = (D.day_names || {})[String(body.assignment)];
    return names && body.day != null ? names[String(body.day)] || null : null;
  }
  function heading(body) {
    // The date part of the device's local time, as the server shows it ("Tuesday 1 Dec", or
    // "Day A · Tue 1 Dec").
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(body.performed_at || "");
    var name = dayName(body);
    if (!m) return name || "Today";
    var d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    var date = d.getUTCDate() + " " + MONTHS[d.getUTCMonth()];
    return name ? name + " · " + DAYS[d.getUTCDay()].slice(0, 3) + " " + date : DAYS[d.getUTCDay()] + " " + date;
  }

  function card(item) {
    var body = item.body;
    var article = el("article", "card past-session" + (item.synced ? "" : " waiting"));
    article.dataset.session = body.id;
    article.dataset.performed = body.performed_at;
    article.dataset.local = "true";
    if (dayName(body)) article.dataset.day = String(body.day);
    var h3 = el("h3", null, heading(body) + " ");
    var pains = body.sets.map(function (s) { return s.pain || 0; });
    var pain = pains.length ? Math.max.apply(null, pains) : 0;
    if (pain) { h3.appendChild(el("span", "flag", "pain " + pain + "/10")); h3.appendChild(document.createTextNode(" ")); }
    var mark = el("span", "sync-mark", item.synced ? "Synced" : item.error ? "Not accepted: " + item.error : "Waiting to sync");
    h3.appendChild(mark);
    article.appendChild(h3);
    var groups = {};
    var names = [];
    body.sets.forEach(function (s) {
      var ex = exerciseOf(s.exercise);
      if (!(ex.name in groups)) { groups[ex.name] = []; names.push(ex.name); }
      groups[ex.name].push(describe(s, ex.implement));
    });
    var dl = el("dl");
    names.forEach(function (name) {
      dl.appendChild(el("dt", null, name));
      dl.appendChild(el("dd", null, grouped(groups[name]).join(", ")));
    });
    article.appendChild(dl);
    if (body.notes) article.appendChild(el("p", "notes", "“" + body.notes + "”"));
    if (!item.synced) article.appendChild(el("p", "muted small-print", "Saved on this phone; it reaches your coach when it syncs."));
    return article;
  }

  function sortCards() {
    var cards = Array.prototype.slice.call(list.querySelectorAll("article.past-session"));
    cards.sort(function (a, b) { return Date.parse(b.dataset.performed) - Date.parse(a.dataset.performed); });
    cards.forEach(function (c) { list.appendChild(c); });
  }

  // Sessions that synced after this copy of the page was made, and are not on it.
  function syncedSince(synced, waiting) {
    return synced.filter(function (s) {
      if (waiting[s.body.id] || s.acked_at <= RENDERED_AT || !s.body.sets) return false;
      var onPage = list.querySelector('article[data-session="' + s.body.id + '"]');
      return !onPage || onPage.dataset.local === "true";
    });
  }

  function render() {
    return Promise.all([outbox.pending(), outbox.synced ? outbox.synced() : []]).then(function (both) {
      var items = both[0];
      var waiting = {};
      items.forEach(function (item) {
        if (!item.body || !item.body.sets) return;
        waiting[item.body.id] = true;
        var fresh = card(item);
        var old = shown[item.body.id] || list.querySelector('article[data-session="' + item.body.id + '"]');
        if (old) list.replaceChild(fresh, old); else list.appendChild(fresh);
        shown[item.body.id] = fresh;
      });
      var later = {};
      syncedSince(both[1], waiting).forEach(function (s) {
        later[s.body.id] = true;
        var fresh = card({ body: s.body, synced: true });
        var old = shown[s.body.id] || list.querySelector('article[data-session="' + s.body.id + '"]');
        if (old) list.replaceChild(fresh, old); else list.appendChild(fresh);
        shown[s.body.id] = fresh;
      });
      // Sent while the page is open: the server has it now.
      Object.keys(shown).forEach(function (id) {
        if (waiting[id] || later[id]) return;
        var c = shown[id];
        c.classList.remove("waiting");
        var mark = c.querySelector(".sync-mark");
        if (mark) mark.textContent = "Synced";
        var note = c.querySelector(".small-print");
        if (note) note.remove();
      });
      sortCards();
      var any = list.querySelector("article.past-session") !== null;
      var empty = document.getElementById("no-sessions");
      if (empty) empty.hidden = any;
      var noBest = document.getElementById("no-best");
      if (noBest && Object.keys(waiting).length) {
        noBest.textContent = "Your best sets show here once the sets on this phone have synced.";
      }
    });
  }

  function cannotRead(err) {
    // The sync indicator says it too; the console keeps the details.
    if (window.console) console.error("Hinge Coach History:", err);
  }
  outbox.on("change", function () { render().catch(cannotRead); });
  render().catch(cannotRead);
})();
