import type { ZNodeRecord } from '@weir/broker-core';
import { ZK, ZooKeeperCallError, type ZooKeeperConnection } from './zookeeper-connection.js';
import { decodeZNode } from './znode-codec.js';

/**
 * Reads Weir's tree out of ZooKeeper with pipelined requests: every node of a level is
 * asked for at once (getData and getChildren), so a read costs one round trip per level,
 * not per node. A node deleted while it is read is left out; callers detect that the tree
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
      const read = await Promise.all(level.map((path) => Promise.all([this.readNode(path), this.readChildren(path)])));
      level = [];
      for (const [record, children] of read) {
        if (record === undefined || children === undefined) continue;
        nodes.push(record);
        level.push(...children);
      }
    }
    return nodes;
  }

  async readNodes(paths: readonly string[]): Promise<ZNodeRecord[]> {
    const records = await Promise.all(paths.map((path) => this.readNode(path)));
    return records.filter((r): r is ZNodeRecord => r !== undefined);
  }

  /** Full child path lists of the given parents (parents gone meanwhile are left out). */
  async readChildLists(parents: readonly string[]): Promise<Map<string, string[]>> {
    const lists = await Promise.all(parents.map((path) => this.readChildren(path)));
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

async function absentAsUndefined<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (err) {
    if (err instanceof ZooKeeperCallError && err.code === ZK.NO_NODE) return undefined;
    throw err;
  }
}
