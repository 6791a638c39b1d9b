import { Inject, Injectable } from '@nestjs/common';
import { type BrokerApi, type ConsumerGroupInfo, type ConsumerGroupLags, type ConsumerGroupMemberInfo, type ConsumerGroupSummary, consumerGroupLags, topicRanges } from '@weir/broker-core';
import type { ConsumerAssignmentDataList, ConsumerData, ConsumerDataList, ConsumerGroupData, ConsumerGroupDataList, ConsumerGroupListQuery } from '@weir/contracts';
import { BROKER } from '../../../broker/broker.module.js';
import { RestError } from '../../../errors/rest-error.js';
import { V3Urls } from '../common/urls.js';
import { toConsumerAssignments, toConsumerData, toConsumerGroupData } from '../mappers/consumer-group.mapper.js';

/**
 * Consumer groups as their coordinators know them (Confluent's v3 consumer-groups,
 * consumers and assignments), with Weir's paginated, searchable, lag-sorted list and the
 * group's deletion. Lags of a listed page come from one pass that describes each topic
 * once (group/lag.ts); a group that moves or disappears mid-listing shows no lag.
 */
@Injectable()
export class ConsumerGroupsService {
  constructor(@Inject(BROKER) private readonly api: BrokerApi) {}

  async list(baseUrl: string, query: ConsumerGroupListQuery): Promise<ConsumerGroupDataList> {
    const urls = this.urls(baseUrl);
    const search = query.search?.toLowerCase();
    const groups = (await this.api.listConsumerGroups()).filter((g) => search === undefined || g.groupId.toLowerCase().includes(search));
    const start = pageStart(query.page_token);
    const ranges = topicRanges(this.api);
    const lagsOf = async (gs: readonly ConsumerGroupSummary[]): Promise<Map<string, ConsumerGroupLags>> => {
      const found = new Map<string, ConsumerGroupLags>();
      for (const g of gs) {
        try {
          found.set(g.groupId, await consumerGroupLags(this.api, g.groupId, ranges));
        } catch {
          // Moved or deleted since the listing: shown without lag.
        }
      }
      return found;
    };
    let lags: Map<string, ConsumerGroupLags>;
    let page: ConsumerGroupSummary[];
    if (query.sort === 'lag_desc' || query.sort === 'lag_asc') {
      lags = await lagsOf(groups);
      const total = (g: ConsumerGroupSummary): bigint => lags.get(g.groupId)?.totalLag ?? 0n;
      const sign = query.sort === 'lag_desc' ? -1 : 1;
      page = [...groups].sort((a, b) => sign * compareBigint(total(a), total(b)) || byId(a, b)).slice(start, start + query.page_size);
    } else {
      const sorted = query.sort === 'members_desc' ? [...groups].sort((a, b) => b.memberCount - a.memberCount || byId(a, b)) : groups;
      page = sorted.slice(start, start + query.page_size);
      lags = await lagsOf(page);
    }
    const end = start + page.length;
    const link = (token: string | undefined): string => listUrl(urls.consumerGroups(), { ...query, page_token: token });
    return {
      kind: 'KafkaConsumerGroupList',
      metadata: { self: link(query.page_token), next: end < groups.length ? link(pageToken(end)) : null, total_size: groups.length },
      data: page.map((g) => toConsumerGroupData(urls, g, lags.get(g.groupId))),
    };
  }

  async get(baseUrl: string, groupId: string): Promise<ConsumerGroupData> {
    const group = await this.api.describeConsumerGroup(groupId);
    const lags = await this.api.consumerGroupLags(groupId);
    return toConsumerGroupData(this.urls(baseUrl), group, lags);
  }

  async consumers(baseUrl: string, groupId: string): Promise<ConsumerDataList> {
    const urls = this.urls(baseUrl);
    const group = await this.api.describeConsumerGroup(groupId);
    return { kind: 'KafkaConsumerList', metadata: { self: urls.consumers(groupId), next: null }, data: group.members.map((m) => toConsumerData(urls, groupId, m)) };
  }

  async consumer(baseUrl: string, groupId: string, consumerId: string): Promise<ConsumerData> {
    const { member } = await this.member(groupId, consumerId);
    return toConsumerData(this.urls(baseUrl), groupId, member);
  }

  async assignments(baseUrl: string, groupId: string, consumerId: string): Promise<ConsumerAssignmentDataList> {
    const urls = this.urls(baseUrl);
    const { group, member } = await this.member(groupId, consumerId);
    return { kind: 'KafkaConsumerAssignmentList', metadata: { self: urls.consumerAssignments(groupId, consumerId), next: null }, data: toConsumerAssignments(urls, group, member) };
  }

  /** DeleteGroups: 409 while the group has members, 404 when unknown. */
  async delete(groupId: string): Promise<void> {
    await this.api.deleteConsumerGroup(groupId);
  }

  private async member(groupId: string, consumerId: string): Promise<{ group: ConsumerGroupInfo; member: ConsumerGroupMemberInfo }> {
    const group = await this.api.describeConsumerGroup(groupId);
    const member = group.members.find((m) => m.memberId === consumerId);
    if (member === undefined) throw RestError.notFound(`Consumer ${consumerId} cannot be found in consumer group ${groupId}.`);
    return { group, member };
  }

  private urls(baseUrl: string): V3Urls {
    return new V3Urls(baseUrl, this.api.clusterId);
  }
}

function byId(a: ConsumerGroupSummary, b: ConsumerGroupSummary): number {
  return a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0;
}

function compareBigint(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Page tokens are opaque to clients: the index of the page's first group, base64url. */
function pageToken(index: number): string {
  return Buffer.from(`i${index}`).toString('base64url');
}

function pageStart(token: string | undefined): number {
  if (token === undefined) return 0;
  const text = Buffer.from(token, 'base64url').toString();
  if (!/^i\d{1,9}$/.test(text)) throw RestError.badRequest(`Invalid page_token '${token}'.`);
  return Number(text.slice(1));
}

function listUrl(base: string, query: ConsumerGroupListQuery): string {
  const params = new URLSearchParams({ page_size: String(query.page_size), sort: query.sort });
  if (query.search !== undefined) params.set('search', query.search);
  if (query.page_token !== undefined) params.set('page_token', query.page_token);
  return `${base}?${params.toString()}`;
}
