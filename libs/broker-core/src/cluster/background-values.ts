import type { BrokerLogger } from '../broker/broker-options.js';

/** How old a value may be before a read asks for it again (in the background). */
export const BACKGROUND_VALUE_MAX_AGE_MS = 1000;

/**
 * Values that take a network round trip to learn (another broker's offsets or log dir
 * size), for synchronous views: `get` answers with what was last learnt (undefined the
 * first time) and, when that is older than BACKGROUND_VALUE_MAX_AGE_MS, asks again in the
 * background, at most one request per key in flight. A view that refreshes sees current
 * figures a moment later, and no synchronous caller ever waits on another broker.
 *
 * `source` names where the value comes from (a partition's leader and epoch): a value or
 * a request of another source does not count, so after a leadership change the new
 * leader is asked at once, even while a request to the old one (maybe unreachable, until
 * its timeout) is still out, and an answer from the old one never lands over the new.
 */
export class BackgroundValues<V> {
  private readonly entries = new Map<string, { value: V; atMs: number; source: string }>();
  private readonly pending = new Map<string, string>();

  constructor(private readonly nowMs: () => number, private readonly logger: BrokerLogger, private readonly what: string) {}

  get(key: string, load: () => Promise<V>, source = ''): V | undefined {
    const entry = this.entries.get(key);
    const current = entry !== undefined && entry.source === source ? entry : undefined;
    if ((current === undefined || this.nowMs() - current.atMs > BACKGROUND_VALUE_MAX_AGE_MS) && this.pending.get(key) !== source) {
      this.pending.set(key, source);
      load().then(
        (value) => {
          if (this.pending.get(key) === source) this.entries.set(key, { value, atMs: this.nowMs(), source });
        },
        (err: unknown) => this.logger.info(`${this.what} of ${key}: ${String(err)}`),
      ).finally(() => {
        if (this.pending.get(key) === source) this.pending.delete(key);
      });
    }
    return current?.value;
  }
}
