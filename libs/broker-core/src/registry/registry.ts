import { SystemTime, type Time } from '../time.js';
import type { Cancellable, Scheduler } from '../timer/scheduler.js';
import { DataTree } from './data-tree.js';
import { validateData, validatePath } from './path.js';
import { isRegistryError, RegistryError } from './registry-error.js';
import { applyRemoteChanges } from './remote-changes.js';
import { SerialQueue } from './serial-queue.js';
import { isContactLoss, StoreConflictError, type RegistryStore } from './store.js';
import { TreeTxn } from './tree-txn.js';
import { EMPTY, type CreateMode, type Op, type OpResult, type Stat, type WatchedEvent, type Watcher } from './types.js';
import { WatchManager } from './watch-manager.js';
import { failMulti, runOp, validateOp } from './multi.js';

export interface RegistryOptions {
  readonly store: RegistryStore;
  /** Wall clock for ctime/mtime and session leases. */
  readonly time?: Time;
  /** Drives the periodic session-expiry sweep (and catch-up with other processes). Without one, call expireSessions(). */
  readonly scheduler?: Scheduler;
  readonly sweepIntervalMs?: number;
  /** Failures of background work (sweeps, catch-up, watcher callbacks). */
  readonly onError?: (err: unknown) => void;
  /**
   * After the store was unreachable, how long contact must last again before this process
   * expires any session: default, the longest session timeout created through it.
   */
  readonly reconnectGraceMs?: number;
}

export interface CreateOptions {
  readonly mode?: CreateMode;
  /** Owner of an ephemeral node; required for EPHEMERAL and EPHEMERAL_SEQUENTIAL. */
  readonly sessionId?: number;
}

export interface SessionOptions {
  /** Called once when this process learns the session expired (sweep or failed heartbeat). */
  readonly onExpired?: (sessionId: number) => void;
}

const DEFAULT_SWEEP_INTERVAL_MS = 500;
const MAX_CONFLICT_RETRIES = 3;

/**
 * The metadata registry: ZooKeeper's data model and operations over an in-memory tree,
 * persisted through a RegistryStore.
 *
 * Invariants: reads are served from memory and see every write this process has
 * acknowledged; a write is acknowledged (its promise resolves, its watches fire) only
 * after the store committed it in one transaction; a write that fails changes neither
 * memory nor the store. Writes from this process are serialised through one queue and
 * planned against memory that the store has brought up to date under its write lock, so
 * several processes sharing one PostgreSQL registry see one order of changes (zxids).
 * Changes made by other processes reach memory on the next write, on sync(), on a store
 * notification, or on the periodic sweep.
 */
export class Registry {
  private readonly store: RegistryStore;
  private readonly time: Time;
  private readonly tree: DataTree;
  private readonly watches: WatchManager;
  private readonly queue = new SerialQueue();
  private readonly expiryListeners = new Map<number, (sessionId: number) => void>();
  private readonly onError: (err: unknown) => void;
  private zxid: number;
  private sweepTimer: Cancellable | undefined;
  private sweeping: Promise<void> | undefined;
  private syncQueued = false;
  private closed = false;
  /** Since when the store has not answered (undefined: it answers). */
  private contactLostAtMs: number | undefined;
  /** When contact came back after the last outage (-Infinity: never lost). */
  private contactSinceMs = Number.NEGATIVE_INFINITY;
  private longestSessionTimeoutMs = 0;
  /** Sessions created here: timeout, and when their last successful renewal was sent. */
  private readonly leases = new Map<number, { timeoutMs: number; renewedAtMs: number }>();
  private outageReported = false;

  /** Loads the store's tree; a store that fails to load is closed before the error is thrown (the Registry owns it from here). */
  static async open(options: RegistryOptions): Promise<Registry> {
    const snapshot = await options.store.load().catch(async (err: unknown) => {
      await options.store.close().catch(() => undefined);
      throw err;
    });
    const registry = new Registry(options, new DataTree(snapshot.nodes), snapshot.zxid);
    options.store.onRemoteChange(() => registry.queueSync());
    registry.scheduleSweep();
    return registry;
  }

  private constructor(
    private readonly options: RegistryOptions,
    tree: DataTree,
    zxid: number,
  ) {
    this.store = options.store;
    this.time = options.time ?? SystemTime.INSTANCE;
    this.onError = options.onError ?? ((err) => console.error('registry:', err));
    this.watches = new WatchManager(this.onError);
    this.tree = tree;
    this.zxid = zxid;
  }

  /** Whether other processes may share this registry (its store is PostgreSQL or ZooKeeper). */
  get shared(): boolean {
    return this.store.shared;
  }

  /** The zxid of the last change applied to memory. */
  get lastZxid(): number {
    return this.zxid;
  }

  // ---- reads: served from memory ----

  /** The node's Stat, or null. Sets a data watch even when the node does not exist. */
  exists(path: string, watcher?: Watcher): Stat | null {
    validatePath(path);
    if (watcher !== undefined) this.watches.addDataWatch(path, watcher);
    const node = this.tree.get(path);
    return node === undefined ? null : this.tree.stat(node);
  }

  /** The node's data (do not mutate it) and Stat; NONODE if absent (and no watch is set). */
  getData(path: string, watcher?: Watcher): { data: Uint8Array; stat: Stat } {
    validatePath(path);
    const node = this.tree.get(path);
    if (node === undefined) throw new RegistryError('NONODE', path);
    if (watcher !== undefined) this.watches.addDataWatch(path, watcher);
    return { data: node.record.data, stat: this.tree.stat(node) };
  }

  /** Names of the node's children, sorted; NONODE if absent (and no watch is set). */
  getChildren(path: string, watcher?: Watcher): string[] {
    validatePath(path);
    const node = this.tree.get(path);
    if (node === undefined) throw new RegistryError('NONODE', path);
    if (watcher !== undefined) this.watches.addChildWatch(path, watcher);
    return [...node.children].sort();
  }

  // ---- writes: persisted, then applied to memory, then watches fire ----

  /** Creates a node; returns its path (with the counter appended for sequential modes). */
  async create(path: string, data: Uint8Array = EMPTY, options: CreateOptions = {}): Promise<string> {
    const op: Op = { type: 'create', path, data, mode: options.mode ?? 'PERSISTENT', sessionId: options.sessionId };
    validateOp(op);
    const copy = new Uint8Array(data);
    return this.write((txn) => txn.create(path, copy, op.mode!, options.sessionId));
  }

  /** Deletes a childless node if its version matches (-1: any version). */
  async delete(path: string, version = -1): Promise<void> {
    validatePath(path);
    await this.write((txn) => txn.delete(path, version));
  }

  /** Replaces the node's data if its version matches (-1: any); returns the new Stat. */
  async setData(path: string, data: Uint8Array, version = -1): Promise<Stat> {
    validatePath(path);
    validateData(path, data);
    const copy = new Uint8Array(data);
    return this.write((txn) => txn.setData(path, copy, version));
  }

  /**
   * Applies all ops atomically, or none. On failure throws a RegistryError carrying the
   * failing op's code and `results`: OK before it, its code, RUNTIMEINCONSISTENCY after.
   */
  async multi(ops: readonly Op[]): Promise<OpResult[]> {
    if (ops.length === 0) return [];
    const copies = ops.map((op) => ('data' in op && op.data !== undefined ? { ...op, data: new Uint8Array(op.data) } : op));
    copies.forEach((op, index) => {
      try {
        validateOp(op);
      } catch (err) {
        throw failMulti(err, index, ops.length);
      }
    });
    return this.write((txn) => copies.map((op, index) => {
      try {
        return runOp(txn, op);
      } catch (err) {
        throw failMulti(err, index, ops.length);
      }
    }));
  }

  // ---- sessions ----

  async createSession(timeoutMs: number, options: SessionOptions = {}): Promise<number> {
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new RegistryError('BADARGUMENTS', undefined, `session timeout ${timeoutMs} ms`);
    this.ensureOpen();
    const sentAtMs = this.time.milliseconds();
    const id = await this.reach(() => this.store.createSession(timeoutMs, sentAtMs));
    this.longestSessionTimeoutMs = Math.max(this.longestSessionTimeoutMs, timeoutMs);
    this.leases.set(id, { timeoutMs, renewedAtMs: sentAtMs });
    if (options.onExpired !== undefined) this.expiryListeners.set(id, options.onExpired);
    return id;
  }

  /**
   * Extends the session's lease by its timeout; SESSIONEXPIRED once the session was
   * expired. A store that cannot be reached rejects with its own error (CONNECTIONLOSS):
   * that says nothing about the session. A lease that ran out is still renewed if the
   * store lost contact since its last renewal (everyone's leases ran out in an outage; no
   * one expires them within the reconnect grace); one that ran out while the store could
   * be reached all along (this process stalled) is expired here, as ZooKeeper's server
   * expires a client that paused for longer than its timeout.
   */
  async heartbeat(sessionId: number): Promise<void> {
    this.ensureOpen();
    const nowMs = this.time.milliseconds();
    const lease = this.leases.get(sessionId);
    const stalled = lease !== undefined && nowMs >= lease.renewedAtMs + lease.timeoutMs && this.contactLostAtMs === undefined && this.contactSinceMs <= lease.renewedAtMs;
    if (stalled) {
      await this.write((txn) => void txn.endSession(sessionId, nowMs)).catch((err: unknown) => {
        if (!(err instanceof StoreConflictError && err.reason === 'session-renewed') && !isRegistryError(err, 'NONODE')) throw err;
      });
    }
    if (stalled || !(await this.reach(() => this.store.renewSession(sessionId, nowMs)))) {
      this.notifyExpired(sessionId);
      throw new RegistryError('SESSIONEXPIRED', undefined, `session ${sessionId}`);
    }
    if (lease !== undefined) lease.renewedAtMs = nowMs;
  }

  /** Ends the session now, deleting its ephemeral nodes in the same transaction. */
  async closeSession(sessionId: number): Promise<void> {
    this.expiryListeners.delete(sessionId);
    this.leases.delete(sessionId);
    await this.write((txn) => void txn.endSession(sessionId));
  }

  /**
   * Expires every session whose lease ran out (in any process); returns their ids. Not
   * within the reconnect grace after an outage: the owners of those leases may have been
   * cut off by the same outage and need a session timeout to renew them (ZooKeeper gives
   * every session a fresh timeout after a leader change for the same reason).
   */
  async expireSessions(): Promise<number[]> {
    this.ensureOpen();
    const nowMs = this.time.milliseconds();
    if (this.contactLostAtMs !== undefined || nowMs - this.contactSinceMs < (this.options.reconnectGraceMs ?? this.longestSessionTimeoutMs)) {
      // Still cut off, or not in contact long enough: a probe tells whether contact is back.
      if (this.contactLostAtMs !== undefined) await this.reach(() => this.store.expiredSessions(nowMs));
      return [];
    }
    const expired: number[] = [];
    for (const id of await this.reach(() => this.store.expiredSessions(nowMs))) {
      try {
        await this.write((txn) => void txn.endSession(id, nowMs));
        expired.push(id);
        this.notifyExpired(id);
      } catch (err) {
        if (!(err instanceof StoreConflictError && err.reason === 'session-renewed')) throw err;
      }
    }
    return expired;
  }

  /** Catches up with changes other processes committed (ZooKeeper's sync). */
  sync(): Promise<void> {
    this.ensureOpen();
    return this.queue.run(() => this.catchUp());
  }

  /** Stops the sweep, waits for in-flight writes, and closes the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.sweepTimer?.cancel();
    await this.sweeping;
    await this.queue.drain();
    await this.store.close();
  }

  private write<T>(plan: (txn: TreeTxn) => T): Promise<T> {
    this.ensureOpen();
    return this.queue.run(async () => {
      // Closing during an outage: writes still queued fail now rather than each waiting out its timeout.
      if (this.closed && this.contactLostAtMs !== undefined) throw new RegistryError('CONNECTIONLOSS', undefined, 'closing while the store is unreachable');
      for (let attempt = 0; ; attempt++) {
        // A single-writer store cannot disagree with memory: plan first, so a failing op
        // costs no database round trip and provably persists nothing.
        const early = this.store.shared ? undefined : this.plan(this.zxid + 1, plan);
        let txn: TreeTxn | undefined;
        const remoteEvents: WatchedEvent[] = [];
        try {
          const result = await this.reach(() => this.store.write(this.zxid, (ctx) => {
            if (ctx.remote !== undefined && ctx.remote.zxid > this.zxid) {
              remoteEvents.push(...applyRemoteChanges(this.tree, ctx.remote));
              this.zxid = ctx.remote.zxid;
            }
            const planned = early !== undefined && early.txn.zxid === ctx.zxid && ctx.remote === undefined ? early : this.plan(ctx.zxid, plan);
            txn = planned.txn;
            return { mutation: planned.txn.toMutation(), result: planned.result };
          }));
          txn!.commitTo(this.tree);
          this.zxid = txn!.zxid;
          this.watches.fire(remoteEvents);
          this.watches.fire(txn!.events);
          return result;
        } catch (err) {
          this.watches.fire(remoteEvents);
          if (!(err instanceof StoreConflictError && err.reason === 'stale')) throw err;
          if (attempt >= (this.store.conflictRetries ?? MAX_CONFLICT_RETRIES)) throw new RegistryError('RUNTIMEINCONSISTENCY', undefined, err.message);
          await this.catchUp();
        }
      }
    });
  }

  private plan<T>(zxid: number, plan: (txn: TreeTxn) => T): { txn: TreeTxn; result: T } {
    const txn = new TreeTxn(this.tree, zxid, this.time.milliseconds());
    return { txn, result: plan(txn) };
  }

  /** Runs inside the queue: reads what others committed and applies it. */
  private async catchUp(): Promise<void> {
    const changes = await this.reach(() => this.store.readChanges(this.zxid));
    if (changes === undefined || changes.zxid <= this.zxid) return;
    const events = applyRemoteChanges(this.tree, changes);
    this.zxid = changes.zxid;
    this.watches.fire(events);
  }

  /** Coalesces store notifications: at most one catch-up waits in the queue. */
  private queueSync(): void {
    if (this.syncQueued || this.closed) return;
    this.syncQueued = true;
    this.queue
      .run(async () => {
        this.syncQueued = false;
        if (!this.closed) await this.catchUp();
      })
      .catch(this.onError);
  }

  private scheduleSweep(): void {
    const scheduler = this.options.scheduler;
    if (scheduler === undefined || this.closed) return;
    this.sweepTimer = scheduler.schedule(this.options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS, () => {
      if (this.closed) return;
      this.sweeping = (async () => {
        if (this.store.shared) await this.sync();
        await this.expireSessions();
      })()
        .catch((err: unknown) => {
          // A sweep that close() overtook fails with CONNECTIONLOSS: nothing to report.
          if (this.closed) return;
          // An outage is reported once, not by every sweep it lasts.
          if (!isContactLoss(err) || !this.outageReported) this.onError(err);
          this.outageReported ||= isContactLoss(err);
        })
        .finally(() => {
          this.sweeping = undefined;
          this.scheduleSweep();
        });
    });
  }

  /** Runs a store call, noting whether the store answered (any answer, even a refusal) or could not be reached. */
  private async reach<T>(call: () => Promise<T>): Promise<T> {
    try {
      const result = await call();
      this.inContact();
      return result;
    } catch (err) {
      if (isContactLoss(err)) this.contactLostAtMs ??= this.time.milliseconds();
      else this.inContact();
      throw err;
    }
  }

  private inContact(): void {
    if (this.contactLostAtMs === undefined) return;
    this.contactLostAtMs = undefined;
    this.outageReported = false;
    this.contactSinceMs = this.time.milliseconds();
  }

  private notifyExpired(sessionId: number): void {
    this.leases.delete(sessionId);
    const listener = this.expiryListeners.get(sessionId);
    if (listener === undefined) return;
    this.expiryListeners.delete(sessionId);
    try {
      listener(sessionId);
    } catch (err) {
      this.onError(err);
    }
  }

  private ensureOpen(): void {
    if (this.closed) throw new RegistryError('CONNECTIONLOSS', undefined, 'the registry is closed');
  }
}
