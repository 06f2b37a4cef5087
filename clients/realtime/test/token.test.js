// Token expiry through the real API: the server closes with 4001 when the access token expires;
// the client refreshes it through the app's callback (here the API's /v1/auth/refresh), reconnects
// and resubscribes from its last seq without missing an event.
import { test } from "node:test";
import assert from "node:assert/strict";
import { client, publish, refresh, session, until } from "../testing/helpers.js";

test("an expired token is refreshed through the callback and the room carries on", async (t) => {
  const s = await session("2s");
  const room = `user-${s.user}`;
  let refreshToken = s.refreshToken, refreshes = 0;
  const got = [];
  const { c, states } = client({
    getToken: () => s.accessToken,
    refreshToken: async () => {
      refreshes++;
      const next = await refresh(refreshToken);
      refreshToken = next.refreshToken;
      return next.accessToken;
    },
  });
  t.after(() => c.close());
  await c.subscribe(room, { onEvent: (f) => got.push(f.seq) }).ready;
  await publish(room, 2);
  await until(() => got.length === 2, "events before expiry");
  await until(() => states.some((x) => x.code === 4001), "the server's 4001", 15000);
  await publish(room, 3);
  await until(() => got.length === 5, "events after the refresh");
  assert.deepEqual(got, [1, 2, 3, 4, 5]);
  assert.equal(refreshes, 1);
  assert.equal(c.user, s.user);
});

test("a token is refreshed before it expires and the open socket carries on", async (t) => {
  const s = await session("4s");
  const room = `user-${s.user}`;
  let refreshToken = s.refreshToken, refreshes = 0;
  const got = [];
  const { c, states } = client({
    getToken: () => s.accessToken,
    refreshBeforeMs: 2500,
    refreshToken: async () => {
      refreshes++;
      const next = await refresh(refreshToken);
      refreshToken = next.refreshToken;
      return next.accessToken;
    },
  });
  t.after(() => c.close());
  await c.subscribe(room, { onEvent: (f) => got.push(f.seq) }).ready;
  await until(() => refreshes === 1, "the early refresh", 5000);
  await new Promise((r) => setTimeout(r, 3500)); // past the first token's expiry
  await publish(room, 2);
  await until(() => got.length === 2, "events on the extended socket");
  assert.deepEqual(got, [1, 2]);
  assert.deepEqual(states.map((x) => x.s), ["connecting", "open"], "the socket was closed and reopened");
});
