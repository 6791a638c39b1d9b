import { Body, Controller, UseInterceptors, Delete, Get, HttpCode, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  type CreateTopicRequest,
  createTopicRequestSchema,
  type TopicData,
  type TopicDataList,
  topicDataListSchema,
  topicDataSchema,
  type UpdatePartitionCountRequest,
  updatePartitionCountRequestSchema,
} from '@weir/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RestAuthorizer } from '../../../acl/rest-authorizer.js';
import { ZodValidationPipe } from '../../../errors/zod-validation.pipe.js';
import { JsonOnlyInterceptor } from '../common/json-only.interceptor.js';
import { ApiV3 } from '../common/openapi.js';
import { ClusterIdPipe, topicNameParam } from '../common/params.js';
import { BaseUrl } from '../common/request-context.js';
import { TopicsService } from './topics.service.js';

@ApiTags('Topic (v3)')
@Controller('v3/clusters/:cluster_id/topics')
@UseInterceptors(JsonOnlyInterceptor)
export class TopicsController {
  constructor(private readonly topics: TopicsService, private readonly acl: RestAuthorizer) {}

  @Get()
  @ApiV3({ summary: 'List Topics', status: 200, response: topicDataListSchema, errors: [404] })
  list(@BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) _clusterId: string, @Req() req: FastifyRequest): TopicDataList {
    // Topics the user may not DESCRIBE are left out, as Kafka's Metadata does.
    const list = this.topics.list(baseUrl);
    return { ...list, data: this.acl.describableTopics(req, list.data, (t) => t.topic_name) };
  }

  @Post()
  @ApiV3({
    summary: 'Create Topic',
    description: '201 when created; 200 with validate_only (nothing is created). 40002 if it exists or Kafka refuses a setting.',
    status: 201,
    body: createTopicRequestSchema,
    response: topicDataSchema,
    errors: [400, 404, 422],
  })
  async create(
    @BaseUrl() baseUrl: string,
    @Param('cluster_id', ClusterIdPipe) _clusterId: string,
    @Body(new ZodValidationPipe(createTopicRequestSchema)) body: CreateTopicRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Req() req: FastifyRequest,
  ): Promise<TopicData> {
    this.acl.requireCreateTopic(req, body.topic_name);
    const { status, topic } = await this.topics.create(baseUrl, body);
    void reply.status(status);
    return topic;
  }

  @Get(':topic_name')
  @ApiV3({ summary: 'Get Topic', status: 200, response: topicDataSchema })
  get(
    @BaseUrl() baseUrl: string,
    @Param('cluster_id', ClusterIdPipe) _clusterId: string,
    @Param('topic_name', topicNameParam) topic: string,
  ): TopicData {
    return this.topics.get(baseUrl, topic);
  }

  @Patch(':topic_name')
  @ApiV3({
    summary: 'Update Partition Count (increase only)',
    status: 200,
    body: updatePartitionCountRequestSchema,
    response: topicDataSchema,
    errors: [400, 404, 422],
  })
  updatePartitionCount(
    @BaseUrl() baseUrl: string,
    @Param('cluster_id', ClusterIdPipe) _clusterId: string,
    @Param('topic_name', topicNameParam) topic: string,
    @Body(new ZodValidationPipe(updatePartitionCountRequestSchema)) body: UpdatePartitionCountRequest,
    @Req() req: FastifyRequest,
  ): Promise<TopicData> {
    this.acl.requireTopic(req, 'ALTER', topic);
    return this.topics.updatePartitionCount(baseUrl, topic, body.partitions_count);
  }

  @Delete(':topic_name')
  @HttpCode(204)
  @ApiV3({ summary: 'Delete Topic', status: 204 })
  delete(@Param('cluster_id', ClusterIdPipe) _clusterId: string, @Param('topic_name', topicNameParam) topic: string, @Req() req: FastifyRequest): Promise<void> {
    this.acl.requireTopic(req, 'DELETE', topic);
    return this.topics.delete(topic);
  }
}
