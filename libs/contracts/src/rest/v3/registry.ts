import { z } from 'zod';
import { collectionMetadataSchema, resourceSchema } from './resource.js';

/**
 * Weir's read-only view of the metadata registry (ZooKeeper's data model: znodes with
 * data, a Stat and children), for operators: what `zookeeper-shell get -s` and `ls`
 * show. Session ids and zxids are JSON numbers (the registry allocates both upwards
 * from 1, far below 2^53).
 */

/** At most this many children per page; /brokers/topics of a large cluster has tens of thousands. */
export const REGISTRY_CHILDREN_MAX_LIMIT = 1000;
export const REGISTRY_CHILDREN_DEFAULT_LIMIT = 200;

export const registryNodeQuerySchema = z.object({
  /** Absolute znode path; the root when absent. The registry's own rules decide what is valid. */
  path: z.string().max(4096).default('/'),
  children_limit: z.coerce.number().int().min(1).max(REGISTRY_CHILDREN_MAX_LIMIT).default(REGISTRY_CHILDREN_DEFAULT_LIMIT),
  /** Children whose names sort after this one (the previous page's last name). */
  children_after: z.string().max(4096).optional(),
});
export type RegistryNodeQuery = z.output<typeof registryNodeQuerySchema>;

/** ZooKeeper's Stat, as the registry keeps it; times are epoch milliseconds. */
export const registryStatSchema = z.object({
  czxid: z.number().int(),
  mzxid: z.number().int(),
  pzxid: z.number().int(),
  ctime: z.number().int(),
  mtime: z.number().int(),
  version: z.number().int(),
  cversion: z.number().int(),
  aversion: z.number().int(),
  /** The owning session of an ephemeral znode, 0 for a persistent one. */
  ephemeral_owner: z.number().int(),
  data_length: z.number().int(),
  num_children: z.number().int(),
});
export type RegistryStat = z.infer<typeof registryStatSchema>;

export const registryNodeDataSchema = resourceSchema('WeirRegistryNode', {
  cluster_id: z.string(),
  path: z.string(),
  /** The data as UTF-8 text, null when it is not valid UTF-8. */
  data_text: z.string().nullable(),
  /** The data, always, in base64. */
  data_base64: z.string(),
  stat: registryStatSchema,
  /** Who owns an ephemeral znode: its session, and the broker registered under that session (null when none is). */
  ephemeral_owner: z.object({ session_id: z.number().int(), broker_id: z.number().int().nullable() }).nullable(),
  /** One page of the children's names, sorted; `metadata.next` pages on. */
  children: z.object({ metadata: collectionMetadataSchema, data: z.array(z.string()) }),
});
export type RegistryNodeData = z.infer<typeof registryNodeDataSchema>;
