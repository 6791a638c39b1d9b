import { RegistryError } from './registry-error.js';
import type { ZNodeRecord } from './types.js';

/**
 * The net effect of one registry write (a single op or a whole multi) on the persisted
 * tree, with the preconditions the database must confirm before committing it. Every
 * touched row names the version/cversion it was planned against, so a store enforces
 * compare-and-set itself (`UPDATE ... WHERE version = $expected`) instead of trusting
 * the memory of the process that planned it.
 */
export interface Mutation {
  readonly zxid: number;
  /** Wall-clock time of the write: session liveness is judged against it. */
  readonly nowMs: number;
  readonly inserts: readonly ZNodeRecord[];
  readonly updates: readonly { readonly record: ZNodeRecord; readonly expectVersion: number; readonly expectCversion: number }[];
  readonly deletes: readonly { readonly path: string; readonly expectVersion: number; readonly expectCversion: number }[];
  /** Multi `check` ops: the node exists with this version (-1: exists at all). */
  readonly checks: readonly { readonly path: string; readonly version: number }[];
  /** Sessions that must be alive (owners of created ephemeral nodes), else SESSIONEXPIRED. */
  readonly liveSessions: readonly number[];
  /**
   * Sessions to end with this write (their ephemeral nodes are in `deletes`). With
   * `ifExpiredAtMs` the session ends only if its lease ran out by then; a session renewed
   * meanwhile makes the store throw StoreConflictError('session-renewed').
   */
  readonly endSessions: readonly { readonly id: number; readonly ifExpiredAtMs?: number }[];
}

/** What other processes committed since a given zxid (shared stores only). */
export interface RemoteChanges {
  /** The zxid the changes bring memory up to. */
  readonly zxid: number;
  /** Nodes created or modified, or whose children changed. */
  readonly upserts: readonly ZNodeRecord[];
  /** For every node whose children changed: the full current list of child paths. */
  readonly children: ReadonlyMap<string, readonly string[]>;
}

export interface WriteContext {
  /** The zxid this write commits as. */
  readonly zxid: number;
  /** Changes committed by others since `sinceZxid`, read under the write lock; apply before planning. */
  readonly remote: RemoteChanges | undefined;
}

export interface StoreSnapshot {
  readonly zxid: number;
  readonly nodes: readonly ZNodeRecord[];
}

export type ConflictReason = 'stale' | 'session-renewed';

/**
 * A precondition failed in the database: the planning process's view was stale, or a
 * session it meant to expire was renewed. The Registry catches up and retries (or skips).
 */
export class StoreConflictError extends Error {
  constructor(
    readonly reason: ConflictReason,
    detail: string,
  ) {
    super(`registry store conflict (${reason}): ${detail}`);
    this.name = 'StoreConflictError';
  }
}

/** A store failure that says the store was not reached (or did not answer), rather than a refusal. */
export function isContactLoss(err: unknown): boolean {
  if (err instanceof RegistryError) return err.code === 'CONNECTIONLOSS';
  return !(err instanceof StoreConflictError);
}

/**
 * Durable home of the registry tree and its session leases.
 *
 * A store holds the authoritative copy; the Registry keeps the in-memory tree. A write
 * runs `plan` inside ONE database transaction that holds the registry's write lock
 * (serialising writers across processes so zxids commit in order), after reading what
 * others committed since `sinceZxid`; the store then applies the planned mutation,
 * checking every precondition, and commits. If `plan` throws, or a precondition fails,
 * nothing is committed. Implementations are called by one Registry, one write at a time.
 */
export interface RegistryStore {
  /** True when other processes may write the same registry (PostgreSQL, ZooKeeper). */
  readonly shared: boolean;
  /**
   * How many times the Registry catches up and re-plans a write the store refused as
   * stale before giving up with RUNTIMEINCONSISTENCY (default 3). A store that serialises
   * writers with a lock (PostgreSQL) rarely refuses; an optimistic one (ZooKeeper: a
   * compare-and-set on one counter node) refuses whenever another process wrote first.
   */
  readonly conflictRetries?: number;
  load(): Promise<StoreSnapshot>;
  write<T>(sinceZxid: number, plan: (ctx: WriteContext) => { mutation: Mutation; result: T }): Promise<T>;
  /** Changes committed since `sinceZxid`, read in one snapshot; undefined when nothing changed. */
  readChanges(sinceZxid: number): Promise<RemoteChanges | undefined>;
  /** Creates a session lease that expires at nowMs + timeoutMs unless renewed. */
  createSession(timeoutMs: number, nowMs: number): Promise<number>;
  /** Extends a live lease to nowMs + its timeout; false when it already expired or is gone. */
  renewSession(id: number, nowMs: number): Promise<boolean>;
  /** Ids of sessions whose lease ran out at or before nowMs. */
  expiredSessions(nowMs: number): Promise<number[]>;
  /** Calls `listener` when another process committed a change (shared stores). */
  onRemoteChange(listener: () => void): void;
  close(): Promise<void>;
}
