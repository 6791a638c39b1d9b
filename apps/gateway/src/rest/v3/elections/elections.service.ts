import { Inject, Injectable } from '@nestjs/common';
import type { BrokerApi, ElectionType } from '@weir/broker-core';
import type { LeaderElectionRequest, PartitionData, PartitionOutcomeDataList } from '@weir/contracts';
import { BROKER } from '../../../broker/broker.module.js';
import { partitionRefs, requireSucceeded } from '../common/outcomes.js';
import { V3Urls } from '../common/urls.js';
import { toPartitionOutcomeDataList } from '../mappers/reassignment.mapper.js';
import { PartitionsService } from '../partitions/partitions.service.js';

const ELECTION_TYPES: Record<NonNullable<LeaderElectionRequest['election_type']>, ElectionType> = { PREFERRED: 'preferred', UNCLEAN: 'unclean' };

/**
 * Kafka's ElectLeaders through the controller (Weir extension): preferred moves
 * leadership back to each partition's first replica when it is alive and in sync;
 * unclean elects an out-of-sync live replica for a partition without a leader (data
 * the old leader had not replicated is lost).
 */
@Injectable()
export class ElectionsService {
  constructor(
    @Inject(BROKER) private readonly broker: BrokerApi,
    private readonly partitions: PartitionsService,
  ) {}

  async electAll(baseUrl: string, request: LeaderElectionRequest | undefined): Promise<PartitionOutcomeDataList> {
    const outcomes = await this.broker.electLeaders(typeOf(request), null);
    return toPartitionOutcomeDataList(this.urls(baseUrl).leaderElection(), outcomes);
  }

  async electTopic(baseUrl: string, topic: string, request: LeaderElectionRequest | undefined): Promise<PartitionOutcomeDataList> {
    const outcomes = await this.broker.electLeaders(typeOf(request), partitionRefs(this.broker.describeTopic(topic)));
    return toPartitionOutcomeDataList(this.urls(baseUrl).leaderElection(topic), outcomes);
  }

  /** One partition: its new state, or the partition's error as the answer's (ELECTION_NOT_NEEDED is 409). */
  async electPartition(baseUrl: string, topic: string, partition: number, request: LeaderElectionRequest | undefined): Promise<PartitionData> {
    this.partitions.get(baseUrl, topic, partition);
    const ref = { topic, partition };
    requireSucceeded(await this.broker.electLeaders(typeOf(request), [ref]), ref);
    return this.partitions.get(baseUrl, topic, partition);
  }

  private urls(baseUrl: string): V3Urls {
    return new V3Urls(baseUrl, this.broker.clusterId);
  }
}

function typeOf(request: LeaderElectionRequest | undefined): ElectionType {
  return ELECTION_TYPES[request?.election_type ?? 'PREFERRED'];
}
