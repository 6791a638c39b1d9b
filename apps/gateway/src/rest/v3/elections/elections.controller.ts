import { Body, Controller, HttpCode, Param, Post, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  type LeaderElectionRequest,
  leaderElectionRequestSchema,
  type PartitionData,
  partitionDataSchema,
  type PartitionOutcomeDataList,
  partitionOutcomeDataListSchema,
} from '@weir/contracts';
import { ZodValidationPipe } from '../../../errors/zod-validation.pipe.js';
import { JsonOnlyInterceptor } from '../common/json-only.interceptor.js';
import { ApiV3 } from '../common/openapi.js';
import { ClusterIdPipe, partitionIdParam, topicNameParam } from '../common/params.js';
import { BaseUrl } from '../common/request-context.js';
import { ElectionsService } from './elections.service.js';

/** The body is optional: no body is a preferred election. */
const electionBody = new ZodValidationPipe(leaderElectionRequestSchema.optional(), 'leader election request');
const MANY = 'Each partition\'s outcome is in the answer: error_code null when elected, 40901 (ELECTION_NOT_NEEDED) when the leader is already the one asked for, 50003 (ELIGIBLE_LEADERS_NOT_AVAILABLE) when no replica can lead.';

/** Weir's leader elections (Kafka's ElectLeaders): every partition, a topic's, or one. */
@ApiTags('Leader Election (v3, Weir extension)')
@Controller('v3/clusters/:cluster_id/topics')
@UseInterceptors(JsonOnlyInterceptor)
export class ElectionsController {
  constructor(private readonly elections: ElectionsService) {}

  @Post('-/partitions/-/leader-election')
  @HttpCode(200)
  @ApiV3({ summary: 'Elect Leaders of every partition (PREFERRED by default, or UNCLEAN)', description: MANY, status: 200, body: leaderElectionRequestSchema, response: partitionOutcomeDataListSchema, errors: [400, 404, 503] })
  electAll(
    @BaseUrl() baseUrl: string,
    @Param('cluster_id', ClusterIdPipe) _c: string,
    @Body(electionBody) body: LeaderElectionRequest | undefined,
  ): Promise<PartitionOutcomeDataList> {
    return this.elections.electAll(baseUrl, body);
  }

  @Post(':topic_name/partitions/-/leader-election')
  @HttpCode(200)
  @ApiV3({ summary: 'Elect Leaders of a topic\'s partitions', description: MANY, status: 200, body: leaderElectionRequestSchema, response: partitionOutcomeDataListSchema, errors: [400, 404, 503] })
  electTopic(
    @BaseUrl() baseUrl: string,
    @Param('cluster_id', ClusterIdPipe) _c: string,
    @Param('topic_name', topicNameParam) topic: string,
    @Body(electionBody) body: LeaderElectionRequest | undefined,
  ): Promise<PartitionOutcomeDataList> {
    return this.elections.electTopic(baseUrl, topic, body);
  }

  @Post(':topic_name/partitions/:partition_id/leader-election')
  @HttpCode(200)
  @ApiV3({
    summary: 'Elect the Leader of a partition',
    description: 'Answers the partition with its new leader. 409 40901 when no election is needed (the preferred replica already leads, or a leader exists for UNCLEAN); 500 50003 when no replica is eligible.',
    status: 200,
    body: leaderElectionRequestSchema,
    response: partitionDataSchema,
    errors: [400, 404, 409, 500, 503],
  })
  electPartition(
    @BaseUrl() baseUrl: string,
    @Param('cluster_id', ClusterIdPipe) _c: string,
    @Param('topic_name', topicNameParam) topic: string,
    @Param('partition_id', partitionIdParam) partition: number,
    @Body(electionBody) body: LeaderElectionRequest | undefined,
  ): Promise<PartitionData> {
    return this.elections.electPartition(baseUrl, topic, partition, body);
  }
}
