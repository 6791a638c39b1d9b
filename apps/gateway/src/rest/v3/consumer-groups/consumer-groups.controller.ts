import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseInterceptors, Req } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  type ConsumerAssignmentDataList, consumerAssignmentDataListSchema, type ConsumerData, consumerDataListSchema, type ConsumerDataList, consumerDataSchema,
  type ConsumerGroupData, consumerGroupDataListSchema, type ConsumerGroupDataList, consumerGroupDataSchema, type ConsumerGroupLagHistoryData,
  consumerGroupLagHistoryDataSchema, type ConsumerGroupLagSummaryData, consumerGroupLagSummaryDataSchema, type ConsumerGroupListQuery,
  consumerGroupListQuerySchema, consumerGroupSortSchema, type ConsumerLagData, consumerLagDataListSchema, type ConsumerLagDataList, consumerLagDataSchema,
  type ConsumerLagQuery, consumerLagQuerySchema, isolationLevelSchema,
  type OffsetResetData, offsetResetDataSchema, type OffsetResetRequestData, offsetResetRequestSchema,
} from '@weir/contracts';
import { z } from 'zod';
import { ZodValidationPipe } from '../../../errors/zod-validation.pipe.js';
import { JsonOnlyInterceptor } from '../common/json-only.interceptor.js';
import { ApiV3 } from '../common/openapi.js';
import { ClusterIdPipe, partitionIdParam, topicNameParam } from '../common/params.js';
import { BaseUrl } from '../common/request-context.js';
import type { FastifyRequest } from 'fastify';
import { RestAuthorizer } from '../../../acl/rest-authorizer.js';
import { ConsumerGroupsService } from './consumer-groups.service.js';
import { ConsumerLagsService } from './consumer-lags.service.js';

const groupIdParam = new ZodValidationPipe(z.string().min(1).max(255), 'consumer group id');
const consumerIdParam = new ZodValidationPipe(z.string().min(1).max(255), 'consumer id');
const listQuery = new ZodValidationPipe(consumerGroupListQuerySchema, 'query');
const lagQuery = new ZodValidationPipe(consumerLagQuerySchema, 'query');
const resetBody = new ZodValidationPipe(offsetResetRequestSchema, 'offset reset request');
const GROUP_ERRORS = [400, 404, 500, 503] as const;
const GROUP_NOTES = {
  404: 'Unknown cluster, or a consumer group its coordinator does not know (404)',
  500: 'The coordinator is loading, moving or cannot be reached (50003): try again',
};

const ISOLATION_NOTE = 'Weir: isolation_level=read_uncommitted measures to the HW, read_committed to the LSO (open transactions not counted); transaction markers are never lag. Absent, the group\'s own: read_committed for a group that commits offsets in transactions. The answer says which (isolation_level).';
const ISOLATION_QUERY = { name: 'isolation_level', required: false, enum: isolationLevelSchema.options } as const;

/** Confluent's consumer groups, consumers, assignments and lags; Weir's list paging, lag history and offset reset. */
@ApiTags('Consumer Group (v3)')
@Controller('v3/clusters/:cluster_id/consumer-groups')
@UseInterceptors(JsonOnlyInterceptor)
export class ConsumerGroupsController {
  constructor(
    private readonly groups: ConsumerGroupsService,
    private readonly lags: ConsumerLagsService,
    private readonly acl: RestAuthorizer,
  ) {}

  @Get()
  @ApiV3({
    summary: 'List Consumer Groups (Weir: paged server-side, searchable, sortable by lag)',
    description: 'Weir extensions: page_size and page_token (metadata.next carries the next page), search (substring of the id), sort (name, lag_desc, lag_asc, members_desc); each group carries protocol_type, members_count, total_lag and max_lag; metadata.total_size counts matches. Groups of brokers in other processes are asked for over the Kafka protocol.',
    status: 200, response: consumerGroupDataListSchema, errors: [400, 404, 503],
  })
  @ApiQuery({ name: 'page_size', required: false, type: Number })
  @ApiQuery({ name: 'page_token', required: false, type: String })
  @ApiQuery({ name: 'search', required: false, type: String })
  @ApiQuery({ name: 'sort', required: false, enum: consumerGroupSortSchema.options })
  list(@BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) _c: string, @Query(listQuery) query: ConsumerGroupListQuery): Promise<ConsumerGroupDataList> {
    return this.groups.list(baseUrl, query);
  }

  @Get(':consumer_group_id')
  @ApiV3({ summary: 'Get Consumer Group', status: 200, response: consumerGroupDataSchema, errors: GROUP_ERRORS, errorNotes: GROUP_NOTES })
  get(@BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) _c: string, @Param('consumer_group_id', groupIdParam) g: string): Promise<ConsumerGroupData> {
    return this.groups.get(baseUrl, g);
  }

  @Delete(':consumer_group_id')
  @HttpCode(204)
  @ApiV3({
    summary: 'Delete Consumer Group (Kafka\'s DeleteGroups; Weir extension)', status: 204, errors: [...GROUP_ERRORS, 409],
    errorNotes: { ...GROUP_NOTES, 409: 'The group still has members (40901)' },
  })
  delete(@Param('cluster_id', ClusterIdPipe) _c: string, @Param('consumer_group_id', groupIdParam) g: string, @Req() req: FastifyRequest): Promise<void> {
    this.acl.requireGroup(req, 'DELETE', g);
    return this.groups.delete(g);
  }

  @Get(':consumer_group_id/consumers')
  @ApiV3({ summary: 'List Consumers of a group (Weir: with their host)', status: 200, response: consumerDataListSchema, errors: GROUP_ERRORS, errorNotes: GROUP_NOTES })
  consumers(@BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) _c: string, @Param('consumer_group_id', groupIdParam) g: string): Promise<ConsumerDataList> {
    return this.groups.consumers(baseUrl, g);
  }

  @Get(':consumer_group_id/consumers/:consumer_id')
  @ApiV3({ summary: 'Get Consumer', status: 200, response: consumerDataSchema, errors: GROUP_ERRORS, errorNotes: GROUP_NOTES })
  consumer(
    @BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) _c: string,
    @Param('consumer_group_id', groupIdParam) g: string, @Param('consumer_id', consumerIdParam) consumerId: string,
  ): Promise<ConsumerData> {
    return this.groups.consumer(baseUrl, g, consumerId);
  }

  @Get(':consumer_group_id/consumers/:consumer_id/assignments')
  @ApiV3({ summary: 'List Consumer Assignments (decoded from the consumer protocol\'s Assignment)', status: 200, response: consumerAssignmentDataListSchema, errors: GROUP_ERRORS, errorNotes: GROUP_NOTES })
  assignments(
    @BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) _c: string,
    @Param('consumer_group_id', groupIdParam) g: string, @Param('consumer_id', consumerIdParam) consumerId: string,
  ): Promise<ConsumerAssignmentDataList> {
    return this.groups.assignments(baseUrl, g, consumerId);
  }

  @Get(':consumer_group_id/lags')
  @ApiV3({
    summary: 'List Consumer Lags', description: `Every partition the group committed or is assigned: log_end_offset minus current_offset; current_offset and lag are null without a commit. Not clamped: a commit past the end shows a negative lag, as kafka-consumer-groups. ${ISOLATION_NOTE}`,
    status: 200, response: consumerLagDataListSchema, errors: GROUP_ERRORS, errorNotes: GROUP_NOTES,
  })
  @ApiQuery(ISOLATION_QUERY)
  lagList(
    @BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) _c: string, @Param('consumer_group_id', groupIdParam) g: string,
    @Query(lagQuery) query: ConsumerLagQuery,
  ): Promise<ConsumerLagDataList> {
    return this.lags.lags(baseUrl, g, query);
  }

  @Get(':consumer_group_id/lags/:topic_name/partitions/:partition_id')
  @ApiV3({ summary: 'Get Consumer Lag of a partition', description: ISOLATION_NOTE, status: 200, response: consumerLagDataSchema, errors: GROUP_ERRORS, errorNotes: GROUP_NOTES })
  @ApiQuery(ISOLATION_QUERY)
  lag(
    @BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) _c: string, @Param('consumer_group_id', groupIdParam) g: string,
    @Param('topic_name', topicNameParam) topic: string, @Param('partition_id', partitionIdParam) partition: number, @Query(lagQuery) query: ConsumerLagQuery,
  ): Promise<ConsumerLagData> {
    return this.lags.lag(baseUrl, g, topic, partition, query);
  }

  @Get(':consumer_group_id/lag-summary')
  @ApiV3({ summary: 'Get Consumer Group Lag Summary', description: ISOLATION_NOTE, status: 200, response: consumerGroupLagSummaryDataSchema, errors: GROUP_ERRORS, errorNotes: GROUP_NOTES })
  @ApiQuery(ISOLATION_QUERY)
  lagSummary(
    @BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) _c: string, @Param('consumer_group_id', groupIdParam) g: string,
    @Query(lagQuery) query: ConsumerLagQuery,
  ): Promise<ConsumerGroupLagSummaryData> {
    return this.lags.lagSummary(baseUrl, g, query);
  }

  @Get(':consumer_group_id/lag-history')
  @ApiV3({
    summary: 'Get Consumer Group Lag History (Weir extension)', description: 'Total and max lag sampled every few seconds, kept in memory (bounded) for charts; empty until the first sample.',
    status: 200, response: consumerGroupLagHistoryDataSchema, errors: GROUP_ERRORS, errorNotes: GROUP_NOTES,
  })
  lagHistory(@BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) _c: string, @Param('consumer_group_id', groupIdParam) g: string): Promise<ConsumerGroupLagHistoryData> {
    return this.lags.lagHistory(baseUrl, g);
  }

  @Post(':consumer_group_id/offsets::reset')
  @HttpCode(200)
  @ApiV3({
    summary: 'Reset Consumer Group Offsets (Weir extension)',
    description: 'As kafka-consumer-groups --reset-offsets: mode earliest, latest, current, offset, shift-by, datetime, duration or from-group; scope the listed partitions, else topic_name\'s partitions, else every partition the group committed. dry_run (default true) only plans: each partition\'s current_offset and new_offset. Targets outside [log start, log end] are clamped (clamped_from says from what). Applied as one commit with generation -1, only while the group is Empty or Dead.',
    status: 200, body: offsetResetRequestSchema, response: offsetResetDataSchema, errors: [400, 404, 409, 500, 503],
    errorNotes: { 409: 'The group is active: "Assignments can only be reset if the group \'<g>\' is inactive, but the current state is <State>." (40901)' },
  })
  reset(
    @BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) _c: string,
    @Param('consumer_group_id', groupIdParam) g: string, @Body(resetBody) body: OffsetResetRequestData, @Req() req: FastifyRequest,
  ): Promise<OffsetResetData> {
    // Kafka's AlterConsumerGroupOffsets: READ on the group (and on the topic, when one is named).
    this.acl.requireGroup(req, 'READ', g);
    if (body.topic_name !== undefined) this.acl.requireTopic(req, 'READ', body.topic_name);
    return this.lags.reset(baseUrl, g, body);
  }
}
