import { Inject, Injectable } from '@nestjs/common';
import {
  type BrokerApi, type LagHistory, type LagOptions, type OffsetResetAuditSink, OffsetResetRefused, type OffsetResetRequest,
} from '@weir/broker-core';
import {
  type ConsumerGroupLagHistoryData, type ConsumerGroupLagSummaryData, type ConsumerLagData, type ConsumerLagDataList, type ConsumerLagQuery, type OffsetResetData,
  type OffsetResetRequestData, REST_ERROR_CODES,
} from '@weir/contracts';
import { BROKER } from '../../../broker/broker.module.js';
import { RestError } from '../../../errors/rest-error.js';
import { V3Urls } from '../common/urls.js';
import { lagIsolationOf, toConsumerLagData, toLagSummaryData, toOffsetResetData } from '../mappers/consumer-group.mapper.js';
import { LAG_HISTORY, OFFSET_RESET_AUDIT } from './consumer-group-tokens.js';

/**
 * A group's lags (Confluent's lags, lag and lag-summary), Weir's lag history for charts,
 * and Weir's offset reset: planned (dry run) or applied through the coordinator, refused
 * with 409 and Kafka's wording while the group is active, recorded by the audit sink.
 */
@Injectable()
export class ConsumerLagsService {
  constructor(
    @Inject(BROKER) private readonly api: BrokerApi,
    @Inject(LAG_HISTORY) private readonly history: LagHistory,
    @Inject(OFFSET_RESET_AUDIT) private readonly audit: OffsetResetAuditSink,
  ) {}

  async lags(baseUrl: string, groupId: string, query: ConsumerLagQuery = {}): Promise<ConsumerLagDataList> {
    const urls = this.urls(baseUrl);
    const lags = await this.api.consumerGroupLags(groupId, lagOptions(query));
    const isolation = lagIsolationOf(lags);
    return { kind: 'KafkaConsumerLagList', metadata: { self: urls.consumerLags(groupId), next: null }, data: lags.partitions.map((p) => toConsumerLagData(urls, groupId, p, isolation)) };
  }

  async lag(baseUrl: string, groupId: string, topic: string, partition: number, query: ConsumerLagQuery = {}): Promise<ConsumerLagData> {
    const lags = await this.api.consumerGroupLags(groupId, lagOptions(query));
    const found = lags.partitions.find((p) => p.topic === topic && p.partition === partition);
    if (found === undefined) throw RestError.notFound(`Consumer lag of consumer group ${groupId} for partition ${topic}-${partition} cannot be found.`);
    return toConsumerLagData(this.urls(baseUrl), groupId, found, lagIsolationOf(lags));
  }

  async lagSummary(baseUrl: string, groupId: string, query: ConsumerLagQuery = {}): Promise<ConsumerGroupLagSummaryData> {
    return toLagSummaryData(this.urls(baseUrl), await this.api.consumerGroupLags(groupId, lagOptions(query)));
  }

  async lagHistory(baseUrl: string, groupId: string): Promise<ConsumerGroupLagHistoryData> {
    await this.api.describeConsumerGroup(groupId); // 404 for an unknown group
    const urls = this.urls(baseUrl);
    return {
      kind: 'KafkaConsumerGroupLagHistory',
      metadata: { self: urls.consumerLagHistory(groupId), resource_name: null },
      cluster_id: urls.clusterId,
      consumer_group_id: groupId,
      samples: this.history.history(groupId).map((s) => ({ timestamp_ms: s.timestampMs, total_lag: Number(s.totalLag), max_lag: Number(s.maxLag) })),
    };
  }

  async reset(baseUrl: string, groupId: string, body: OffsetResetRequestData): Promise<OffsetResetData> {
    try {
      const result = await this.api.resetConsumerGroupOffsets(groupId, toResetRequest(body), { audit: this.audit });
      return toOffsetResetData(this.urls(baseUrl), result);
    } catch (err) {
      if (err instanceof OffsetResetRefused) throw new RestError(REST_ERROR_CODES.STATE_CONFLICT, err.message);
      throw err;
    }
  }

  private urls(baseUrl: string): V3Urls {
    return new V3Urls(baseUrl, this.api.clusterId);
  }
}

/** Absent, the broker picks the group's own isolation (read_committed for a group committing in transactions). */
function lagOptions(query: ConsumerLagQuery): LagOptions {
  return query.isolation_level === undefined ? {} : { isolation: query.isolation_level };
}

/** The validated body (its mode's field present, checked by the schema) as the broker's request. */
function toResetRequest(body: OffsetResetRequestData): OffsetResetRequest {
  const scope = body.partitions !== undefined
    ? { scope: 'partitions' as const, partitions: body.partitions.map((p) => ({ topic: p.topic_name, partition: p.partition_id })) }
    : body.topic_name !== undefined ? { scope: 'topic' as const, topic: body.topic_name } : { scope: 'all' as const };
  const dryRun = body.dry_run;
  switch (body.mode) {
    case 'earliest':
    case 'latest':
    case 'current': return { mode: body.mode, ...scope, dryRun };
    case 'offset': return { mode: 'offset', offset: BigInt(body.offset!), ...scope, dryRun };
    case 'shift-by': return { mode: 'shift-by', shiftBy: BigInt(body.shift_by!), ...scope, dryRun };
    case 'datetime': return { mode: 'datetime', timestampMs: Date.parse(body.datetime!), ...scope, dryRun };
    case 'duration': return { mode: 'duration', duration: body.duration!, ...scope, dryRun };
    case 'from-group': return { mode: 'from-group', groupId: body.from_group!, ...scope, dryRun };
    default: {
      const never: never = body.mode;
      throw RestError.badRequest(`Unknown mode ${String(never)}`);
    }
  }
}
