import { Inject, Injectable } from '@nestjs/common';
import { type BrokerApi, SystemTime, type TopicStats } from '@weir/broker-core';
import type { TopicSummary, TopicSummaryList, TopicSummaryQuery, TopicSummarySortKey } from '@weir/contracts';
import { BROKER } from '../../../broker/broker.module.js';
import { LIVE_SAMPLE_INTERVAL_MS } from '../../../live/live.gateway.js';
import { OnDemandRates } from '../../../live/throughput-sampler.js';

/** How many group ids a summary names; the count covers them all. */
const GROUP_IDS_SHOWN = 5;

/** A summary before its page's consumer figures are known. */
type Row = Omit<TopicSummary, 'consumer_groups_count' | 'consumer_groups' | 'total_lag'>;

const byName = (a: Row, b: Row): number => (a.topic_name < b.topic_name ? -1 : a.topic_name > b.topic_name ? 1 : 0);
const numeric = (field: keyof Row) => (a: Row, b: Row): number => (a[field] as number) - (b[field] as number) || byName(a, b);

/** Ties go by name, so pages are stable. */
const COMPARE: Record<TopicSummarySortKey, (a: Row, b: Row) => number> = {
  name: byName,
  partitions: numeric('partitions_count'),
  replication_factor: numeric('replication_factor'),
  under_replicated: numeric('under_replicated_partitions'),
  size: numeric('size_bytes'),
  records_in: numeric('records_in_per_sec'),
};

/**
 * Weir's topic summaries: one pass over the broker's topic table (topicStats: counts and
 * log sizes read in place, no per-partition descriptions), search, sort and slice here; rates from the
 * per-topic counters with the live channel's arithmetic; groups and lag for the page's rows
 * only (consumersOfTopics). Nothing is cached but the rates, at most one sample interval old.
 */
@Injectable()
export class TopicSummariesService {
  private readonly rates: OnDemandRates;

  constructor(@Inject(BROKER) private readonly broker: BrokerApi) {
    this.rates = new OnDemandRates(() => broker.topicCounters(), LIVE_SAMPLE_INTERVAL_MS);
  }

  async list(query: TopicSummaryQuery): Promise<TopicSummaryList> {
    const needle = query.name_contains.toLowerCase();
    const rates = this.rates.byTopic(SystemTime.INSTANCE.hiResMilliseconds());
    const rows: Row[] = [];
    for (const topic of this.broker.topicStats({ includeInternal: query.include_internal })) {
      if (needle !== '' && !topic.name.toLowerCase().includes(needle)) continue;
      const rate = rates.get(topic.name);
      rows.push(rowOf(topic, rate?.records_in_per_sec ?? 0, rate?.bytes_in_per_sec ?? 0));
    }
    const compare = COMPARE[query.sort_by];
    rows.sort(query.order === 'asc' ? compare : (a, b) => compare(b, a));
    const page = rows.slice(query.offset, query.offset + query.limit);
    const consumers = await this.broker.consumersOfTopics(page.map((r) => r.topic_name));
    const data = page.map((row, i): TopicSummary => {
      const { groupIds, totalLag } = consumers[i]!;
      return { ...row, consumer_groups_count: groupIds.length, consumer_groups: groupIds.slice(0, GROUP_IDS_SHOWN), total_lag: Number(totalLag) };
    });
    return { kind: 'KafkaTopicSummaryList', metadata: { total: rows.length, offset: query.offset, limit: query.limit }, data };
  }
}

function rowOf(topic: TopicStats, recordsInPerSec: number, bytesInPerSec: number): Row {
  return {
    topic_name: topic.name,
    is_internal: topic.internal,
    partitions_count: topic.partitions,
    replication_factor: topic.replicationFactor,
    under_replicated_partitions: topic.underReplicated,
    offline_partitions: topic.offline,
    size_bytes: topic.sizeBytes,
    records_in_per_sec: recordsInPerSec,
    bytes_in_per_sec: bytesInPerSec,
  };
}
