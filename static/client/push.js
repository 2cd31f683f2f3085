/* Hinge Coach: opt-in Web Push on the phone (a coach's reply, a new prescription).
 *
 * The Today page's "Notifications" card (#push) carries the server's VAPID public key and the
 * API's subscribe/unsubscribe URLs; it stays hidden when the server has no keys (no card) or the
 * browser lacks the Push API. "Turn on" asks for permission, subscribes through the service
 * worker's pushManager and sends the subscription (session cookie + CSRF header); "Turn off"
 * tells the server, then unsubscribes. An existing subscription is sent again on each visit, so
 * the server's copy follows the browser's (and one made with an old VAPID key is made again). The
 * service worker (sw.js) shows the notifications.
 *
 * `HingePush.create(env)` takes the browser's objects (tests/js/push.test.js gives stubs).
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.HingePush = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // The VAPID key as the bytes pushManager.subscribe wants (applicationServerKey).
  function keyBytes(base64url) {
    var b64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) b64 += "=";
    var raw = atob(b64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  // env: { navigator, Notification, fetch, key, subscribeUrl, unsubscribeUrl, csrf }
  function create(env) {
    var supported = !!(env.navigator && env.navigator.serviceWorker && env.PushManager && env.Notification && env.key);

    function send(url, body) {
      return env.fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": env.csrf },
        body: JSON.stringify(body),
      }).then(function (response) {
        if (!response.ok) throw new Error("The server answered " + response.status);
        return response;
      });
    }

    function current() {
      return env.navigator.serviceWorker.ready.then(function (registration) {
        return registration.pushManager.getSubscription();
      });
    }

    // "on", "off", "blocked" (the user said no in the browser) or "unsupported".
    function state() {
      if (!supported) return Promise.resolve("unsupported");
      if (env.Notification.permission === "denied") return Promise.resolve("blocked");
      return current().then(function (subscription) { return subscription ? "on" : "off"; });
    }

    function turnOn() {
      return Promise.resolve(env.Notification.requestPermission()).then(function (permission) {
        if (permission !== "granted") return "blocked";
        return env.navigator.serviceWorker.ready.then(function (registration) {
          return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(env.key) });
        }).then(function (subscription) {
          return send(env.subscribeUrl, subscription.toJSON()).then(function () { return "on"; }, function (err) {
            // Not stored by the server: do not leave a subscription nobody sends to.
            return subscription.unsubscribe().then(function () { throw err; });
          });
        });
      });
    }

    function turnOff() {
      return current().then(function (subscription) {
        if (!subscription) return "off";
        return send(env.unsubscribeUrl, { endpoint: subscription.endpoint }).then(function () {
          return subscription.unsubscribe();
        }).then(function () { return "off"; });
      });
    }

    function sameKey(subscription) {
      var options = subscription.options;
      if (!options || !options.applicationServerKey) return true; // the browser does not say
      var had = new Uint8Array(options.applicationServerKey);
      var now = keyBytes(env.key);
      return had.length === now.length && had.every(function (b, i) { return b === now[i]; });
    }

    // On each visit: the browser's subscription, sent again (the server may have dropped it). One
    // made with an older VAPID key (the server's pair was replaced) is made again with this one:
    // permission is already granted, so no prompt.
    function refresh() {
      return state().then(function (now) {
        if (now !== "on") return now;
        return current().then(function (subscription) {
          if (sameKey(subscription)) {
            return send(env.subscribeUrl, subscription.toJSON()).then(function () { return "on"; });
          }
          return send(env.unsubscribeUrl, { endpoint: subscription.endpoint }).then(function () {
            return subscription.unsubscribe();
          }).then(function () {
            return env.navigator.serviceWorker.ready;
          }).then(function (registration) {
            return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(env.key) });
          }).then(function (fresh) {
            return send(env.subscribeUrl, fresh.toJSON()).then(function () { return "on"; });
          });
        });
      });
    }

    return { supported: supported, state: state, turnOn: turnOn, turnOff: turnOff, refresh: refresh };
  }

  var TEXT = {
    on: "Notifications are on for this phone: your coach's replies and plan changes.",
    off: "Get a notification on this phone when your coach replies or changes your plan.",
    blocked: "Notifications are blocked for this site in your browser's settings.",
    failed: "That did not work. Check your connection and try again.",
  };

  function wire(doc, win) {
    var card = doc.getElementById("push");
    if (!card) return;
    var push = create({
      navigator: win.navigator,
      Notification: win.Notification,
      PushManager: win.PushManager,
      fetch: win.fetch.bind(win),
      key: card.dataset.key,
      subscribeUrl: card.dataset.subscribe,
      unsubscribeUrl: card.dataset.unsubscribe,
      csrf: card.dataset.csrf,
    });
    if (!push.supported) return;
    var status = doc.getElementById("push-status");
    var on = doc.getElementById("push-on");
    var off = doc.getElementById("push-off");
    function show(now) {
      card.hidden = false;
      card.dataset.state = now;
      status.textContent = TEXT[now] || TEXT.off;
      on.hidden = now !== "off" && now !== "failed";
      off.hidden = now !== "on";
      on.disabled = off.disabled = false;
    }
    function run(action) {
      on.disabled = off.disabled = true;
      action().then(show, function (err) {
        if (win.console) console.warn("Hinge Coach: notifications", err);
        show("failed");
      });
    }
    on.addEventListener("click", function () { run(push.turnOn); });
    off.addEventListener("click", function () { run(push.turnOff); });
    push.refresh().then(show, function () { push.state().then(show); });
  }

  if (typeof document !== "undefined" && typeof window !== "undefined") {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { wire(document, window); });
    else wire(document, window);
  }

  return { create: create, keyBytes: keyBytes, wire: wire };
});
