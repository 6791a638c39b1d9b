/**
 * Kafka's znode layout (core/.../zk/ZkData.scala): the paths, and the JSON payloads with
 * Kafka's field names and versions, so the tree reads like a ZooKeeper-based cluster's.
 * Encoders write the current version; decoders accept what Kafka itself would.
 */
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

function json(value: unknown): Uint8Array {
  return utf8.encode(JSON.stringify(value));
}

function parse(data: Uint8Array, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8.decode(data));
  } catch (err) {
    throw new Error(`${what}: not JSON (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what}: expected a JSON object`);
  return value as Record<string, unknown>;
}

function int(obj: Record<string, unknown>, key: string, what: string): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`${what}: "${key}" must be an integer`);
  return v;
}

function intArray(v: unknown, what: string): number[] {
  if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x))) throw new Error(`${what}: expected an array of integers`);
  return v as number[];
}

export const KafkaPaths = {
  clusterId: '/cluster/id',
  brokers: '/brokers',
  brokerIds: '/brokers/ids',
  brokerId: (id: number) => `/brokers/ids/${id}`,
  topics: '/brokers/topics',
  topic: (topic: string) => `/brokers/topics/${topic}`,
  partitions: (topic: string) => `/brokers/topics/${topic}/partitions`,
  partition: (topic: string, partition: number) => `/brokers/topics/${topic}/partitions/${partition}`,
  partitionState: (topic: string, partition: number) => `/brokers/topics/${topic}/partitions/${partition}/state`,
  controller: '/controller',
  controllerEpoch: '/controller_epoch',
  config: '/config',
  topicConfigs: '/config/topics',
  topicConfig: (topic: string) => `/config/topics/${topic}`,
  configChanges: '/config/changes',
  /** Prefix for PERSISTENT_SEQUENTIAL change notifications. */
  configChangePrefix: '/config/changes/config_change_',
  admin: '/admin',
  deleteTopics: '/admin/delete_topics',
  deleteTopic: (topic: string) => `/admin/delete_topics/${topic}`,
  /** Kafka's legacy reassignment request node: the controller takes it over and deletes it. */
  reassignPartitions: '/admin/reassign_partitions',
  /** Kafka's preferred leader election request node (Weir also carries unclean elections in it). */
  preferredReplicaElection: '/admin/preferred_replica_election',
  /** Weir: a broker's ephemeral request to be shut down in a controlled way (Kafka sends an RPC instead). */
  controlledShutdown: '/admin/controlled_shutdown',
  controlledShutdownBroker: (id: number) => `/admin/controlled_shutdown/${id}`,
  isrChangeNotification: '/isr_change_notification',
  /** Prefix for PERSISTENT_SEQUENTIAL ISR change notifications. */
  isrChangePrefix: '/isr_change_notification/isr_change_',
} as const;

/** Persistent parents a fresh cluster creates before anything else (Kafka's ZkData.PersistentZkPaths). */
export const KAFKA_PERSISTENT_PATHS: readonly string[] = [
  '/cluster', KafkaPaths.brokers, KafkaPaths.brokerIds, KafkaPaths.topics, KafkaPaths.config, KafkaPaths.topicConfigs,
  KafkaPaths.configChanges, KafkaPaths.admin, KafkaPaths.deleteTopics, KafkaPaths.isrChangeNotification,
  KafkaPaths.controlledShutdown,
];

// ---- /cluster/id: {"version":"1","id":"..."} (Kafka writes the version as a string) ----
export const ClusterIdZNode = {
  encode: (id: string): Uint8Array => json({ version: '1', id }),
  decode(data: Uint8Array): string {
    const obj = parse(data, 'cluster id');
    if (typeof obj.id !== 'string') throw new Error('cluster id: "id" must be a string');
    return obj.id;
  },
};

// ---- /brokers/ids/<id>: broker registration, version 5 ----
export interface BrokerRegistration {
  readonly host: string;
  readonly port: number;
  /** e.g. ["PLAINTEXT://host:9092"] */
  readonly endpoints: readonly string[];
  readonly listenerSecurityProtocolMap: Readonly<Record<string, string>>;
  readonly jmxPort: number;
  readonly timestampMs: number;
  readonly rack?: string;
  readonly features?: Readonly<Record<string, { min_version: number; max_version: number }>>;
}

export const BrokerIdZNode = {
  encode(b: BrokerRegistration): Uint8Array {
    return json({
      version: 5, host: b.host, port: b.port, jmx_port: b.jmxPort, timestamp: String(b.timestampMs),
      endpoints: b.endpoints, listener_security_protocol_map: b.listenerSecurityProtocolMap,
      ...(b.rack === undefined ? {} : { rack: b.rack }), features: b.features ?? {},
    });
  },
  decode(data: Uint8Array): BrokerRegistration & { version: number } {
    const what = 'broker registration';
    const o = parse(data, what);
    const version = int(o, 'version', what);
    const endpoints = Array.isArray(o.endpoints) ? (o.endpoints as string[]) : [`PLAINTEXT://${String(o.host)}:${String(o.port)}`];
    return {
      version, host: String(o.host ?? ''), port: typeof o.port === 'number' ? o.port : -1, endpoints,
      listenerSecurityProtocolMap: (o.listener_security_protocol_map as Record<string, string> | undefined) ?? { PLAINTEXT: 'PLAINTEXT' },
      jmxPort: typeof o.jmx_port === 'number' ? o.jmx_port : -1, timestampMs: Number(o.timestamp ?? 0),
      ...(typeof o.rack === 'string' ? { rack: o.rack } : {}),
      features: (o.features as BrokerRegistration['features']) ?? {},
    };
  },
};

// ---- /brokers/topics/<t>: replica assignment, version 3 ----
export interface TopicAssignment {
  /** partition → replica broker ids (the first is the preferred leader). */
  readonly partitions: ReadonlyMap<number, readonly number[]>;
  readonly addingReplicas?: ReadonlyMap<number, readonly number[]>;
  readonly removingReplicas?: ReadonlyMap<number, readonly number[]>;
  /** Kafka's Uuid in its base64 string form. */
  readonly topicId?: string;
}

function mapToJson(map: ReadonlyMap<number, readonly number[]> | undefined): Record<string, readonly number[]> {
  const out: Record<string, readonly number[]> = {};
  for (const [p, replicas] of map ?? []) out[String(p)] = replicas;
  return out;
}

function jsonToMap(v: unknown, what: string): Map<number, number[]> {
  const out = new Map<number, number[]>();
  if (v === undefined || v === null) return out;
  if (typeof v !== 'object' || Array.isArray(v)) throw new Error(`${what}: expected an object of partitions`);
  for (const [k, replicas] of Object.entries(v as Record<string, unknown>)) out.set(Number(k), intArray(replicas, what));
  return out;
}

export const TopicZNode = {
  encode(a: TopicAssignment): Uint8Array {
    return json({
      version: 3, partitions: mapToJson(a.partitions), adding_replicas: mapToJson(a.addingReplicas),
      removing_replicas: mapToJson(a.removingReplicas), ...(a.topicId === undefined ? {} : { topic_id: a.topicId }),
    });
  },
  decode(data: Uint8Array): TopicAssignment & { version: number } {
    const what = 'topic assignment';
    const o = parse(data, what);
    return {
      version: int(o, 'version', what), partitions: jsonToMap(o.partitions, what),
      addingReplicas: jsonToMap(o.adding_replicas, what), removingReplicas: jsonToMap(o.removing_replicas, what),
      ...(typeof o.topic_id === 'string' ? { topicId: o.topic_id } : {}),
    };
  },
};

// ---- /brokers/topics/<t>/partitions/<p>/state: leader and ISR, version 1 ----
export interface PartitionState {
  readonly controllerEpoch: number;
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly isr: readonly number[];
}

export const PartitionStateZNode = {
  encode: (s: PartitionState): Uint8Array =>
    json({ controller_epoch: s.controllerEpoch, leader: s.leader, version: 1, leader_epoch: s.leaderEpoch, isr: s.isr }),
  decode(data: Uint8Array): PartitionState {
    const what = 'partition state';
    const o = parse(data, what);
    return { controllerEpoch: int(o, 'controller_epoch', what), leader: int(o, 'leader', what), leaderEpoch: int(o, 'leader_epoch', what), isr: intArray(o.isr, what) };
  },
};

// ---- /controller: {"version":1,"brokerid":N,"timestamp":"ms"} ----
export const ControllerZNode = {
  encode: (brokerId: number, timestampMs: number): Uint8Array => json({ version: 1, brokerid: brokerId, timestamp: String(timestampMs) }),
  decode(data: Uint8Array): { brokerId: number; timestampMs: number } {
    const o = parse(data, 'controller');
    return { brokerId: int(o, 'brokerid', 'controller'), timestampMs: Number(o.timestamp ?? 0) };
  },
};

// ---- /controller_epoch: the epoch as a decimal string ----
export const ControllerEpochZNode = {
  encode: (epoch: number): Uint8Array => utf8.encode(String(epoch)),
  decode(data: Uint8Array): number {
    const text = fromUtf8.decode(data);
    if (!/^-?\d+$/.test(text)) throw new Error(`controller epoch: "${text}" is not an integer`);
    return Number(text);
  },
};

// ---- /config/topics/<t>: {"version":1,"config":{...}} ----
export const TopicConfigZNode = {
  encode: (config: Readonly<Record<string, string>>): Uint8Array => json({ version: 1, config }),
  decode(data: Uint8Array): Record<string, string> {
    if (data.length === 0) return {};
    const config = parse(data, 'topic config').config;
    const out: Record<string, string> = {};
    if (config && typeof config === 'object') for (const [k, v] of Object.entries(config)) out[k] = String(v);
    return out;
  },
};

// ---- /config/changes/config_change_<seq>: {"version":2,"entity_path":"topics/<t>"} ----
export const ConfigChangeZNode = {
  encode: (entityPath: string): Uint8Array => json({ version: 2, entity_path: entityPath }),
  decode(data: Uint8Array): string {
    const o = parse(data, 'config change');
    if (typeof o.entity_path !== 'string') throw new Error('config change: "entity_path" must be a string');
    return o.entity_path;
  },
};

// ---- /admin/delete_topics/<t>: no payload; the node's existence is the request ----
export const DeleteTopicZNode = { encode: (): Uint8Array => new Uint8Array(0) };

// ---- /isr_change_notification/isr_change_<seq>: {"version":1,"partitions":[{topic,partition}]} ----
export const IsrChangeNotificationZNode = {
  encode: (partitions: readonly { topic: string; partition: number }[]): Uint8Array => json({ version: 1, partitions }),
  decode(data: Uint8Array): { topic: string; partition: number }[] {
    const o = parse(data, 'isr change');
    if (!Array.isArray(o.partitions)) throw new Error('isr change: "partitions" must be an array');
    return (o.partitions as { topic: unknown; partition: unknown }[]).map((p) => ({ topic: String(p.topic), partition: Number(p.partition) }));
  },
};

function partitionRefs(v: unknown, what: string): { topic: string; partition: number }[] {
  if (!Array.isArray(v)) throw new Error(`${what}: "partitions" must be an array`);
  return v.map((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) throw new Error(`${what}: partition entries must be objects`);
    const e = entry as Record<string, unknown>;
    if (typeof e.topic !== 'string') throw new Error(`${what}: "topic" must be a string`);
    return { topic: e.topic, partition: int(e, 'partition', what) };
  });
}

// ---- /admin/reassign_partitions: {"version":1,"partitions":[{"topic","partition","replicas"}]} ----
// Weir also accepts "replicas": null, which cancels the partition's ongoing reassignment.
export interface ReassignmentRequest {
  readonly topic: string;
  readonly partition: number;
  readonly replicas: readonly number[] | null;
}

export const ReassignPartitionsZNode = {
  encode: (requests: readonly ReassignmentRequest[]): Uint8Array => json({ version: 1, partitions: requests }),
  decode(data: Uint8Array): ReassignmentRequest[] {
    const what = 'reassign partitions';
    const o = parse(data, what);
    const refs = partitionRefs(o.partitions, what);
    return refs.map((ref, i) => {
      const replicas = (o.partitions as Record<string, unknown>[])[i]!.replicas;
      return { ...ref, replicas: replicas === null ? null : intArray(replicas, what) };
    });
  },
};

// ---- /admin/preferred_replica_election: {"version":1,"partitions":[{"topic","partition"}]} ----
// Weir adds "election_type" (Kafka's ElectionType: 0 preferred, 1 unclean); absent means preferred.
export interface ElectionRequest {
  readonly electionType: 0 | 1;
  readonly partitions: readonly { topic: string; partition: number }[];
}

export const PreferredReplicaElectionZNode = {
  encode: (request: ElectionRequest): Uint8Array => json({ version: 1, election_type: request.electionType, partitions: request.partitions }),
  decode(data: Uint8Array): ElectionRequest {
    const what = 'preferred replica election';
    const o = parse(data, what);
    return { electionType: o.election_type === 1 ? 1 : 0, partitions: partitionRefs(o.partitions, what) };
  },
};

// ---- /admin/controlled_shutdown/<id>: {"version":1,"broker_epoch":N} (Weir) ----
export const ControlledShutdownZNode = {
  encode: (brokerEpoch: number): Uint8Array => json({ version: 1, broker_epoch: brokerEpoch }),
  decode: (data: Uint8Array): number => int(parse(data, 'controlled shutdown'), 'broker_epoch', 'controlled shutdown'),
};
