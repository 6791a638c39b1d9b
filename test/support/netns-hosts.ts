import { execFileSync, spawnSync } from 'node:child_process';

/** Every name this harness gives a namespace or link: `wr<pid of the test process><role>`. */
const OWN_NAME = /^wr(\d+)(b|n\d+|v\d+|p\d+)$/;
/** Private /24s tried for a run: 10.<second>.<third>.0, checked against `ip route`. */
const SUBNET_TRIES = 50;

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs `ip`, ignoring failure (cleanup of something that may be gone already). */
function ipQuietly(...args: string[]): void {
  spawnSync('ip', args, { stdio: 'ignore' });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Why this machine cannot build namespaces (not root, no iproute2, a container without
 * CAP_SYS_ADMIN), or undefined when `ip netns add` works. Probes with a namespace of its own.
 */
export function netnsUnavailable(): string | undefined {
  const probe = `wr${process.pid}n0`;
  const added = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (added.error !== undefined) return `ip is not installed (${added.error.message}); apt-get install -y iproute2`;
  if (added.status !== 0) return `ip netns add is not permitted here: ${added.stderr.trim()}`;
  ipQuietly('netns', 'del', probe);
  return undefined;
}

/** Namespaces and links left by earlier runs of this harness whose test process is gone. */
export function removeLeftovers(): void {
  const stale = (name: string) => {
    const match = OWN_NAME.exec(name);
    return match !== null && Number(match[1]) !== process.pid && !processAlive(Number(match[1]));
  };
  for (const line of ip('netns', 'list').split('\n')) {
    const name = line.split(' ')[0] ?? '';
    if (stale(name)) ipQuietly('netns', 'del', name);
  }
  for (const line of ip('-o', 'link', 'show').split('\n')) {
    const name = /^\d+: ([^:@]+)/.exec(line)?.[1];
    if (name !== undefined && stale(name)) ipQuietly('link', 'del', name);
  }
}

/** A 10.x.y.0/24 that overlaps no route of the machine (the default route aside). */
function pickSubnet(): string {
  const networks = ip('-4', 'route', 'show', 'table', 'all').split('\n').flatMap((line) => {
    const match = /^(?:\S+ )?(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?\s/.exec(line);
    return match === null ? [] : [{ net: toInt(match[1]!), bits: Number(match[2] ?? 32) }];
  });
  for (let i = 0; i < SUBNET_TRIES; i += 1) {
    const prefix = `10.${100 + Math.floor(Math.random() * 150)}.${Math.floor(Math.random() * 256)}`;
    const mine = toInt(`${prefix}.0`);
    // Two networks overlap when the shorter prefix's mask makes them equal.
    const overlaps = networks.some(({ net, bits }) => {
      const mask = maskOf(Math.min(bits, 24));
      return ((net & mask) >>> 0) === ((mine & mask) >>> 0);
    });
    if (!overlaps) return prefix;
  }
  throw new Error('no free private /24 under 10.100-249.x found');
}

function toInt(address: string): number {
  return address.split('.').reduce((n, part) => ((n << 8) | Number(part)) >>> 0, 0);
}

function maskOf(bits: number): number {
  return bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
}

let liveHosts: NetnsHosts | undefined;

/**
 * Separate hosts on this machine: one network namespace per host (`lo` up, one veth
 * whose other end is a port of a bridge in the root namespace), all on one private /24
 * picked free for the run. The bridge holds `.1` (the test process, its clients and the
 * database forwarder live there); host i holds `.(10 + i)`.
 *
 * cut(i) sets the root-side veth of host i down: its packets vanish (no RST, no ICMP),
 * to and from every other host and the database alike; heal(i) sets it up again.
 * destroy() deletes the namespaces and the bridge; a process exit hook does the same
 * after a crashed run, and the next run removes what a killed one left (names carry
 * the pid of the test process). One instance per test process.
 */
export class NetnsHosts {
  private destroyed = false;

  private constructor(
    readonly prefix: string,
    readonly count: number,
  ) {}

  static create(count: number): NetnsHosts {
    if (liveHosts !== undefined) throw new Error('one NetnsHosts per test process');
    removeLeftovers();
    const hosts = new NetnsHosts(pickSubnet(), count);
    liveHosts = hosts;
    process.once('exit', () => hosts.destroy());
    try {
      hosts.build();
    } catch (err) {
      hosts.destroy();
      throw err;
    }
    return hosts;
  }

  /** The root namespace's address on the bridge (clients, the database forwarder). */
  get bridgeAddress(): string {
    return `${this.prefix}.1`;
  }

  address(host: number): string {
    return `${this.prefix}.${10 + host}`;
  }

  namespace(host: number): string {
    return `wr${process.pid}n${host}`;
  }

  /** `ip netns exec <ns>`: prefix of a command that runs on host `host`. */
  exec(host: number): string[] {
    return ['ip', 'netns', 'exec', this.namespace(host)];
  }

  cut(host: number): void {
    ip('link', 'set', this.rootSide(host), 'down');
  }

  heal(host: number): void {
    ip('link', 'set', this.rootSide(host), 'up');
  }

  /** Synchronous, so that it can run in an exit hook; safe to call twice. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (let host = 1; host <= this.count; host += 1) ipQuietly('netns', 'del', this.namespace(host));
    for (let host = 1; host <= this.count; host += 1) ipQuietly('link', 'del', this.rootSide(host));
    ipQuietly('link', 'del', this.bridge);
    if (liveHosts === this) liveHosts = undefined;
  }

  private get bridge(): string {
    return `wr${process.pid}b`;
  }

  private rootSide(host: number): string {
    return `wr${process.pid}v${host}`;
  }

  private build(): void {
    ip('link', 'add', this.bridge, 'type', 'bridge');
    ip('addr', 'add', `${this.bridgeAddress}/24`, 'dev', this.bridge);
    ip('link', 'set', this.bridge, 'up');
    for (let host = 1; host <= this.count; host += 1) {
      const ns = this.namespace(host);
      const inside = `wr${process.pid}p${host}`;
      ip('netns', 'add', ns);
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      ip('link', 'add', this.rootSide(host), 'type', 'veth', 'peer', 'name', inside);
      ip('link', 'set', inside, 'netns', ns);
      ip('link', 'set', this.rootSide(host), 'master', this.bridge);
      ip('link', 'set', this.rootSide(host), 'up');
      ip('-n', ns, 'addr', 'add', `${this.address(host)}/24`, 'dev', inside);
      ip('-n', ns, 'link', 'set', inside, 'up');
    }
  }
}
