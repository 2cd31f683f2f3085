// The phone's push opt-in (static/client/push.js) up to pushManager.subscribe, with a stub service
// worker registration and push manager (headless Chromium has no push service to subscribe with).
// Run by `node --test tests/js/`.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");

const { create, keyBytes } = require(path.join(__dirname, "..", "..", "static", "client", "push.js"));

// A real VAPID public key's shape: 65 bytes, 0x04 first (base64url, unpadded).
const KEY = "BNnfGrV5MhqDpx4Msjk4TWsLR_qyY0BevKSNjhGeOm-RdPFH58TY32IIY9hktS5eyebRLhQvoS96PZrwgV-K_-c";
const ENDPOINT = "https://push.example.net/send/abc";

function world({ permission = "default", answer = "granted", existing = null, status = 201, existingKey = null } = {}) {
  const calls = { subscribe: [], fetch: [], unsubscribed: 0, asked: 0 };
  const makeSubscription = (endpoint, key) => ({
    endpoint,
    options: { userVisibleOnly: true, applicationServerKey: key ? key.buffer : null },
    toJSON: () => ({ endpoint, expirationTime: null, keys: { p256dh: "p", auth: "a" } }),
    unsubscribe: async () => { calls.unsubscribed += 1; state.subscription = null; return true; },
  });
  const state = { subscription: existing ? makeSubscription(existing, existingKey) : null };
  const pushManager = {
    getSubscription: async () => state.subscription,
    subscribe: async (options) => { calls.subscribe.push(options); state.subscription = makeSubscription(ENDPOINT, options.applicationServerKey); return state.subscription; },
  };
  const Notification = {
    permission,
    requestPermission: async () => { calls.asked += 1; Notification.permission = answer; return answer; },
  };
  const env = {
    navigator: { serviceWorker: { ready: Promise.resolve({ pushManager }) } },
    PushManager: function PushManager() {},
    Notification,
    fetch: async (url, init) => { calls.fetch.push({ url, ...init, body: JSON.parse(init.body) }); return { ok: status < 300, status }; },
    key: KEY,
    subscribeUrl: "/api/v1/push/subscriptions/",
    unsubscribeUrl: "/api/v1/push/subscriptions/unsubscribe/",
    csrf: "token-123",
  };
  return { env, calls, state };
}

test("keyBytes decodes the VAPID key to the 65-byte point", () => {
  const bytes = keyBytes(KEY);
  assert.equal(bytes.length, 65);
  assert.equal(bytes[0], 4);
  assert.equal(Buffer.from(bytes).toString("base64url"), KEY);
});

test("turning on asks permission, subscribes with the server's key and sends the subscription with CSRF", async () => {
  const { env, calls } = world();
  const push = create(env);
  assert.equal(push.supported, true);
  assert.equal(await push.state(), "off");
  assert.equal(await push.turnOn(), "on");
  assert.equal(calls.asked, 1);
  assert.equal(calls.subscribe.length, 1);
  assert.equal(calls.subscribe[0].userVisibleOnly, true);
  assert.deepEqual(Array.from(calls.subscribe[0].applicationServerKey), Array.from(keyBytes(KEY)));
  assert.equal(calls.fetch.length, 1);
  const [sent] = calls.fetch;
  assert.equal(sent.url, "/api/v1/push/subscriptions/");
  assert.equal(sent.method, "POST");
  assert.equal(sent.credentials, "same-origin");
  assert.equal(sent.headers["X-CSRFToken"], "token-123");
  assert.deepEqual(sent.body, { endpoint: ENDPOINT, expirationTime: null, keys: { p256dh: "p", auth: "a" } });
  assert.equal(await push.state(), "on");
});

test("a refused permission subscribes nothing and says blocked", async () => {
  const { env, calls } = world({ answer: "denied" });
  const push = create(env);
  assert.equal(await push.turnOn(), "blocked");
  assert.equal(calls.subscribe.length, 0);
  assert.equal(calls.fetch.length, 0);
  assert.equal(await push.state(), "blocked");
});

test("a subscription the server refuses is undone", async () => {
  const { env, calls, state } = world({ status: 400 });
  const push = create(env);
  await assert.rejects(push.turnOn(), /400/);
  assert.equal(calls.unsubscribed, 1);
  assert.equal(state.subscription, null);
});

test("turning off tells the server the endpoint, then unsubscribes", async () => {
  const { env, calls, state } = world({ permission: "granted", existing: ENDPOINT });
  const push = create(env);
  assert.equal(await push.state(), "on");
  assert.equal(await push.turnOff(), "off");
  assert.deepEqual(calls.fetch.map((c) => [c.url, c.body]), [["/api/v1/push/subscriptions/unsubscribe/", { endpoint: ENDPOINT }]]);
  assert.equal(calls.unsubscribed, 1);
  assert.equal(state.subscription, null);
});

test("a visit sends an existing subscription again, and nothing without one", async () => {
  const on = world({ permission: "granted", existing: ENDPOINT });
  assert.equal(await create(on.env).refresh(), "on");
  assert.deepEqual(on.calls.fetch.map((c) => c.body.endpoint), [ENDPOINT]);
  const off = world();
  assert.equal(await create(off.env).refresh(), "off");
  assert.equal(off.calls.fetch.length, 0);
  assert.equal(off.calls.asked, 0); // never asks for permission by itself
});

test("without the Push API or a server key the opt-in is unsupported", async () => {
  const noPush = world();
  delete noPush.env.PushManager;
  assert.equal(create(noPush.env).supported, false);
  assert.equal(await create(noPush.env).state(), "unsupported");
  const noKey = world();
  noKey.env.key = "";
  assert.equal(create(noKey.env).supported, false);
});

test("a subscription made with an older VAPID key is made again with the server's key", async () => {
  const OLD = "https://push.example.net/send/old";
  const oldKey = keyBytes(KEY).map((b, i) => (i === 1 ? b ^ 1 : b));
  const { env, calls, state } = world({ permission: "granted", existing: OLD, existingKey: oldKey });
  assert.equal(await create(env).refresh(), "on");
  assert.deepEqual(calls.fetch.map((c) => [c.url, c.body.endpoint]), [
    ["/api/v1/push/subscriptions/unsubscribe/", OLD],
    ["/api/v1/push/subscriptions/", ENDPOINT],
  ]);
  assert.equal(calls.unsubscribed, 1);
  assert.equal(calls.asked, 0); // permission was granted already: no prompt
  assert.deepEqual(Array.from(calls.subscribe[0].applicationServerKey), Array.from(keyBytes(KEY)));
  assert.equal(state.subscription.endpoint, ENDPOINT);
});

test("a subscription made with the same key is only sent again", async () => {
  const { env, calls } = world({ permission: "granted", existing: ENDPOINT, existingKey: keyBytes(KEY) });
  assert.equal(await create(env).refresh(), "on");
  assert.equal(calls.subscribe.length, 0);
  assert.deepEqual(calls.fetch.map((c) => c.url), ["/api/v1/push/subscriptions/"]);
});
