import type { WatchedEvent, Watcher } from './types.js';

/**
 * One-shot data and child watches, fired with ZooKeeper's rules:
 * NodeCreated and NodeDataChanged fire data watches (set by exists/getData);
 * NodeDeleted fires data and child watches on the path; NodeChildrenChanged fires child
 * watches (set by getChildren) on the parent. A fired watch is removed, and a watcher
 * registered both ways on a path is called once per event.
 *
 * Not thread-safe by design (Node is single-threaded); callbacks run synchronously after
 * the change is committed and applied to memory, so a watcher that reads sees it.
 */
export class WatchManager {
  private readonly dataWatches = new Map<string, Set<Watcher>>();
  private readonly childWatches = new Map<string, Set<Watcher>>();

  constructor(private readonly onError: (err: unknown) => void) {}

  addDataWatch(path: string, watcher: Watcher): void {
    add(this.dataWatches, path, watcher);
  }

  addChildWatch(path: string, watcher: Watcher): void {
    add(this.childWatches, path, watcher);
  }

  get size(): number {
    let n = 0;
    for (const set of this.dataWatches.values()) n += set.size;
    for (const set of this.childWatches.values()) n += set.size;
    return n;
  }

  fire(events: readonly WatchedEvent[]): void {
    for (const event of events) {
      const targets = new Set<Watcher>();
      if (event.type !== 'NodeChildrenChanged') take(this.dataWatches, event.path, targets);
      if (event.type === 'NodeChildrenChanged' || event.type === 'NodeDeleted') take(this.childWatches, event.path, targets);
      for (const watcher of targets) {
        try {
          watcher(event);
        } catch (err) {
          this.onError(err);
        }
      }
    }
  }
}

function add(map: Map<string, Set<Watcher>>, path: string, watcher: Watcher): void {
  let set = map.get(path);
  if (set === undefined) map.set(path, (set = new Set()));
  set.add(watcher);
}

function take(map: Map<string, Set<Watcher>>, path: string, into: Set<Watcher>): void {
  const set = map.get(path);
  if (set === undefined) return;
  map.delete(path);
  for (const w of set) into.add(w);
}
