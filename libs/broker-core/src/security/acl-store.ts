import { isRegistryError } from '../registry/registry-error.js';
import type { Registry } from '../registry/registry.js';
import type { WatchedEvent } from '../registry/types.js';
import { AclPatternType, type AclBinding, type AclBindingFilter } from './acl.js';
import { filterMatches } from './acl-filter.js';
import { AclPaths, AclZNode, STORED_RESOURCE_TYPES, sameEntry, type AclEntry } from './acl-znodes.js';

/** One stored resource pattern and its entries. */
export interface AclResourceNode {
  readonly resourceType: AclBinding['resourceType'];
  readonly patternType: AclBinding['patternType'];
  readonly resourceName: string;
  readonly entries: readonly AclEntry[];
}

/** How many times a write re-reads and retries after losing a compare-and-set race. */
const MAX_WRITE_ATTEMPTS = 20;
const PATTERNS = [AclPatternType.LITERAL, AclPatternType.PREFIXED] as const;

/**
 * The ACLs in the registry (Kafka's ZooKeeper layout, acl-znodes.ts), mirrored in memory
 * and kept current by one-shot watches on every resource-type directory and resource
 * node, the way MetadataSync follows topics (ADR 007): every broker process sees every
 * change, whoever wrote it. A burst of events is applied in one microtask, then
 * `onChange` runs once.
 *
 * Writes are read-modify-write of one resource's node with a compare-and-set on its
 * version, retried on conflict, so concurrent CreateAcls/DeleteAcls on one resource from
 * several brokers all land. Callers: one broker (or a test) on one event loop.
 */
export class AclStore {
  private readonly nodes = new Map<string, AclResourceNode>();
  private readonly dirtyDirs = new Set<string>();
  private readonly dirtyNodes = new Set<string>();
  private flushQueued = false;
  private closed = false;
  private readonly dirWatcher = (e: WatchedEvent): void => this.mark(this.dirtyDirs, e.path);
  private readonly nodeWatcher = (e: WatchedEvent): void => this.mark(this.dirtyNodes, e.path);

  constructor(private readonly registry: Registry, private readonly onChange: () => void, private readonly onError: (err: unknown) => void) {}

  /** Reads every stored ACL and leaves the watches. */
  start(): void {
    for (const pattern of PATTERNS) for (const type of STORED_RESOURCE_TYPES) this.readDir(AclPaths.typeDir(pattern, type));
    this.onChange();
  }

  close(): void {
    this.closed = true;
  }

  resources(): IterableIterator<AclResourceNode> {
    return this.nodes.values();
  }

  /** Every stored binding the filter matches. */
  matching(filter: AclBindingFilter): AclBinding[] {
    const out: AclBinding[] = [];
    for (const node of this.nodes.values()) {
      for (const e of node.entries) {
        const b = bindingOf(node, e);
        if (filterMatches(filter, b)) out.push(b);
      }
    }
    return out;
  }

  /** Adds the bindings (those already present are left as they are). */
  async add(bindings: readonly AclBinding[]): Promise<void> {
    for (const [path, group] of groupByResource(bindings)) {
      await this.update(path, (current) => {
        const added = group.map(entryOf).filter((e, i, all) => !current.some((c) => sameEntry(c, e)) && all.findIndex((o) => sameEntry(o, e)) === i);
        return added.length === 0 ? undefined : [...current, ...added];
      });
    }
  }

  /** Removes every binding matching one of the filters; returns, per filter, what it removed. */
  async remove(filters: readonly AclBindingFilter[]): Promise<AclBinding[][]> {
    const removed: AclBinding[][] = filters.map(() => []);
    const paths = new Set(filters.flatMap((f) => this.matching(f)).map(pathOf));
    for (const path of paths) {
      await this.update(path, (current, node) => {
        const keep: AclEntry[] = [];
        const gone = filters.map((): AclBinding[] => []);
        for (const e of current) {
          const b = bindingOf(node, e);
          const hits = filters.map((f) => filterMatches(f, b));
          hits.forEach((hit, i) => { if (hit) gone[i]!.push(b); });
          if (!hits.includes(true)) keep.push(e);
        }
        if (keep.length === current.length) return undefined;
        gone.forEach((list, i) => removed[i]!.push(...list));
        return keep;
      });
    }
    return removed;
  }

  /**
   * Rewrites one resource's node: `change` gets the entries stored now and returns the new
   * list (empty: delete the node), or undefined for no change. On a lost race it runs again
   * on the newer state, so it must only compute.
   */
  private async update(path: string, change: (current: readonly AclEntry[], node: AclResourceNode) => AclEntry[] | undefined): Promise<void> {
    const shape = parsePath(path)!;
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const stat = this.registry.exists(path);
      const current = stat === null ? [] : AclZNode.decode(this.registry.getData(path).data, path);
      const next = change(current, { ...shape, entries: current });
      if (next === undefined) return;
      try {
        if (stat === null) {
          await this.ensureParents(path);
          await this.registry.create(path, AclZNode.encode(next));
        } else if (next.length === 0) {
          await this.registry.delete(path, stat.version);
        } else {
          await this.registry.setData(path, AclZNode.encode(next), stat.version);
        }
        this.readNode(path);
        this.onChange();
        return;
      } catch (err) {
        if (!isRegistryError(err, 'BADVERSION') && !isRegistryError(err, 'NODEEXISTS') && !isRegistryError(err, 'NONODE')) throw err;
      }
    }
    throw new Error(`ACLs of ${path}: gave up after ${MAX_WRITE_ATTEMPTS} conflicting writes`);
  }

  private async ensureParents(path: string): Promise<void> {
    const parts = path.split('/');
    for (let i = 2; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (this.registry.exists(parent) === null) {
        await this.registry.create(parent).catch((err: unknown) => { if (!isRegistryError(err, 'NODEEXISTS')) throw err; });
      }
    }
  }

  private readDir(dir: string): void {
    if (this.closed) return;
    const names = this.registry.exists(dir, this.dirWatcher) === null ? [] : this.registry.getChildren(dir, this.dirWatcher);
    const listed = new Set(names.map((n) => `${dir}/${n}`));
    for (const path of this.nodes.keys()) if (path.startsWith(`${dir}/`) && !listed.has(path)) this.nodes.delete(path);
    for (const path of listed) if (!this.nodes.has(path)) this.readNode(path);
  }

  private readNode(path: string): void {
    if (this.closed) return;
    const shape = parsePath(path);
    if (shape === undefined) return;
    if (this.registry.exists(path, this.nodeWatcher) === null) {
      this.nodes.delete(path);
      return;
    }
    try {
      this.nodes.set(path, { ...shape, entries: AclZNode.decode(this.registry.getData(path, this.nodeWatcher).data, path) });
    } catch (err) {
      // A node Weir cannot read grants nothing; the others still apply.
      this.nodes.delete(path);
      this.onError(err);
    }
  }

  private mark(set: Set<string>, path: string): void {
    set.add(path);
    if (this.flushQueued || this.closed) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      this.flushQueued = false;
      try {
        for (const dir of this.dirtyDirs) this.readDir(dir);
        for (const node of this.dirtyNodes) this.readNode(node);
        this.dirtyDirs.clear();
        this.dirtyNodes.clear();
        this.onChange();
      } catch (err) {
        this.onError(err);
      }
    });
  }
}

function entryOf(b: AclBinding): AclEntry {
  return { principal: b.principal, host: b.host, operation: b.operation, permissionType: b.permissionType };
}

function bindingOf(node: Omit<AclResourceNode, 'entries'>, e: AclEntry): AclBinding {
  return { resourceType: node.resourceType, resourceName: node.resourceName, patternType: node.patternType, ...e };
}

function pathOf(b: AclBinding): string {
  return AclPaths.resource(b.patternType, b.resourceType, b.resourceName);
}

function groupByResource(bindings: readonly AclBinding[]): Map<string, AclBinding[]> {
  const groups = new Map<string, AclBinding[]>();
  for (const b of bindings) {
    const path = pathOf(b);
    groups.set(path, [...(groups.get(path) ?? []), b]);
  }
  return groups;
}

/** The resource pattern a stored node's path names, or undefined for another path. */
function parsePath(path: string): Omit<AclResourceNode, 'entries'> | undefined {
  for (const patternType of PATTERNS) {
    for (const resourceType of STORED_RESOURCE_TYPES) {
      const dir = `${AclPaths.typeDir(patternType, resourceType)}/`;
      if (path.startsWith(dir) && path.length > dir.length && !path.includes('/', dir.length)) {
        return { resourceType, patternType, resourceName: path.slice(dir.length) };
      }
    }
  }
  return undefined;
}
