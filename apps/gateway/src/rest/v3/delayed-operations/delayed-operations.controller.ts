import { Controller, Get, Inject, Param, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { BrokerApi } from '@weir/broker-core';
import { type DelayedOperationsData, delayedOperationsDataSchema } from '@weir/contracts';
import { BROKER } from '../../../broker/broker.module.js';
import { JsonOnlyInterceptor } from '../common/json-only.interceptor.js';
import { ApiV3 } from '../common/openapi.js';
import { ClusterIdPipe } from '../common/params.js';
import { BaseUrl } from '../common/request-context.js';
import { V3Urls } from '../common/urls.js';
import { toPurgatoryStats, toTimingWheelStats } from './delayed-operations.mapper.js';

/**
 * Weir's view of the requests this gateway's brokers hold back and the timing wheel they
 * wait on: one cheap read of counters the broker keeps anyway. The `delayed-operations`
 * live channel carries the same, with rates, every sample.
 */
@ApiTags('Delayed operations (v3, Weir extension)')
@Controller('v3/clusters/:cluster_id/delayed-operations')
@UseInterceptors(JsonOnlyInterceptor)
export class DelayedOperationsController {
  constructor(@Inject(BROKER) private readonly broker: BrokerApi) {}

  @Get()
  @ApiV3({
    summary: 'Get Delayed Operations (purgatories and the timing wheel; Weir extension)',
    description: 'For each running broker of this gateway, each purgatory (Produce waiting for acks=all, Fetch waiting for fetch.min.bytes, Rebalance holding join and sync deadlines, Heartbeat holding member sessions): watch registrations, operations waiting, and completed and expired totals since the broker started. And the timing wheel the brokers share: tick, wheel size, tasks pending per level, and totals.',
    status: 200, response: delayedOperationsDataSchema, errors: [404],
  })
  get(@BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) clusterId: string): DelayedOperationsData {
    const { purgatories, timer } = this.broker.delayedOperations();
    return {
      kind: 'WeirDelayedOperations',
      metadata: { self: `${new V3Urls(baseUrl, clusterId).cluster}/delayed-operations`, resource_name: null },
      cluster_id: clusterId,
      purgatories: purgatories.map(toPurgatoryStats),
      timing_wheel: toTimingWheelStats(timer),
    };
  }
}
