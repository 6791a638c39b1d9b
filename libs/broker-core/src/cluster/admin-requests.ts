import { isRegistryError } from '../registry/registry-error.js';
import type { Registry } from '../registry/registry.js';
import type { Timer } from '../timer/system-timer.js';

/**
 * Hands a request to the controller through a request znode, as Kafka's admin tools did
 * with /admin/reassign_partitions and /admin/preferred_replica_election: create the node,
 * or merge into one already waiting (compare-and-set on its version, so two requesters
 * never overwrite each other), then wait until the controller has taken it over and
 * deleted it. Resolves true when it did within `timeoutMs`.
 */
export async function submitAdminRequest(
  registry: Registry,
  timer: Timer,
  path: string,
  merge: (existing: Uint8Array | undefined) => Uint8Array,
  timeoutMs: number,
): Promise<boolean> {
  for (;;) {
    const stat = registry.exists(path);
    try {
      if (stat === null) await registry.create(path, merge(undefined));
      else await registry.setData(path, merge(registry.getData(path).data), stat.version);
      break;
    } catch (err) {
      if (!isRegistryError(err, 'NODEEXISTS') && !isRegistryError(err, 'BADVERSION') && !isRegistryError(err, 'NONODE')) throw err;
    }
  }
  return awaitNodeGone(registry, timer, path, timeoutMs);
}

/** Resolves true once `path` no longer exists, false if it still does after `timeoutMs`. */
export function awaitNodeGone(registry: Registry, timer: Timer, path: string, timeoutMs: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    let settled = false;
    const finish = (gone: boolean): void => {
      if (settled) return;
      settled = true;
      deadline.cancel();
      resolve(gone);
    };
    const deadline = timer.schedule(timeoutMs, () => finish(registry.exists(path) === null));
    const check = (): void => {
      if (settled) return;
      if (registry.exists(path, check) === null) finish(true);
    };
    check();
  });
}
