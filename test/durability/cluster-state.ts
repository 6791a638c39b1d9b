/**
 * What a restart must keep besides records, read through v3: the topics with their
 * partition counts, every config that is not a default, and each partition's offsets.
 */
export interface ClusterState {
  readonly clusterId: string;
  readonly topics: Record<string, { partitions: number; configs: Record<string, string | null>; offsets: { start: number; end: number }[] }>;
}

type List<T> = { data: T[] };

async function get<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

export async function clusterState(baseUrl: string): Promise<ClusterState> {
  const clusterId = (await get<List<{ cluster_id: string }>>(`${baseUrl}/v3/clusters`)).data[0]!.cluster_id;
  const topicsUrl = `${baseUrl}/v3/clusters/${clusterId}/topics`;
  const topics: ClusterState['topics'] = {};
  for (const t of (await get<List<{ topic_name: string; partitions_count: number }>>(topicsUrl)).data) {
    const configs = (await get<List<{ name: string; value: string | null; is_default: boolean }>>(`${topicsUrl}/${t.topic_name}/configs`)).data;
    const partitions = (await get<List<{ partition_id: number; log_start_offset: number; log_end_offset: number }>>(`${topicsUrl}/${t.topic_name}/partitions`)).data;
    topics[t.topic_name] = {
      partitions: t.partitions_count,
      configs: Object.fromEntries(configs.filter((c) => !c.is_default).map((c) => [c.name, c.value])),
      offsets: partitions.sort((a, b) => a.partition_id - b.partition_id).map((p) => ({ start: p.log_start_offset, end: p.log_end_offset })),
    };
  }
  return { clusterId, topics };
}
