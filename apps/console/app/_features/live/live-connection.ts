import type { LiveChannel, LiveClientMessage, LiveServerFrame } from '@weir/contracts';

/** What the connection needs of a WebSocket: the browser's, or `ws` in tests. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}

export type LiveStatus = 'connecting' | 'open' | 'closed';
type FrameListener = (frame: LiveServerFrame) => void;

const OPEN = 1;

/**
 * One WebSocket to the gateway's `/live`, shared by every component of a page. Channels
 * are reference-counted: the first listener subscribes, the last one unsubscribes, and
 * all subscriptions are replayed after a reconnect. Reconnects back off from 1 s to 30 s;
 * while the socket is down, `status` is 'closed' so that pages fall back to polling.
 */
export class LiveConnection {
  private socket: SocketLike | null = null;
  private readonly listeners = new Map<LiveChannel, Set<FrameListener>>();
  private readonly statusListeners = new Set<(status: LiveStatus) => void>();
  private retryDelayMs = 1000;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  status: LiveStatus = 'connecting';

  constructor(
    private readonly url: string,
    private readonly openSocket: (url: string) => SocketLike,
  ) {
    this.connect();
  }

  subscribe(channel: LiveChannel, listener: FrameListener): () => void {
    let set = this.listeners.get(channel);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(channel, set);
      this.send({ op: 'subscribe', channel });
    }
    set.add(listener);
    return () => {
      const current = this.listeners.get(channel);
      if (current === undefined || !current.delete(listener) || current.size > 0) return;
      this.listeners.delete(channel);
      this.send({ op: 'unsubscribe', channel });
    };
  }

  onStatus(listener: (status: LiveStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  close(): void {
    this.stopped = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.socket?.close();
    this.setStatus('closed');
  }

  private connect(): void {
    let socket: SocketLike;
    try {
      socket = this.openSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    this.setStatus('connecting');
    socket.onopen = () => {
      this.retryDelayMs = 1000;
      this.setStatus('open');
      for (const channel of this.listeners.keys()) this.send({ op: 'subscribe', channel });
    };
    socket.onmessage = (event) => this.dispatch(event.data);
    socket.onerror = () => undefined; // onclose follows and handles it
    socket.onclose = () => {
      this.socket = null;
      this.setStatus('closed');
      if (!this.stopped) this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    this.setStatus('closed');
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.connect();
    }, this.retryDelayMs);
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, 30_000);
  }

  private dispatch(data: unknown): void {
    let frame: LiveServerFrame;
    try {
      frame = JSON.parse(String(data)) as LiveServerFrame;
    } catch {
      return;
    }
    if (!('channel' in frame)) return;
    const set = this.listeners.get(frame.channel as LiveChannel);
    if (set !== undefined) for (const listener of [...set]) listener(frame);
  }

  private send(message: LiveClientMessage): void {
    if (this.socket?.readyState === OPEN) this.socket.send(JSON.stringify(message));
  }

  private setStatus(status: LiveStatus): void {
    if (this.status === status) return;
    this.status = status;
    for (const listener of [...this.statusListeners]) listener(status);
  }
}
