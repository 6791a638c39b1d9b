import { nameOf, parentOf } from './path.js';
import type { Stat, ZNodeRecord } from './types.js';

/** A znode in memory: its record, the names of its children, and a cached Stat. */
export interface TreeNode {
  record: ZNodeRecord;
  readonly children: Set<string>;
  stat: Stat | undefined;
}

/**
 * The in-memory znode tree that serves every read.
 *
 * Invariants: the root "/" always exists; every node's parent exists and lists the node's
 * name among its children; `ephemerals` indexes exactly the nodes whose ephemeralOwner is
 * not 0. Only the Registry mutates it, and only after the store has committed the change
 * (or when catching up with changes other processes committed), so memory never shows a
 * write the database does not hold. Single-threaded: callers never interleave mutations.
 */
export class DataTree {
  private readonly nodes = new Map<string, TreeNode>();
  private readonly ephemerals = new Map<number, Set<string>>();

  constructor(records: Iterable<ZNodeRecord>) {
    // Parents before children: records bucketed by depth, each depth computed once (a
    // comparison sort recounting slashes took most of a 200,000-znode load).
    const byDepth: ZNodeRecord[][] = [];
    for (const record of records) (byDepth[depth(record.path)] ??= []).push(record);
    const roots = byDepth[0];
    if (roots === undefined || roots.length !== 1) throw new Error('registry snapshot has no root node');
    for (const level of byDepth) if (level !== undefined) for (const record of level) this.put(record);
  }

  get(path: string): TreeNode | undefined {
    return this.nodes.get(path);
  }

  get size(): number {
    return this.nodes.size;
  }

  stat(node: TreeNode): Stat {
    if (node.stat === undefined) node.stat = toStat(node.record, node.children.size);
    return node.stat;
  }

  /** Inserts or replaces a node. A new node's parent must already be present. */
  put(record: ZNodeRecord): void {
    const existing = this.nodes.get(record.path);
    if (existing !== undefined) {
      if (existing.record.ephemeralOwner !== record.ephemeralOwner) {
        this.unindex(existing.record);
        this.index(record);
      }
      existing.record = record;
      existing.stat = undefined;
      return;
    }
    if (record.path !== '/') {
      const parent = this.nodes.get(parentOf(record.path));
      if (parent === undefined) throw new Error(`cannot add ${record.path}: parent missing`);
      parent.children.add(nameOf(record.path));
      parent.stat = undefined;
    }
    this.nodes.set(record.path, { record, children: new Set(), stat: undefined });
    this.index(record);
  }

  /** Removes a node and its whole subtree; returns the removed paths, deepest first. */
  removeSubtree(path: string): string[] {
    const node = this.nodes.get(path);
    if (node === undefined || path === '/') return [];
    const removed: string[] = [];
    const visit = (p: string, n: TreeNode): void => {
      for (const name of n.children) {
        const cp = p === '/' ? `/${name}` : `${p}/${name}`;
        const child = this.nodes.get(cp);
        if (child !== undefined) visit(cp, child);
      }
      this.nodes.delete(p);
      this.unindex(n.record);
      removed.push(p);
    };
    visit(path, node);
    const parent = this.nodes.get(parentOf(path));
    if (parent !== undefined) {
      parent.children.delete(nameOf(path));
      parent.stat = undefined;
    }
    return removed;
  }

  ephemeralsOf(sessionId: number): string[] {
    return [...(this.ephemerals.get(sessionId) ?? [])];
  }

  *records(): IterableIterator<ZNodeRecord> {
    for (const node of this.nodes.values()) yield node.record;
  }

  private index(record: ZNodeRecord): void {
    if (record.ephemeralOwner === 0) return;
    let set = this.ephemerals.get(record.ephemeralOwner);
    if (set === undefined) this.ephemerals.set(record.ephemeralOwner, (set = new Set()));
    set.add(record.path);
  }

  private unindex(record: ZNodeRecord): void {
    if (record.ephemeralOwner === 0) return;
    const set = this.ephemerals.get(record.ephemeralOwner);
    set?.delete(record.path);
    if (set?.size === 0) this.ephemerals.delete(record.ephemeralOwner);
  }
}

export function depth(path: string): number {
  if (path === '/') return 0;
  let n = 0;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 47) n++;
  return n;
}

export function toStat(record: ZNodeRecord, numChildren: number): Stat {
  return Object.freeze({
    czxid: record.czxid,
    mzxid: record.mzxid,
    pzxid: record.pzxid,
    ctime: record.ctime,
    mtime: record.mtime,
    version: record.version,
    cversion: record.cversion,
    aversion: 0,
    ephemeralOwner: record.ephemeralOwner,
    dataLength: record.data.length,
    numChildren,
  });
}

export function rootRecord(): ZNodeRecord {
  return { path: '/', data: new Uint8Array(0), version: 0, cversion: 0, czxid: 0, mzxid: 0, pzxid: 0, ctime: 0, mtime: 0, ephemeralOwner: 0 };
}
