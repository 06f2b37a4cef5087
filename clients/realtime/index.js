// The Amn real-time client: one WebSocket to GET /v1/ws (docs/realtime.md), rooms that survive
// reconnects without missing or repeating an event, token refresh, presence and typing.
//
// Plain ESM JavaScript with JSDoc types (checked by `tsc --checkJs`), so a browser or Node imports
// it as is. The frame and message shapes are the OpenAPI document's (clients/typescript).
//
//   const rt = new RealtimeClient({
//     url: "wss://api.example/v1/ws",
//     getToken: () => session.accessToken,
//     refreshToken: async () => (await refresh()).accessToken, // on 4001 and before expiry
//     onUnauthenticated: () => signIn(),                       // 4003: the token is no good
//   });
//   const room = rt.subscribe("request-…", {
//     onEvent: (e) => apply(e),            // each event once, in seq order, across reconnects
//     onReset: () => reloadRequest(),      // the gap could not be replayed: reload the object
//     onPresence: (p) => showJoinLeave(p), // join/leave frames
//     onTyping: (t) => showTyping(t.user),
//   });
//   await room.ready; rt.typing(room.name); const { count, users } = await rt.presence(room.name);

/** @typedef {import("../typescript/openapi.js").components["schemas"]["RealtimeFrame"]} Frame */
/** @typedef {import("../typescript/openapi.js").components["schemas"]["RealtimeClientMessage"]} ClientMessage */

/** Close codes of the server (realtime/protocol.go). */
export const CloseTokenExpired = 4001;
export const CloseUnauthenticated = 4003;
export const CloseTooSlow = 4008;

/**
 * @typedef {object} RoomHandlers
 * @property {(f: Frame) => void} [onEvent] an event (`seq`, `kind`, `data`, `at`), each once, in order
 * @property {(seq: number) => void} [onReset] the missed events are gone: reload, events carry on after seq
 * @property {(f: Frame) => void} [onPresence] a join or leave (`event`, `user`, `count`)
 * @property {(f: Frame) => void} [onTyping] `user` is typing
 * @property {(f: Frame) => void} [onError] an error frame about this room (`code`, `message`)
 */

/**
 * @typedef {object} Options
 * @property {string} url the WebSocket URL of /v1/ws (ws:// or wss://)
 * @property {() => string | Promise<string>} getToken the current access token
 * @property {() => string | Promise<string>} [refreshToken] a fresh access token (after 4001, and
 *   shortly before the current one expires); without it an expired token ends the client
 * @property {(reason: string) => void} [onUnauthenticated] the server refused the token (4003) or
 *   refreshing failed: the client stops; sign in again and make a new client
 * @property {(state: "connecting" | "open" | "closed", info?: {code: number, reason: string}) => void} [onState]
 * @property {number} [minBackoffMs] first reconnect delay (default 250)
 * @property {number} [maxBackoffMs] longest reconnect delay (default 30000)
 * @property {number} [refreshBeforeMs] refresh this long before the token expires (default 30000)
 * @property {number} [connectTimeoutMs] give up on a connection not signed in by then and retry
 *   (default 10000; Node 20's WebSocket never reports a connection cut during its handshake)
 * @property {typeof WebSocket} [WebSocket] the WebSocket class (default: the global one)
 */

/** @typedef {{name: string, ready: Promise<number>, unsubscribe: () => void}} Subscription */

/**
 * @typedef {object} RoomState
 * @property {number | undefined} last the last seq this client has (undefined: none yet)
 * @property {RoomHandlers} handlers
 * @property {boolean} subscribed the server confirmed the subscription on this connection
 * @property {((seq: number) => void) | null} resolve
 * @property {((err: Error) => void) | null} reject
 */

/** An error frame the server answered a subscription or a request with. */
export class RealtimeError extends Error {
  /** @param {string} code @param {string} message @param {string} [room] */
  constructor(code, message, room) {
    super(`${code}: ${message}`);
    this.name = "RealtimeError";
    this.code = code;
    this.room = room;
  }
}

export class RealtimeClient {
  /** @param {Options} opts */
  constructor(opts) {
    this.opts = { minBackoffMs: 250, maxBackoffMs: 30000, refreshBeforeMs: 30000, connectTimeoutMs: 10000, ...opts };
    /** @type {Map<string, RoomState>} */
    this.rooms = new Map();
    /** @type {WebSocket | null} */
    this.ws = null;
    this.stopped = false;
    this.attempt = 0;
    /** @type {Map<string, Array<(f: Frame) => void>>} presence answers awaited, by room */
    this.presenceWaits = new Map();
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.refreshTimer = undefined;
    /** @type {string | undefined} the user the server says this client speaks for */
    this.user = undefined;
    this.authed = false; // the current socket has had its "ready"
    this.connect();
  }

  /**
   * Joins room; on every reconnect it resubscribes from the room's last seq, so handlers get each
   * event once, in order. since: the last seq the app already has (from an earlier page load).
   * @param {string} room @param {RoomHandlers} [handlers] @param {number} [since]
   * @returns {Subscription}
   */
  subscribe(room, handlers = {}, since) {
    if (this.rooms.has(room)) throw new Error(`already subscribed to ${room}`);
    /** @type {RoomState} */
    const st = { last: since, handlers, subscribed: false, resolve: null, reject: null };
    const ready = new Promise((resolve, reject) => { st.resolve = resolve; st.reject = reject; });
    ready.catch(() => {}); // a caller that never awaits it still gets onError
    this.rooms.set(room, st);
    this.sendSubscribe(room, st);
    return { name: room, ready, unsubscribe: () => this.unsubscribe(room) };
  }

  /** @param {string} room */
  unsubscribe(room) {
    if (!this.rooms.delete(room)) return;
    this.send({ type: "unsubscribe", room });
  }

  /** The last seq this client has of room (what a reload through the API should be newer than). */
  lastSeq(/** @type {string} */ room) { return this.rooms.get(room)?.last; }

  /**
   * Who is in room now, across API processes (the room must be subscribed).
   * @param {string} room @param {number} [timeoutMs]
   * @returns {Promise<{count: number, users: string[]}>}
   */
  presence(room, timeoutMs = 10000) {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("no presence answer in time")), timeoutMs);
      const waits = this.presenceWaits.get(room) ?? [];
      waits.push((f) => {
        clearTimeout(t);
        if (f.type === "error") reject(new RealtimeError(f.code ?? "", f.message ?? "", room));
        else resolve({ count: f.count ?? 0, users: f.users ?? [] });
      });
      this.presenceWaits.set(room, waits);
      if (!this.send({ type: "presence", room })) this.answerPresence(room, { type: "error", code: "unavailable", message: "not connected" });
    });
  }

  /** Tells the room's others this user is typing (the server passes on at most one a second). */
  typing(/** @type {string} */ room) { this.send({ type: "typing", room }); }

  /** Ends the client: no more reconnects. */
  close() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.refreshTimer);
    this.ws?.close(1000, "client closed");
    this.ws = null;
    this.state("closed", { code: 1000, reason: "client closed" });
  }

  // --- the connection ---

  async connect() {
    if (this.stopped) return;
    this.state("connecting");
    let token;
    try {
      token = await this.opts.getToken();
    } catch (err) {
      this.scheduleReconnect();
      return;
    }
    if (this.stopped) return;
    const WS = this.opts.WebSocket ?? globalThis.WebSocket;
    const ws = new WS(this.opts.url);
    this.ws = ws;
    this.authed = false;
    ws.onopen = () => this.send({ type: "auth", token });
    ws.onmessage = (ev) => this.receive(ev.data);
    ws.onclose = (ev) => this.closed(ws, ev.code, ev.reason);
    ws.onerror = () => {}; // onclose follows
    setTimeout(() => {
      if (this.ws !== ws || this.authed) return;
      try { ws.close(); } catch { /* already closing */ }
      this.closed(ws, 1006, "not signed in in time");
    }, this.opts.connectTimeoutMs);
  }

  /** @param {WebSocket} ws @param {number} code @param {string} reason */
  async closed(ws, code, reason) {
    if (ws !== this.ws) return; // an old socket
    this.ws = null;
    clearTimeout(this.refreshTimer);
    for (const st of this.rooms.values()) st.subscribed = false;
    for (const [room, waits] of [...this.presenceWaits]) {
      for (const _ of [...waits]) this.answerPresence(room, { type: "error", code: "unavailable", message: "disconnected" });
    }
    if (this.stopped) return;
    this.state("closed", { code, reason });
    if (code === CloseUnauthenticated) return this.giveUp(reason || "access token refused");
    if (code === CloseTokenExpired) {
      if (!(await this.refresh())) return;
      this.attempt = 0;
      return this.connect();
    }
    this.scheduleReconnect();
  }

  /** Swaps the token for a fresh one through the app's callback; false: gave up. */
  async refresh() {
    if (!this.opts.refreshToken) {
      this.giveUp("access token expired and no refreshToken callback");
      return false;
    }
    try {
      const t = await this.opts.refreshToken();
      this.opts.getToken = () => t;
      return true;
    } catch (err) {
      this.giveUp(`refreshing the token failed: ${err instanceof Error ? err.message : err}`);
      return false;
    }
  }

  /** @param {string} reason */
  giveUp(reason) {
    this.stopped = true;
    clearTimeout(this.refreshTimer);
    this.ws?.close(1000, "signed out");
    this.ws = null;
    this.opts.onUnauthenticated?.(reason);
  }

  scheduleReconnect() {
    if (this.stopped) return;
    const { minBackoffMs = 250, maxBackoffMs = 30000 } = this.opts;
    const cap = Math.min(maxBackoffMs, minBackoffMs * 2 ** this.attempt);
    this.attempt++;
    const delay = cap / 2 + Math.random() * (cap / 2); // jitter: clients dropped together come back apart
    this.timer = setTimeout(() => this.connect(), delay);
  }

  /** @param {ClientMessage} m @returns {boolean} sent */
  send(m) {
    if (!this.ws || this.ws.readyState !== 1) return false;
    this.ws.send(JSON.stringify(m));
    return true;
  }

  /** @param {string} room @param {RoomState} st */
  sendSubscribe(room, st) {
    if (!this.authed) return; // "ready" subscribes every room
    /** @type {ClientMessage} */
    const m = { type: "subscribe", room };
    if (st.last !== undefined) m.since = st.last;
    this.send(m);
  }

  /** @param {"connecting" | "open" | "closed"} s @param {{code: number, reason: string}} [info] */
  state(s, info) { this.opts.onState?.(s, info); }

  // --- frames ---

  /** @param {unknown} data */
  receive(data) {
    /** @type {Frame[]} */
    let frames;
    try {
      frames = JSON.parse(String(data));
    } catch {
      return;
    }
    for (const f of frames) this.frame(f);
  }

  /** @param {Frame} f */
  frame(f) {
    const st = f.room ? this.rooms.get(f.room) : undefined;
    switch (f.type) {
      case "ready": return this.ready(f);
      case "subscribed": return this.subscribed(st, f);
      case "event": return this.event(st, f);
      case "reset":
        if (!st) return;
        st.last = f.seq;
        return st.handlers.onReset?.(f.seq ?? 0);
      case "presence":
        if (f.event) return st?.handlers.onPresence?.(f);
        return this.answerPresence(f.room ?? "", f);
      case "typing": return st?.handlers.onTyping?.(f);
      case "error": return this.error(st, f);
    }
  }

  /** @param {Frame} f */
  ready(f) {
    this.user = f.user;
    this.scheduleRefresh(f.expiresAt);
    if (this.authed) return; // a refreshed token on the same socket
    this.authed = true;
    this.attempt = 0;
    this.state("open");
    for (const [room, st] of this.rooms) this.sendSubscribe(room, st);
  }

  /** Refreshes before expiry and extends the connection (an auth message of the same user). */
  scheduleRefresh(/** @type {string | undefined} */ expiresAt) {
    clearTimeout(this.refreshTimer);
    if (!expiresAt || !this.opts.refreshToken) return;
    const inMs = Date.parse(expiresAt) - Date.now() - (this.opts.refreshBeforeMs ?? 30000);
    if (inMs <= 0) return; // too short-lived to refresh early: 4001 will come, and refresh then
    this.refreshTimer = setTimeout(async () => {
      if (await this.refresh()) this.send({ type: "auth", token: await this.opts.getToken() });
    }, inMs);
  }

  /** @param {RoomState | undefined} st @param {Frame} f */
  subscribed(st, f) {
    if (!st) return;
    st.subscribed = true;
    if (st.last === undefined) st.last = f.seq; // joined now: live events from here
    st.resolve?.(f.seq ?? 0);
    st.resolve = st.reject = null;
  }

  /** @param {RoomState | undefined} st @param {Frame} f */
  event(st, f) {
    if (!st || f.seq === undefined) return;
    if (st.last !== undefined && f.seq <= st.last) return; // a replay overlapping the live stream
    st.last = f.seq;
    st.handlers.onEvent?.(f);
  }

  /** @param {RoomState | undefined} st @param {Frame} f */
  error(st, f) {
    const err = new RealtimeError(f.code ?? "", f.message ?? "", f.room);
    const aboutPresence = f.code === "not_subscribed" || (st?.subscribed && f.code === "unavailable");
    if (f.room && this.presenceWaits.has(f.room) && aboutPresence) return this.answerPresence(f.room, f);
    if (!st || !f.room) return;
    if (!st.subscribed && f.code === "unavailable") { // the server could not join it now: retry
      const ws = this.ws, room = f.room;
      setTimeout(() => { if (this.ws === ws && this.rooms.get(room) === st) this.sendSubscribe(room, st); }, 1000);
    }
    if (!st.subscribed && (f.code === "forbidden" || f.code === "invalid" || f.code === "too_many")) {
      this.rooms.delete(f.room); // a refused room is not retried on reconnect
      st.reject?.(err);
      st.resolve = st.reject = null;
    }
    st.handlers.onError?.(f);
  }

  /** @param {string} room @param {Frame} f */
  answerPresence(room, f) {
    const waits = this.presenceWaits.get(room);
    const w = waits?.shift();
    if (waits && waits.length === 0) this.presenceWaits.delete(room);
    w?.(f);
  }
}
