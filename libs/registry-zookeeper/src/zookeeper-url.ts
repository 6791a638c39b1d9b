/**
 * `zookeeper://host:2181,host2:2181/chroot`: the ensemble's client addresses and the znode
 * under which Weir keeps its tree (default `/`, the whole namespace). Credentials are not
 * used (ZooKeeper authenticates by scheme, not in the URL) and are masked in every error.
 */
export interface ZooKeeperLocation {
  /** `host:port,host:port` as the client takes it. */
  readonly connectString: string;
  /** Absolute znode path, no trailing slash except `/` itself. */
  readonly chroot: string;
}

const DEFAULT_PORT = 2181;

/** The URL with any `user:password@` replaced by `***@`, for messages. */
export function maskZooKeeperUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

export function parseZooKeeperUrl(url: string): ZooKeeperLocation {
  const masked = maskZooKeeperUrl(url);
  const match = /^zookeeper:\/\/(?:[^@/]*@)?([^/?#]+)(\/[^?#]*)?$/.exec(url);
  if (match === null) throw new Error(`registry URL must look like zookeeper://host:2181[,host:2181...][/chroot], got "${masked}"`);
  const hosts = match[1]!.split(',').map((entry) => {
    const hostPort = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(entry);
    if (hostPort === null) throw new Error(`bad host "${entry}" in registry URL "${masked}"`);
    const port = hostPort[2] === undefined ? DEFAULT_PORT : Number(hostPort[2]);
    if (port < 1 || port > 65535) throw new Error(`bad port ${port} in registry URL "${masked}"`);
    return `${hostPort[1]}:${port}`;
  });
  return { connectString: hosts.join(','), chroot: normalizeChroot(match[2] ?? '/', masked) };
}

/** Checks a chroot path (ZooKeeper's rules: absolute, no empty, `.` or `..` segment). */
export function normalizeChroot(chroot: string, context = chroot): string {
  const trimmed = chroot.length > 1 && chroot.endsWith('/') ? chroot.slice(0, -1) : chroot;
  const segments = trimmed.split('/').slice(1);
  const valid = trimmed.startsWith('/') && (trimmed === '/' || segments.every((s) => s !== '' && s !== '.' && s !== '..' && !/\p{Cc}/u.test(s)));
  if (!valid) throw new Error(`bad chroot "${chroot}" in "${context}": an absolute znode path is needed`);
  return trimmed;
}
