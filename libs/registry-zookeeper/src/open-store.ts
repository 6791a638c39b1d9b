import { Registry, RegistryError, type RegistryOptions } from '@weir/broker-core';
import { ZooKeeperConnection } from './zookeeper-connection.js';
import { ZooKeeperRegistryStore } from './zookeeper-registry-store.js';
import { maskZooKeeperUrl, normalizeChroot, parseZooKeeperUrl } from './zookeeper-url.js';

export type ZooKeeperRegistryStoreOptions = (
  | {
      /** `zookeeper://host:2181,host2:2181/chroot` (chroot optional, default `/`). */
      readonly url: string;
      readonly connectString?: undefined;
      readonly chroot?: undefined;
    }
  | {
      /** `host:2181,host2:2181` */
      readonly connectString: string;
      /** Znode holding Weir's tree; default `/`. */
      readonly chroot?: string;
      readonly url?: undefined;
    }
) & {
  /** The store's ZooKeeper client session (its connection, not a Weir lease); default 10 s. */
  readonly sessionTimeoutMs?: number;
  /** How long opening waits for the ensemble to accept a connection; default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Background failures (re-arming the change watch); default console.error. */
  readonly onError?: (err: unknown) => void;
};

/**
 * Connects to the ensemble, creates the chroot and Weir's reserved area if missing, and
 * returns the store. Fails within `connectTimeoutMs` when no server answers.
 */
export async function openZooKeeperRegistryStore(options: ZooKeeperRegistryStoreOptions): Promise<ZooKeeperRegistryStore> {
  const { connectString, chroot } = options.url !== undefined ? parseZooKeeperUrl(options.url) : { connectString: options.connectString, chroot: normalizeChroot(options.chroot ?? '/') };
  const where = options.url !== undefined ? maskZooKeeperUrl(options.url) : connectString;
  let zk: ZooKeeperConnection;
  try {
    zk = await ZooKeeperConnection.open({ connectString, sessionTimeoutMs: options.sessionTimeoutMs, connectTimeoutMs: options.connectTimeoutMs });
  } catch (err) {
    throw new Error(`registry on ZooKeeper ${where}: ${(err as Error).message}`, { cause: err });
  }
  const store = new ZooKeeperRegistryStore(zk, chroot, options.onError ?? ((err) => console.error('registry store:', err)));
  try {
    await store.initialize();
  } catch (err) {
    await store.close();
    throw new Error(`registry on ZooKeeper ${where}: ${(err as Error).message}`, { cause: err });
  }
  return store;
}

export interface ZooKeeperRegistryOpenOptions {
  /**
   * How long opening keeps trying again when the connection is lost after it was made
   * (while the tree loads, say); default 30 s. A connection that cannot be made at all
   * fails at once, after `connectTimeoutMs`.
   */
  readonly openRetryMs?: number;
  /** Told of each attempt given up on a lost connection, before the next one. */
  readonly onOpenRetry?: (err: RegistryError, attempt: number) => void;
}

/** A lost connection while opening, the store's own or the Registry's load. */
function connectionLostWhileOpening(err: unknown): RegistryError | undefined {
  const candidate = err instanceof RegistryError ? err : err instanceof Error ? err.cause : undefined;
  return candidate instanceof RegistryError && candidate.code === 'CONNECTIONLOSS' ? candidate : undefined;
}

/**
 * A Registry over ZooKeeper (mirrors @weir/registry-prisma's openRegistry). A connection
 * lost after it was made is tried again with a new one, for up to `openRetryMs`: a
 * process whose event loop was held longer than the client session's timeout while it
 * started (an embedded database's first open takes seconds) finds its session expired.
 */
export async function openZooKeeperRegistry(options: ZooKeeperRegistryStoreOptions & ZooKeeperRegistryOpenOptions & Omit<RegistryOptions, 'store'>): Promise<Registry> {
  const deadline = Date.now() + (options.openRetryMs ?? 30_000);
  for (let attempt = 1; ; attempt++) {
    try {
      // Registry.open closes the store when its tree fails to load.
      return await Registry.open({ ...options, store: await openZooKeeperRegistryStore(options) });
    } catch (err) {
      const lost = connectionLostWhileOpening(err);
      if (lost === undefined || Date.now() >= deadline) throw err;
      options.onOpenRetry?.(lost, attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.min(100 * attempt, 1000)));
    }
  }
}
