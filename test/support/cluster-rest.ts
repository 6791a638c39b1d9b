import type { BrokerDataList, ClusterDataList, PartitionData, PartitionDataList } from '@weir/contracts';

/** A partition as one broker's REST door describes it. */
export interface PartitionView {
  readonly topic: string;
  readonly partition: number;
  /** -1 while the partition has no leader. */
  readonly leader: number;
  readonly leaderEpoch: number;
  /** In assignment order (the preferred leader first). */
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  /** No live leader: produce and fetch fail until one is elected. */
  readonly offline: boolean;
  /** Replicas whose broker is not registered. */
  readonly offlineReplicas: readonly number[];
  readonly highWatermark: number;
  readonly logEndOffset: number;
}

export interface NewTopicRequest {
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly configs?: Readonly<Record<string, string>>;
}

/** A broker id out of a v3 link ending in `/brokers/<id>`. */
function brokerIdOfLink(related: string | undefined): number {
  const match = related === undefined ? null : /\/brokers\/(\d+)$/.exec(related);
  return match === null ? -1 : Number(match[1]);
}

/**
 * The cluster as seen through one broker's REST door (Confluent's v3 API): brokers, the
 * controller, partitions with leader and ISR, topic creation and config changes. Every
 * call is one or two HTTP requests with a short timeout; a broker that does not answer
 * makes the call reject (the wait helpers treat that as "not yet").
 */
export class ClusterRest {
  private clusterIdValue: string | undefined;

  constructor(readonly baseUrl: string) {}

  async clusterId(): Promise<string> {
    this.clusterIdValue ??= (await this.get<ClusterDataList>('/v3/clusters')).data[0]!.cluster_id;
    return this.clusterIdValue;
  }

  /** Registered broker ids (online or shutting down), ascending; the list also names offline ones, left out here. */
  async brokers(): Promise<number[]> {
    const list = await this.get<BrokerDataList>(`/v3/clusters/${await this.clusterId()}/brokers`);
    return list.data.filter((b) => b.status !== 'offline').map((b) => b.broker_id).sort((a, b) => a - b);
  }

  /** The controller's broker id, -1 while there is none. */
  async controller(): Promise<number> {
    const list = await this.get<ClusterDataList>('/v3/clusters');
    return brokerIdOfLink(list.data[0]?.controller?.related);
  }

  async partition(topic: string, partition: number): Promise<PartitionView> {
    return toView(await this.get<PartitionData>(`/v3/clusters/${await this.clusterId()}/topics/${topic}/partitions/${partition}`));
  }

  async partitions(topic: string): Promise<PartitionView[]> {
    return (await this.get<PartitionDataList>(`/v3/clusters/${await this.clusterId()}/topics/${topic}/partitions`)).data.map(toView);
  }

  async createTopic(name: string, topic: NewTopicRequest): Promise<void> {
    const configs = Object.entries(topic.configs ?? {}).map(([configName, value]) => ({ name: configName, value }));
    await this.send('POST', `/v3/clusters/${await this.clusterId()}/topics`, {
      topic_name: name,
      partitions_count: topic.partitions,
      replication_factor: topic.replicationFactor,
      configs,
    });
  }

  /** Sets one topic config (PUT .../configs/<name>). */
  async setTopicConfig(topic: string, name: string, value: string): Promise<void> {
    await this.send('PUT', `/v3/clusters/${await this.clusterId()}/topics/${topic}/configs/${name}`, { value });
  }

  private async get<T>(path: string): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, { signal: AbortSignal.timeout(3000) });
    if (res.status !== 200) throw new Error(`GET ${path} on ${this.baseUrl} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    return (await res.json()) as T;
  }

  private async send(method: 'POST' | 'PUT', path: string, body: unknown): Promise<void> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    if (res.status >= 300) throw new Error(`${method} ${path} on ${this.baseUrl} answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
    await res.arrayBuffer();
  }
}

function toView(data: PartitionData): PartitionView {
  return {
    topic: data.topic_name,
    partition: data.partition_id,
    leader: data.leader_id ?? -1,
    leaderEpoch: data.leader_epoch,
    replicas: data.replica_ids,
    isr: data.isr,
    offline: data.is_offline,
    offlineReplicas: data.offline_replicas,
    highWatermark: data.high_watermark,
    logEndOffset: data.log_end_offset,
  };
}

/**
 * Polls `probe` until it returns something other than undefined or false, and returns
 * that. A probe that throws counts as "not yet" (a broker restarting, a connection
 * refused); the last error and the last answer are in the timeout's message.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs: number, pollMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const cause = lastError === undefined ? '' : `; last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
