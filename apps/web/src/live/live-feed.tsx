/**
 * The UI's live layer, behind one small interface so screens do not care how changes arrive.
 *
 * - `socket`: socket.io namespace `/live` (libs/hub/src/live), `auth: { token }` at the handshake,
 *   `subscribe { view }` (acked with its room; `unsubscribe { room }`), then `update` events. An update is treated as "this view changed": the screen refetches through the API,
 *   so the payload's shape does not matter here.
 * - `polling`: until the hub's socket.io feed is served (or while it is unreachable), every subscribed view
 *   is refreshed every 5 s. The feed retries the socket now and then and switches over when it answers.
 *   A view the hub does not serve yet (its subscribe ack is an error, not `{ ok }`) keeps polling while the
 *   others are live.
 */
export type LiveView = 'pathway-shares' | 'case-list' | 'bed-board' | 'capacity' | 'kpis';
export type LiveState = 'connecting' | 'live' | 'polling' | 'offline';

export interface LiveFeed {
  readonly state: LiveState;
  /** Calls `onChange` whenever `view` may have changed. Returns the unsubscribe function. */
  subscribe(view: LiveView, onChange: () => void): () => void;
  onStateChange(listener: (state: LiveState) => void): () => void;
  close(): void;
}

export const POLL_INTERVAL_MS = 5_000;
const SOCKET_RETRY_MS = 60_000;
const SOCKET_TIMEOUT_MS = 4_000;

interface MinimalSocket {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  disconnect(): unknown;
}
export type SocketFactory = (token: string) => Promise<MinimalSocket>;

/** socket.io-client, loaded only when first needed. */
const defaultSocketFactory: SocketFactory = async (token) => {
  const { io } = await import('socket.io-client');
  return io('/live', {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    timeout: SOCKET_TIMEOUT_MS,
  }) as unknown as MinimalSocket;
};

export function createLiveFeed(
  token: string,
  { socketFactory = defaultSocketFactory, useSocket = true }: { socketFactory?: SocketFactory; useSocket?: boolean } = {},
): LiveFeed {
  const subscribers = new Map<LiveView, Set<() => void>>();
  const stateListeners = new Set<(state: LiveState) => void>();
  let state: LiveState = useSocket ? 'connecting' : 'polling';
  let pollTimer: ReturnType<typeof setInterval> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let socket: MinimalSocket | undefined;
  /** The room the server put each view in (from the subscribe ack); unsubscribe names the room. */
  const rooms = new Map<LiveView, string>();
  /** Views the socket refused (not served yet): polled even while the socket is live. */
  const unserved = new Set<LiveView>();
  let unservedTimer: ReturnType<typeof setInterval> | undefined;
  const pollUnserved = () => {
    unservedTimer ??= setInterval(() => {
      if (state !== 'live') return; // the ordinary poll covers every view then
      for (const view of unserved) notify(view);
    }, POLL_INTERVAL_MS);
  };
  const join = (s: MinimalSocket, view: LiveView) =>
    s.emit('subscribe', { view }, (ack: { ok?: boolean; room?: string } | undefined) => {
      if (ack?.ok && ack.room) {
        rooms.set(view, ack.room);
        unserved.delete(view);
      } else {
        unserved.add(view);
        pollUnserved();
      }
    });
  let closed = false;

  const setState = (next: LiveState) => {
    if (next === state) return;
    state = next;
    for (const listener of stateListeners) listener(next);
  };
  const notify = (view?: LiveView) => {
    for (const [name, listeners] of subscribers) if (!view || name === view) for (const listener of listeners) listener();
  };
  const startPolling = () => {
    setState(navigator.onLine === false ? 'offline' : 'polling');
    pollTimer ??= setInterval(() => {
      setState(navigator.onLine === false ? 'offline' : 'polling');
      notify();
    }, POLL_INTERVAL_MS);
  };
  const stopPolling = () => {
    if (pollTimer) clearInterval(pollTimer);
    pollTimer = undefined;
  };

  const connect = async () => {
    if (closed) return;
    try {
      const s = await socketFactory(token);
      if (closed) return void s.disconnect();
      socket = s;
      s.on('connect', () => {
        stopPolling();
        setState('live');
        for (const view of subscribers.keys()) join(s, view);
        notify(); // catch up on anything missed while not live
      });
      s.on('update', (payload: unknown) => {
        const view = (payload as { view?: LiveView } | undefined)?.view;
        notify(view);
      });
      let fellBack = false;
      const fallBack = () => {
        if (fellBack) return;
        fellBack = true;
        s.disconnect();
        if (socket === s) socket = undefined;
        if (closed) return;
        startPolling();
        retryTimer = setTimeout(() => void connect(), SOCKET_RETRY_MS);
      };
      s.on('connect_error', fallBack);
      s.on('disconnect', fallBack);
    } catch {
      startPolling();
    }
  };

  if (useSocket) {
    // Poll from the start: the socket takes over once (and if) it connects.
    startPolling();
    setState('connecting');
    void connect();
  } else startPolling();

  return {
    get state() {
      return state;
    },
    subscribe(view, onChange) {
      const set = subscribers.get(view) ?? new Set();
      const isNew = !subscribers.has(view);
      set.add(onChange);
      subscribers.set(view, set);
      if (isNew && state === 'live' && socket) join(socket, view);
      return () => {
        set.delete(onChange);
        if (set.size === 0) {
          subscribers.delete(view);
          unserved.delete(view);
          const room = rooms.get(view);
          rooms.delete(view);
          if (state === 'live' && room) socket?.emit('unsubscribe', { room });
        }
      };
    },
    onStateChange(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    close() {
      closed = true;
      stopPolling();
      if (unservedTimer) clearInterval(unservedTimer);
      if (retryTimer) clearTimeout(retryTimer);
      socket?.disconnect();
      subscribers.clear();
      stateListeners.clear();
    },
  };
}
