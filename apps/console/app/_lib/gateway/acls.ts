import type { AclBinding, AclFilter } from '../../_features/acls/acl-binding';
import { clusterPath } from './clusters';
import { gatewayRequest } from './http';

export interface AclData extends AclBinding {
  kind: 'KafkaAcl';
  cluster_id: string;
}

export async function listAcls(filter: AclFilter): Promise<AclData[]> {
  return (await gatewayRequest<{ data: AclData[] }>(await clusterPath('/acls'), { query: filter })).data;
}

export async function createAcl(binding: AclBinding): Promise<void> {
  await gatewayRequest<unknown>(await clusterPath('/acls'), { method: 'POST', body: binding });
}

/** Deletes exactly this binding (every field given, so the filter matches it alone); answers what was deleted. */
export async function deleteAcl(binding: AclBinding): Promise<AclData[]> {
  const query = { ...binding };
  return (await gatewayRequest<{ data: AclData[] }>(await clusterPath('/acls'), { method: 'DELETE', query })).data;
}
