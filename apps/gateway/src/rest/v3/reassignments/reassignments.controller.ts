import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  type AlterReassignmentRequest,
  alterReassignmentRequestSchema,
  type AlterTopicReassignmentsRequest,
  alterTopicReassignmentsRequestSchema,
  type PartitionOutcomeDataList,
  partitionOutcomeDataListSchema,
  type ReassignmentData,
  reassignmentDataListSchema,
  reassignmentDataSchema,
  type ReassignmentDataList,
} from '@weir/contracts';
import { ZodValidationPipe } from '../../../errors/zod-validation.pipe.js';
import { JsonOnlyInterceptor } from '../common/json-only.interceptor.js';
import { ApiV3 } from '../common/openapi.js';
import { ClusterIdPipe, partitionIdParam, topicNameParam } from '../common/params.js';
import { BaseUrl } from '../common/request-context.js';
import { ReassignmentsService } from './reassignments.service.js';

const CHANGE_NOTES = {
  400: 'A malformed body (400); a target Kafka refuses: unknown or repeated broker, empty list (40002 INVALID_REPLICA_ASSIGNMENT)',
  404: 'Unknown cluster (404), topic or partition (40403); cancelling when no reassignment runs (404 NO_REASSIGNMENT_IN_PROGRESS)',
};

/** Confluent's reassignment views (GET) and Weir's reassignment changes (PUT, DELETE, POST). */
@ApiTags('Partition Reassignment (v3)')
@Controller('v3/clusters/:cluster_id/topics')
@UseInterceptors(JsonOnlyInterceptor)
export class ReassignmentsController {
  constructor(private readonly reassignments: ReassignmentsService) {}

  @Get('-/partitions/-/reassignment')
  @ApiV3({ summary: 'List All Replica Reassignments', status: 200, response: reassignmentDataListSchema, errors: [404, 503] })
  listAll(@BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) _c: string): ReassignmentDataList {
    return this.reassignments.listAll(baseUrl);
  }

  @Get(':topic_name/partitions/-/reassignment')
  @ApiV3({ summary: 'Search Replica Reassignments By Topic', status: 200, response: reassignmentDataListSchema })
  listTopic(@BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) _c: string, @Param('topic_name', topicNameParam) topic: string): ReassignmentDataList {
    return this.reassignments.listTopic(baseUrl, topic);
  }

  @Post(':topic_name/partitions/-/reassignment')
  @HttpCode(200)
  @ApiV3({
    summary: 'Alter Replica Reassignments of a Topic (Weir extension)',
    description: 'A target replica list per partition, or null to cancel that partition\'s reassignment, in one AlterPartitionReassignments. Each partition\'s outcome is in the answer (error_code null on success).',
    status: 200,
    body: alterTopicReassignmentsRequestSchema,
    response: partitionOutcomeDataListSchema,
    errors: [400, 404, 422, 503],
  })
  alterTopic(
    @BaseUrl() baseUrl: string,
    @Param('cluster_id', ClusterIdPipe) _c: string,
    @Param('topic_name', topicNameParam) topic: string,
    @Body(new ZodValidationPipe(alterTopicReassignmentsRequestSchema)) body: AlterTopicReassignmentsRequest,
  ): Promise<PartitionOutcomeDataList> {
    return this.reassignments.alterTopic(baseUrl, topic, body);
  }

  @Get(':topic_name/partitions/:partition_id/reassignment')
  @ApiV3({ summary: 'Get Replica Reassignment (404 when none is in progress)', status: 200, response: reassignmentDataSchema })
  get(
    @BaseUrl() baseUrl: string,
    @Param('cluster_id', ClusterIdPipe) _c: string,
    @Param('topic_name', topicNameParam) topic: string,
    @Param('partition_id', partitionIdParam) partition: number,
  ): ReassignmentData {
    return this.reassignments.get(baseUrl, topic, partition);
  }

  @Put(':topic_name/partitions/:partition_id/reassignment')
  @HttpCode(202)
  @ApiV3({
    summary: 'Reassign a Partition (Weir extension)',
    description: 'Moves the partition to the given replicas (the first is the preferred leader). 202: the controller has started it; GET the reassignment to follow it (404 once done).',
    status: 202,
    body: alterReassignmentRequestSchema,
    response: reassignmentDataSchema,
    errors: [400, 404, 409, 422, 503],
    errorNotes: CHANGE_NOTES,
  })
  alter(
    @BaseUrl() baseUrl: string,
    @Param('cluster_id', ClusterIdPipe) _c: string,
    @Param('topic_name', topicNameParam) topic: string,
    @Param('partition_id', partitionIdParam) partition: number,
    @Body(new ZodValidationPipe(alterReassignmentRequestSchema)) body: AlterReassignmentRequest,
  ): Promise<ReassignmentData> {
    return this.reassignments.alter(baseUrl, topic, partition, body.replicas);
  }

  @Delete(':topic_name/partitions/:partition_id/reassignment')
  @HttpCode(204)
  @ApiV3({ summary: 'Cancel a Partition Reassignment (Weir extension)', status: 204, errors: [400, 404, 503], errorNotes: CHANGE_NOTES })
  cancel(
    @Param('cluster_id', ClusterIdPipe) _c: string,
    @Param('topic_name', topicNameParam) topic: string,
    @Param('partition_id', partitionIdParam) partition: number,
  ): Promise<void> {
    return this.reassignments.cancel(topic, partition);
  }
}
