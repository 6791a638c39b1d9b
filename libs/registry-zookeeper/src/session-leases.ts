import { RegistryError, StoreConflictError, type Mutation } from '@weir/broker-core';
import { ZK, ZooKeeperCallError, type ZkOp, type ZooKeeperConnection } from './zookeeper-connection.js';

interface Lease {
  readonly timeoutMs: number;
  readonly expiresAtMs: number;
  /** ZooKeeper version of the lease znode: renewals and expiries compare-and-set on it. */
  readonly version: number;
}

/**
 * Weir session leases as znodes `<dir>/s-<n>` (session id n + 1), data
 * `{"timeoutMs","expiresAtMs"}` on the Registry's clock. These are not ZooKeeper sessions:
 * the store's own client session is only its connection, while broker liveness is a Weir
 * lease any process can expire once it ran out (the Registry drives time, tests with
 * MockTime). Ids come from ZooKeeper's sequential counter of `<dir>`, so they never repeat.
 */
export class SessionLeases {
  constructor(
    private readonly zk: ZooKeeperConnection,
    readonly dir: string,
  ) {}

  async create(timeoutMs: number, nowMs: number): Promise<number> {
    const created = await this.zk.create(`${this.dir}/s-`, encode(timeoutMs, nowMs + timeoutMs), true);
    return Number(created.slice(created.lastIndexOf('-') + 1)) + 1;
  }

  /**
   * Compare-and-set on the lease's version: a lease a sweep deleted meanwhile stays dead.
   * An overdue lease that no sweep ended yet is renewed, as the other stores do: after an
   * outage of the whole ensemble every lease has run out, and the Registry's reconnect
   * grace relies on renewals going through before anyone expires them.
   */
  async renew(id: number, nowMs: number): Promise<boolean> {
    for (;;) {
      const lease = await this.read(id);
      if (lease === undefined) return false;
      try {
        await this.zk.setData(this.path(id), encode(lease.timeoutMs, nowMs + lease.timeoutMs), lease.version);
        return true;
      } catch (err) {
        if (!(err instanceof ZooKeeperCallError)) throw err;
        if (err.code === ZK.NO_NODE) return false;
        if (err.code !== ZK.BAD_VERSION) throw err;
      }
    }
  }

  async expired(nowMs: number): Promise<number[]> {
    const names = await this.zk.getChildren(this.dir);
    const ids = names.map((name) => Number(name.slice(name.lastIndexOf('-') + 1)) + 1);
    const leases = await Promise.all(ids.map((id) => this.read(id)));
    return ids.filter((_, i) => leases[i] !== undefined && leases[i].expiresAtMs <= nowMs).sort((a, b) => a - b);
  }

  /**
   * The multi ops guarding a write's sessions: a version check on every session that must
   * be alive (a renewal or expiry in between fails the multi), a versioned delete of every
   * session it ends. Throws SESSIONEXPIRED / 'session-renewed' as the other stores do.
   */
  async opsFor(m: Mutation): Promise<ZkOp[]> {
    const [live, ending] = await Promise.all([Promise.all(m.liveSessions.map((id) => this.read(id))), Promise.all(m.endSessions.map((s) => this.read(s.id)))]);
    const ops: ZkOp[] = [];
    m.liveSessions.forEach((id, i) => {
      const lease = live[i];
      if (lease === undefined || lease.expiresAtMs <= m.nowMs) throw new RegistryError('SESSIONEXPIRED', undefined, `session ${id}`);
      ops.push({ op: 'check', path: this.path(id), version: lease.version });
    });
    m.endSessions.forEach((s, i) => {
      const lease = ending[i];
      if (s.ifExpiredAtMs !== undefined && (lease === undefined || lease.expiresAtMs > s.ifExpiredAtMs)) {
        throw new StoreConflictError('session-renewed', `session ${s.id}`);
      }
      if (lease !== undefined) ops.push({ op: 'delete', path: this.path(s.id), version: lease.version });
    });
    return ops;
  }

  private path(id: number): string {
    return `${this.dir}/s-${String(id - 1).padStart(10, '0')}`;
  }

  private async read(id: number): Promise<Lease | undefined> {
    try {
      const { data, version } = await this.zk.getData(this.path(id));
      const { timeoutMs, expiresAtMs } = JSON.parse(data.toString('utf8')) as { timeoutMs: number; expiresAtMs: number };
      return { timeoutMs, expiresAtMs, version };
    } catch (err) {
      if (err instanceof ZooKeeperCallError && err.code === ZK.NO_NODE) return undefined;
      throw err;
    }
  }
}

function encode(timeoutMs: number, expiresAtMs: number): Buffer {
  return Buffer.from(JSON.stringify({ timeoutMs, expiresAtMs }));
}
