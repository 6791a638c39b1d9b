import type {
  ConsumerAssignmentDataList, ConsumerDataList, ConsumerGroupData, ConsumerGroupDataList, ConsumerLagDataList, OffsetResetData, OffsetResetRequestBody,
} from '@weir/contracts';
import { cache } from 'react';
import { clusterPath } from './clusters';
import { gatewayRequest } from './http';

export const groupPath = (groupId: string, suffix = '') => clusterPath(`/consumer-groups/${encodeURIComponent(groupId)}${suffix}`);

/** One page of groups, searched and sorted by the gateway (thousands of groups never reach the console at once). */
export async function listConsumerGroups(query: { search?: string; sort: string; pageToken?: string; pageSize: number }): Promise<ConsumerGroupDataList> {
  return gatewayRequest<ConsumerGroupDataList>(await clusterPath('/consumer-groups'), {
    query: { search: query.search, sort: query.sort, page_token: query.pageToken, page_size: query.pageSize },
  });
}

export const getConsumerGroup = cache(async (groupId: string): Promise<ConsumerGroupData> => {
  return gatewayRequest<ConsumerGroupData>(await groupPath(groupId));
});

/** Members with their decoded assignments (one request per member: groups have few). */
export async function listMembers(groupId: string) {
  const members = (await gatewayRequest<ConsumerDataList>(await groupPath(groupId, '/consumers'))).data;
  return Promise.all(members.map(async (m) => {
    const path = await groupPath(groupId, `/consumers/${encodeURIComponent(m.consumer_id)}/assignments`);
    return { ...m, assignments: (await gatewayRequest<ConsumerAssignmentDataList>(path)).data };
  }));
}

export async function listLags(groupId: string): Promise<ConsumerLagDataList> {
  return gatewayRequest<ConsumerLagDataList>(await groupPath(groupId, '/lags'));
}

export async function resetOffsets(groupId: string, request: OffsetResetRequestBody): Promise<OffsetResetData> {
  return gatewayRequest<OffsetResetData>(await groupPath(groupId, '/offsets:reset'), { method: 'POST', body: request });
}

export async function deleteGroup(groupId: string): Promise<void> {
  await gatewayRequest<void>(await groupPath(groupId), { method: 'DELETE' });
}
