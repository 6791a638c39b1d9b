import type { ZNodeRecord } from '@weir/broker-core';
import { ZK, ZooKeeperCallError, type ZooKeeperConnection } from './zookeeper-connection.js';
import { decodeZNode } from './znode-codec.js';

/**
 * Reads Weir's tree out of ZooKeeper with pipelined requests: the nodes of a level are
 * asked for together (getData, then getChildren only where ZooKeeper's stat counts
 * children), so a read costs a few round trips per level, not per node. A node deleted while it is read is left out; callers detect that the tree
 * moved by the zxid counter and read again.
 */
export class TreeReader {
  constructor(
    private readonly zk: ZooKeeperConnection,
    private readonly zkPath: (path: string) => string,
    /** Children of the Weir root that are not Weir's (the reserved area, /zookeeper). */
    private readonly hiddenAtRoot: ReadonlySet<string>,
  ) {}

  async readAll(): Promise<ZNodeRecord[]> {
    const nodes: ZNodeRecord[] = [];
    let level = ['/'];
    while (level.length > 0) {
      const read = await mapWindowed(level, async (path) => {
        const found = await absentAsUndefined(this.zk.getData(this.zkPath(path)));
        if (found === undefined) return undefined;
        const children = found.numChildren === 0 ? [] : await this.readChildren(path);
        return children === undefined ? undefined : { record: decodeZNode(path, found.data), children };
      });
      level = [];
      for (const entry of read) {
        if (entry === undefined) continue;
        nodes.push(entry.record);
        level.push(...entry.children);
      }
    }
    return nodes;
  }

  async readNodes(paths: readonly string[]): Promise<ZNodeRecord[]> {
    const records = await mapWindowed(paths, (path) => this.readNode(path));
    return records.filter((r): r is ZNodeRecord => r !== undefined);
  }

  /** Full child path lists of the given parents (parents gone meanwhile are left out). */
  async readChildLists(parents: readonly string[]): Promise<Map<string, string[]>> {
    const lists = await mapWindowed(parents, (path) => this.readChildren(path));
    const result = new Map<string, string[]>();
    parents.forEach((parent, i) => {
      const list = lists[i];
      if (list !== undefined) result.set(parent, list);
    });
    return result;
  }

  private async readNode(path: string): Promise<ZNodeRecord | undefined> {
    const found = await absentAsUndefined(this.zk.getData(this.zkPath(path)));
    return found === undefined ? undefined : decodeZNode(path, found.data);
  }

  private async readChildren(path: string): Promise<string[] | undefined> {
    const names = await absentAsUndefined(this.zk.getChildren(this.zkPath(path)));
    if (names === undefined) return undefined;
    const visible = path === '/' ? names.filter((n) => !this.hiddenAtRoot.has(n)) : names;
    return visible.map((name) => (path === '/' ? `/${name}` : `${path}/${name}`));
  }
}

/**
 * Requests kept in flight at once. More do not go faster: the client library re-copies its
 * unread input for every response it parses (quadratic in the answers one socket read
 * holds), and an unbounded burst only queues in the server.
 */
const IN_FLIGHT_WINDOW = 256;

/** `Promise.all(items.map(read))` with at most IN_FLIGHT_WINDOW reads pending. */
async function mapWindowed<T, R>(items: readonly T[], read: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await read(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT_WINDOW, items.length) }, worker));
  return results;
}

async function absentAsUndefined<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (err) {
    if (err instanceof ZooKeeperCallError && err.code === ZK.NO_NODE) return undefined;
    throw err;
  }
}
