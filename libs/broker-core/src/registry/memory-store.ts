import { rootRecord } from './data-tree.js';
import { RegistryError } from './registry-error.js';
import { StoreConflictError, type Mutation, type RegistryStore, type RemoteChanges, type StoreSnapshot, type WriteContext } from './store.js';
import type { ZNodeRecord } from './types.js';

/**
 * A RegistryStore kept in this process's memory: nothing survives the process. It
 * enforces the same preconditions as the database stores, which makes it a faithful
 * stand-in for unit tests of registry users (controller, groups) that need no
 * durability, and the reference the Prisma stores are compared with. Single writer.
 */
export class InMemoryRegistryStore implements RegistryStore {
  readonly shared = false;
  private readonly nodes = new Map<string, ZNodeRecord>([['/', rootRecord()]]);
  private readonly sessions = new Map<number, { timeoutMs: number; expiresAtMs: number }>();
  private zxid = 0;
  private nextSessionId = 1;

  async load(): Promise<StoreSnapshot> {
    return { zxid: this.zxid, nodes: [...this.nodes.values()] };
  }

  async write<T>(_sinceZxid: number, plan: (ctx: WriteContext) => { mutation: Mutation; result: T }): Promise<T> {
    const { mutation, result } = plan({ zxid: this.zxid + 1, remote: undefined });
    this.verify(mutation);
    for (const d of mutation.deletes) this.nodes.delete(d.path);
    for (const r of mutation.inserts) this.nodes.set(r.path, r);
    for (const u of mutation.updates) this.nodes.set(u.record.path, u.record);
    for (const s of mutation.endSessions) this.sessions.delete(s.id);
    this.zxid = mutation.zxid;
    return result;
  }

  async readChanges(_sinceZxid: number): Promise<RemoteChanges | undefined> {
    return undefined;
  }

  async createSession(timeoutMs: number, nowMs: number): Promise<number> {
    const id = this.nextSessionId++;
    this.sessions.set(id, { timeoutMs, expiresAtMs: nowMs + timeoutMs });
    return id;
  }

  async renewSession(id: number, nowMs: number): Promise<boolean> {
    const session = this.sessions.get(id);
    // Renewable until a sweep ends it, even when overdue (as the PostgreSQL store: see its renewSession).
    if (session === undefined) return false;
    session.expiresAtMs = nowMs + session.timeoutMs;
    return true;
  }

  async expiredSessions(nowMs: number): Promise<number[]> {
    return [...this.sessions].filter(([, s]) => s.expiresAtMs <= nowMs).map(([id]) => id);
  }

  onRemoteChange(_listener: () => void): void {}

  async close(): Promise<void> {}

  private verify(m: Mutation): void {
    const same = (path: string, version: number, cversion: number): boolean => {
      const node = this.nodes.get(path);
      return node !== undefined && node.version === version && node.cversion === cversion;
    };
    for (const d of m.deletes) if (!same(d.path, d.expectVersion, d.expectCversion)) throw new StoreConflictError('stale', `delete ${d.path}`);
    for (const u of m.updates) if (!same(u.record.path, u.expectVersion, u.expectCversion)) throw new StoreConflictError('stale', `update ${u.record.path}`);
    for (const r of m.inserts) if (this.nodes.has(r.path) && !m.deletes.some((d) => d.path === r.path)) throw new StoreConflictError('stale', `insert ${r.path}`);
    for (const c of m.checks) {
      const node = this.nodes.get(c.path);
      if (node === undefined || (c.version !== -1 && node.version !== c.version)) throw new StoreConflictError('stale', `check ${c.path}`);
    }
    for (const id of m.liveSessions) {
      const s = this.sessions.get(id);
      if (s === undefined || s.expiresAtMs <= m.nowMs) throw new RegistryError('SESSIONEXPIRED', undefined, `session ${id}`);
    }
    for (const s of m.endSessions) {
      const session = this.sessions.get(s.id);
      if (s.ifExpiredAtMs !== undefined && (session === undefined || session.expiresAtMs > s.ifExpiredAtMs)) {
        throw new StoreConflictError('session-renewed', `session ${s.id}`);
      }
    }
  }
}
