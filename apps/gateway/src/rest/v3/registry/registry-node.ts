import { type Registry, RegistryError, type Stat, validatePath } from '@weir/broker-core';
import type { RegistryNodeData, RegistryNodeQuery, RegistryStat } from '@weir/contracts';
import { RestError } from '../../../errors/rest-error.js';

const BROKER_IDS_PATH = '/brokers/ids';
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * One znode as the registry browser shows it: data (text when it is valid UTF-8, and
 * base64), Stat, the ephemeral owner's session and the broker registered under it, and
 * a page of its children's names. Reads the registry's in-memory tree synchronously, so
 * one answer is one consistent view. `nodesUrl` is the collection URL the page links
 * append their query to.
 */
export function readRegistryNode(registry: Registry, clusterId: string, nodesUrl: string, query: RegistryNodeQuery): RegistryNodeData {
  const { path, children_limit: limit, children_after: after } = query;
  try {
    validatePath(path);
  } catch (err) {
    if (err instanceof RegistryError) throw RestError.badRequest(err.message);
    throw err;
  }
  let node: { data: Uint8Array; stat: Stat };
  let children: string[];
  try {
    node = registry.getData(path);
    children = registry.getChildren(path);
  } catch (err) {
    if (err instanceof RegistryError && err.code === 'NONODE') throw RestError.notFound(`Registry node ${path} does not exist.`);
    throw err;
  }
  const start = after === undefined ? 0 : firstAfter(children, after);
  const page = children.slice(start, start + limit);
  const more = start + limit < children.length;
  const owner = node.stat.ephemeralOwner;
  return {
    kind: 'WeirRegistryNode',
    metadata: { self: nodeUrl(nodesUrl, path, query), resource_name: null },
    cluster_id: clusterId,
    path,
    data_text: utf8OrNull(node.data),
    data_base64: Buffer.from(node.data.buffer, node.data.byteOffset, node.data.byteLength).toString('base64'),
    stat: toStat(node.stat),
    ephemeral_owner: owner === 0 ? null : { session_id: owner, broker_id: brokerOfSession(registry, owner) },
    children: {
      metadata: {
        self: nodeUrl(nodesUrl, path, query),
        next: more ? nodeUrl(nodesUrl, path, { ...query, children_after: page[page.length - 1] }) : null,
      },
      data: page,
    },
  };
}

/** Index of the first name sorting after `after` in the sorted `names` (binary search: /brokers/topics may hold tens of thousands). */
function firstAfter(names: readonly string[], after: string): number {
  let low = 0;
  let high = names.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((names[mid] as string) <= after) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The broker whose registration (/brokers/ids/<id>, ephemeral) belongs to the session. */
function brokerOfSession(registry: Registry, sessionId: number): number | null {
  if (registry.exists(BROKER_IDS_PATH) === null) return null;
  for (const id of registry.getChildren(BROKER_IDS_PATH)) {
    if (registry.exists(`${BROKER_IDS_PATH}/${id}`)?.ephemeralOwner === sessionId) return Number(id);
  }
  return null;
}

function utf8OrNull(data: Uint8Array): string | null {
  try {
    return strictUtf8.decode(data);
  } catch {
    return null;
  }
}

function toStat(stat: Stat): RegistryStat {
  return {
    czxid: stat.czxid, mzxid: stat.mzxid, pzxid: stat.pzxid, ctime: stat.ctime, mtime: stat.mtime, version: stat.version,
    cversion: stat.cversion, aversion: stat.aversion, ephemeral_owner: stat.ephemeralOwner, data_length: stat.dataLength, num_children: stat.numChildren,
  };
}

function nodeUrl(nodesUrl: string, path: string, query: RegistryNodeQuery): string {
  const params = new URLSearchParams({ path, children_limit: String(query.children_limit) });
  if (query.children_after !== undefined) params.set('children_after', query.children_after);
  return `${nodesUrl}?${params.toString()}`;
}
