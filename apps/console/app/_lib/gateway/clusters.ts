import type { BrokerData, BrokerDataList, ClusterData, ClusterDataList, ReplicaDataList } from '@weir/contracts';
import { cache } from 'react';
import { gatewayRequest } from './http';

/** The cluster this gateway serves (a Weir gateway fronts exactly one). */
export const getCluster = cache(async (): Promise<ClusterData> => {
  const list = await gatewayRequest<ClusterDataList>('/v3/clusters');
  const cluster = list.data[0];
  if (cluster === undefined) throw new Error('The gateway reports no cluster');
  return cluster;
});

/** A v3 path under this gateway's cluster: `/v3/clusters/<id><suffix>`. */
export async function clusterPath(suffix = ''): Promise<string> {
  const { cluster_id } = await getCluster();
  return `/v3/clusters/${encodeURIComponent(cluster_id)}${suffix}`;
}

export const listBrokers = cache(async (): Promise<BrokerData[]> => {
  const brokers = (await gatewayRequest<BrokerDataList>(await clusterPath('/brokers'))).data;
  return [...brokers].sort((a, b) => a.broker_id - b.broker_id);
});

/** Every partition replica one broker holds, with its leader and in-sync flags. */
export async function listBrokerReplicas(brokerId: number): Promise<ReplicaDataList['data']> {
  return (await gatewayRequest<ReplicaDataList>(await clusterPath(`/brokers/${brokerId}/partition-replicas`))).data;
}

/** The broker id at the end of a Confluent `related` link (`.../brokers/1`, `.../replicas/1`). */
export function brokerIdFromLink(link: string | null | undefined): number | null {
  if (!link) return null;
  const match = /\/(\d+)\/?$/.exec(link);
  return match ? Number(match[1]) : null;
}
