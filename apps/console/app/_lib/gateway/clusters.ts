import type { ClusterData, ClusterDataList, ClusterHealthData } from '@weir/contracts';
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

/** Brokers online and offline, the controller, and the partitions an operator checks first. */
export const getClusterHealth = cache(async (): Promise<ClusterHealthData> => {
  return gatewayRequest<ClusterHealthData>(await clusterPath('/health'));
});
