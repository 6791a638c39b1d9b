/** How a znode lives: ephemeral ones die with their session; sequential ones get a counter. */
export type CreateMode = 'PERSISTENT' | 'EPHEMERAL' | 'PERSISTENT_SEQUENTIAL' | 'EPHEMERAL_SEQUENTIAL';

export function isEphemeral(mode: CreateMode): boolean {
  return mode === 'EPHEMERAL' || mode === 'EPHEMERAL_SEQUENTIAL';
}

export function isSequential(mode: CreateMode): boolean {
  return mode === 'PERSISTENT_SEQUENTIAL' || mode === 'EPHEMERAL_SEQUENTIAL';
}

/**
 * A znode's persistent fields. Times are wall-clock milliseconds; zxids order every
 * change to the tree. Immutable: a change replaces the record.
 */
export interface ZNodeRecord {
  readonly path: string;
  readonly data: Uint8Array;
  /** Number of data changes. */
  readonly version: number;
  /** Number of child creates and deletes (the counter of sequential children). */
  readonly cversion: number;
  readonly czxid: number;
  readonly mzxid: number;
  /** zxid of the last child create or delete (czxid until one happens). */
  readonly pzxid: number;
  readonly ctime: number;
  readonly mtime: number;
  /** Owning session id for an ephemeral node, 0 otherwise. */
  readonly ephemeralOwner: number;
}

/** ZooKeeper's Stat, as returned by exists/getData/setData. */
export interface Stat {
  readonly czxid: number;
  readonly mzxid: number;
  readonly pzxid: number;
  readonly ctime: number;
  readonly mtime: number;
  readonly version: number;
  readonly cversion: number;
  readonly aversion: number;
  readonly ephemeralOwner: number;
  readonly dataLength: number;
  readonly numChildren: number;
}

export type EventType = 'NodeCreated' | 'NodeDeleted' | 'NodeDataChanged' | 'NodeChildrenChanged';

export interface WatchedEvent {
  readonly type: EventType;
  readonly path: string;
}

/** A one-shot watch callback. The same function registered twice on a path fires once. */
export type Watcher = (event: WatchedEvent) => void;

export type Op =
  | { readonly type: 'create'; readonly path: string; readonly data?: Uint8Array; readonly mode?: CreateMode; readonly sessionId?: number }
  | { readonly type: 'delete'; readonly path: string; readonly version?: number }
  | { readonly type: 'setData'; readonly path: string; readonly data: Uint8Array; readonly version?: number }
  | { readonly type: 'check'; readonly path: string; readonly version: number };

export type OpResult =
  | { readonly type: 'create'; readonly path: string }
  | { readonly type: 'delete' }
  | { readonly type: 'setData'; readonly stat: Stat }
  | { readonly type: 'check' };

export const Ops = {
  create: (path: string, data: Uint8Array = EMPTY, mode: CreateMode = 'PERSISTENT', sessionId?: number): Op => ({ type: 'create', path, data, mode, sessionId }),
  delete: (path: string, version = -1): Op => ({ type: 'delete', path, version }),
  setData: (path: string, data: Uint8Array, version = -1): Op => ({ type: 'setData', path, data, version }),
  check: (path: string, version: number): Op => ({ type: 'check', path, version }),
};

export const EMPTY: Uint8Array = new Uint8Array(0);
