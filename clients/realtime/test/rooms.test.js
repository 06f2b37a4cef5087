// Rooms through the real API: receive in order, replay after a dropped connection, refused rooms,
// reset, presence and typing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { client, proxy, publish, session, until } from "../testing/helpers.js";

const seqs = (n, from = 0) => Array.from({ length: n }, (_, i) => from + i + 1);

test("subscribe and receive a room's events in order", async (t) => {
  const s = await session();
  const room = `user-${s.user}`;
  const got = [];
  const { c } = client({ getToken: () => s.accessToken });
  t.after(() => c.close());
  const sub = c.subscribe(room, { onEvent: (f) => got.push(f) });
  assert.equal(await sub.ready, 0);
  assert.equal(await publish(room, 5), 5);
  await until(() => got.length === 5, "5 events");
  assert.deepEqual(got.map((f) => f.seq), seqs(5));
  assert.equal(got[0].kind, "test.event");
  assert.deepEqual(got[2].data, { i: 2 });
  assert.equal(c.lastSeq(room), 5);
});

test("a dropped connection reconnects and replays what was published meanwhile, once, in order", async (t) => {
  const s = await session();
  const room = `user-${s.user}`;
  const p = await proxy();
  t.after(() => p.close());
  const got = [];
  const { c, states } = client({ url: p.url, getToken: () => s.accessToken });
  t.after(() => c.close());
  await c.subscribe(room, { onEvent: (f) => got.push(f.seq) }).ready;
  await publish(room, 3);
  await until(() => got.length === 3, "the first 3 events");

  p.down = true;
  p.drop();
  await until(() => states.some((x) => x.s === "closed"), "the client to see the drop");
  await publish(room, 20); // while the client cannot reach the server (it keeps retrying)
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(got.length, 3, "nothing can arrive while the network is down");
  p.down = false;
  await until(() => got.length === 23, "the 20 missed events");
  await publish(room, 2);
  await until(() => got.length === 25, "live events after the replay");
  await new Promise((r) => setTimeout(r, 200)); // anything duplicated would have come by now
  assert.deepEqual(got, seqs(25));
  assert.ok(p.connections >= 2, "the client reconnected through the proxy");
});

test("another user's room is refused, the socket stays open and the room is not retried", async (t) => {
  const [s, other] = await Promise.all([session(), session()]);
  const p = await proxy();
  t.after(() => p.close());
  const errors = [];
  const { c } = client({ url: p.url, getToken: () => s.accessToken });
  t.after(() => c.close());
  const refused = c.subscribe(`user-${other.user}`, { onError: (f) => errors.push(f.code) });
  await assert.rejects(refused.ready, (err) => err.code === "forbidden" && err.room === `user-${other.user}`);
  assert.deepEqual(errors, ["forbidden"]);
  assert.equal(c.lastSeq(`user-${other.user}`), undefined);
  await publish(`user-${other.user}`, 2);

  const own = [];
  await c.subscribe(`user-${s.user}`, { onEvent: (f) => own.push(f) }).ready;
  p.drop(); // after a reconnect only the own room is subscribed again
  await publish(`user-${s.user}`, 1);
  await until(() => own.length === 1, "the own room's event after the reconnect");
  assert.deepEqual(errors, ["forbidden"], "the refused room was asked for again");
  assert.throws(() => c.subscribe(`user-${s.user}`), /already subscribed/);
});

test("a gap that cannot be replayed gives onReset, then live events after it", async (t) => {
  const s = await session();
  const room = `user-${s.user}`;
  await publish(room, 2);
  const resets = [], got = [];
  const { c } = client({ getToken: () => s.accessToken });
  t.after(() => c.close());
  await c.subscribe(room, { onReset: (seq) => resets.push(seq), onEvent: (f) => got.push(f.seq) }, 40).ready;
  await until(() => resets.length === 1, "a reset");
  assert.deepEqual(resets, [2]); // since 40 is from nowhere: reload, carry on after 2
  await publish(room, 1);
  await until(() => got.length === 1, "the next event");
  assert.deepEqual(got, [3]);
});

test("presence lists who is in the room and typing reaches the others", async (t) => {
  const s = await session();
  const room = `user-${s.user}`;
  const typing = [], joins = [];
  const a = client({ getToken: () => s.accessToken }).c;
  const b = client({ getToken: () => s.accessToken }).c;
  t.after(() => { a.close(); b.close(); });
  await a.subscribe(room, { onPresence: (f) => joins.push(f) }).ready;
  await b.subscribe(room, { onTyping: (f) => typing.push(f.user) }).ready;
  assert.deepEqual(await a.presence(room), { count: 1, users: [s.user] });
  a.typing(room);
  await until(() => typing.length === 1, "a typing frame");
  assert.deepEqual(typing, [s.user]);
  await assert.rejects(a.presence(`user-${crypto.randomUUID()}`), (err) => err.code === "not_subscribed");
});

test("a token the server refuses stops the client with onUnauthenticated", async () => {
  let why = "";
  const { c, states } = client({ getToken: () => "not-a-token", onUnauthenticated: (r) => { why = r; } });
  await until(() => why !== "", "onUnauthenticated");
  assert.equal(states.at(-1).code, 4003);
  const n = states.length;
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(states.length, n, "the client reconnected after a refused token");
  c.close();
});
