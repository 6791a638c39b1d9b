import type { BrokerLogger } from '../broker/broker-options.js';

/** How old a value may be before a read asks for it again (in the background). */
export const BACKGROUND_VALUE_MAX_AGE_MS = 1000;

/**
 * Values that take a network round trip to learn (another broker's offsets or log dir
 * size), for synchronous views: `get` answers with what was last learnt (undefined the
 * first time) and, when that is older than BACKGROUND_VALUE_MAX_AGE_MS, asks again in the
 * background, at most one request per key in flight. A view that refreshes sees current
 * figures a moment later, and no synchronous caller ever waits on another broker.
 */
export class BackgroundValues<V> {
  private readonly entries = new Map<string, { value: V; atMs: number }>();
  private readonly pending = new Set<string>();

  constructor(private readonly nowMs: () => number, private readonly logger: BrokerLogger, private readonly what: string) {}

  get(key: string, load: () => Promise<V>): V | undefined {
    const entry = this.entries.get(key);
    if ((entry === undefined || this.nowMs() - entry.atMs > BACKGROUND_VALUE_MAX_AGE_MS) && !this.pending.has(key)) {
      this.pending.add(key);
      load().then(
        (value) => this.entries.set(key, { value, atMs: this.nowMs() }),
        (err: unknown) => this.logger.info(`${this.what} of ${key}: ${String(err)}`),
      ).finally(() => this.pending.delete(key));
    }
    return entry?.value;
  }
}
