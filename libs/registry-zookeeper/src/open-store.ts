import { Registry, type RegistryOptions } from '@weir/broker-core';
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

/** A Registry over ZooKeeper (mirrors @weir/registry-prisma's openRegistry). */
export async function openZooKeeperRegistry(options: ZooKeeperRegistryStoreOptions & Omit<RegistryOptions, 'store'>): Promise<Registry> {
  return Registry.open({ ...options, store: await openZooKeeperRegistryStore(options) });
}
