import { createRequire } from 'node:module';
import type { LiveServerFrame } from '@weir/contracts';

/** The part of the `ws` client these tests use (the package ships no types). */
interface WsClient {
  on(event: 'message', listener: (data: Buffer) => void): void;
  once(event: 'open' | 'close', listener: () => void): void;
  once(event: 'error', listener: (err: Error) => void): void;
  send(data: string | Buffer): void;
  close(): void;
  readonly readyState: number;
}
const WebSocket = createRequire(import.meta.url)('ws') as new (url: string) => WsClient;

/** A `/live` client that records every frame and can wait for one matching a predicate. */
export class LiveClient {
  readonly frames: LiveServerFrame[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly socket: WsClient) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString('utf8')) as LiveServerFrame);
      for (const wake of this.waiters) wake();
    });
  }

  static async connect(baseUrl: string): Promise<LiveClient> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/live`);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return new LiveClient(socket);
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  sendBinary(bytes: Buffer): void {
    this.socket.send(bytes);
  }

  /** Resolves with the first frame (already received or to come) matching `match`, or fails after `timeoutMs`. */
  waitFor<F extends LiveServerFrame>(match: (frame: LiveServerFrame) => frame is F, timeoutMs?: number): Promise<F>;
  waitFor(match: (frame: LiveServerFrame) => boolean, timeoutMs?: number): Promise<LiveServerFrame>;
  waitFor(match: (frame: LiveServerFrame) => boolean, timeoutMs = 8000): Promise<LiveServerFrame> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.frames.find(match);
        if (found === undefined) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames)}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  async close(): Promise<void> {
    if (this.socket.readyState === 3) return;
    const closed = new Promise<void>((resolve) => this.socket.once('close', resolve));
    this.socket.close();
    await closed;
  }
}
