// Helpers of the client's tests (test/*.test.js). They run against a real `amn api` started by the Go test
// cmd/amn TestRealtimeClient, which passes in the environment:
//   AMN_RT_API     the API's base URL (http://127.0.0.1:port)
//   AMN_RT_HELPER  the Go test's helper: POST /session makes a user and signs it in (optionally
//                  with a short-lived access token), POST /publish publishes events into a room
//                  with realtime.Publish, as a domain package does in its transaction.
import net from "node:net";
import { RealtimeClient } from "../index.js";

export const api = mustEnv("AMN_RT_API");
const helper = mustEnv("AMN_RT_HELPER");
export const wsURL = api.replace(/^http/, "ws") + "/v1/ws";

function mustEnv(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run these tests through go test ./cmd/amn -run TestRealtimeClient`);
  return v;
}

async function post(url, body) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${text}`);
  return JSON.parse(text);
}

/** A new user, signed in: {user, accessToken, refreshToken}; accessTTL e.g. "2s". */
export const session = (accessTTL) => post(helper + "/session", accessTTL ? { accessTTL } : {});

/** Publishes count events into room, one transaction each; answers the last seq. */
export const publish = async (room, count) => (await post(helper + "/publish", { room, count })).last;

/** Trades a refresh token for new tokens through the real API. */
export const refresh = (refreshToken) => post(api + "/v1/auth/refresh", { refreshToken });

/** Polls cond until it holds or ms pass. */
export async function until(cond, what, ms = 10000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A client with fast reconnects whose state changes are recorded. */
export function client(opts) {
  const states = [];
  const c = new RealtimeClient({ url: wsURL, minBackoffMs: 50, maxBackoffMs: 500, connectTimeoutMs: 1000, onState: (s, info) => states.push({ s, ...info }), ...opts });
  return { c, states };
}

/**
 * A TCP proxy to the API: drop() cuts every connection as a network would (no close frame), and
 * while down new connections are cut at once.
 */
export async function proxy() {
  const target = new URL(api);
  const socks = new Set();
  const p = { down: false, url: "", connections: 0 };
  const server = net.createServer((inc) => {
    if (p.down) return inc.destroy();
    p.connections++;
    const out = net.connect(Number(target.port), target.hostname);
    for (const s of [inc, out]) {
      socks.add(s);
      s.on("close", () => socks.delete(s));
      s.on("error", () => {});
    }
    inc.on("close", () => out.destroy());
    out.on("close", () => inc.destroy());
    inc.pipe(out).pipe(inc);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  p.url = `ws://127.0.0.1:${server.address().port}/v1/ws`;
  p.drop = () => { for (const s of socks) s.destroy(); };
  p.close = () => { p.drop(); server.close(); };
  return p;
}
