import { depth, type DataTree } from './data-tree.js';
import { childPath, parentOf } from './path.js';
import type { RemoteChanges } from './store.js';
import type { WatchedEvent } from './types.js';

/**
 * Brings the in-memory tree up to date with changes other processes committed, and
 * returns the watch events those changes imply (the same events a local write would
 * have produced: created, deleted, data changed, parent's children changed).
 */
export function applyRemoteChanges(tree: DataTree, changes: RemoteChanges): WatchedEvent[] {
  const events: WatchedEvent[] = [];
  const childrenChanged = new Set<string>();
  const upserts = [...changes.upserts].sort((a, b) => depth(a.path) - depth(b.path));
  for (const record of upserts) {
    const existing = tree.get(record.path);
    if (existing === undefined) {
      if (record.path !== '/' && tree.get(parentOf(record.path)) === undefined) continue; // parent removed meanwhile
      tree.put(record);
      events.push({ type: 'NodeCreated', path: record.path });
      childrenChanged.add(parentOf(record.path));
      continue;
    }
    if (existing.record.czxid !== record.czxid) {
      // Deleted and re-created since we last looked: watchers saw neither, tell them both.
      events.push({ type: 'NodeDeleted', path: record.path }, { type: 'NodeCreated', path: record.path });
      childrenChanged.add(parentOf(record.path));
    } else if (existing.record.mzxid !== record.mzxid) {
      events.push({ type: 'NodeDataChanged', path: record.path });
    }
    if (existing.record.cversion !== record.cversion) childrenChanged.add(record.path);
    tree.put(record);
  }
  for (const [parent, childPaths] of changes.children) {
    const node = tree.get(parent);
    if (node === undefined) continue;
    const current = new Set(childPaths);
    for (const name of [...node.children]) {
      const path = childPath(parent, name);
      if (current.has(path)) continue;
      for (const removed of tree.removeSubtree(path)) {
        events.push({ type: 'NodeDeleted', path: removed });
        childrenChanged.add(parentOf(removed));
      }
    }
  }
  for (const path of childrenChanged) {
    if (tree.get(path) !== undefined) events.push({ type: 'NodeChildrenChanged', path });
  }
  return events;
}
