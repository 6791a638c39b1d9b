import { Body, Controller, UseInterceptors, Delete, Get, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  type AlterConfigBatchRequest,
  alterConfigBatchRequestSchema,
  type TopicConfigData,
  type TopicConfigDataList,
  topicConfigDataListSchema,
  topicConfigDataSchema,
  type UpdateConfigRequest,
  updateConfigRequestSchema,
} from '@weir/contracts';
import { ZodValidationPipe } from '../../../errors/zod-validation.pipe.js';
import { JsonOnlyInterceptor } from '../common/json-only.interceptor.js';
import { ApiV3 } from '../common/openapi.js';
import { ClusterIdPipe, configNameParam, topicNameParam } from '../common/params.js';
import { BaseUrl } from '../common/request-context.js';
import type { FastifyRequest } from 'fastify';
import { RestAuthorizer } from '../../../acl/rest-authorizer.js';
import { TopicConfigsService } from './topic-configs.service.js';

/** `::` is find-my-way's escape for a literal colon, as in Confluent's `configs:alter`. */
@ApiTags('Configs (v3)')
@Controller('v3/clusters/:cluster_id/topics')
@UseInterceptors(JsonOnlyInterceptor)
export class TopicConfigsController {
  constructor(private readonly configs: TopicConfigsService, private readonly acl: RestAuthorizer) {}

  @Get('-/configs')
  @ApiV3({ summary: 'List the configs of every topic', status: 200, response: topicConfigDataListSchema, errors: [404] })
  listAll(@BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) _clusterId: string): TopicConfigDataList {
    return this.configs.listAllTopics(baseUrl);
  }

  @Get(':topic_name/configs')
  @ApiV3({ summary: 'List Topic Configs', status: 200, response: topicConfigDataListSchema })
  list(
    @BaseUrl() baseUrl: string,
    @Param('cluster_id', ClusterIdPipe) _clusterId: string,
    @Param('topic_name', topicNameParam) topic: string,
    @Req() req: FastifyRequest,
  ): TopicConfigDataList {
    this.acl.requireTopic(req, 'DESCRIBE_CONFIGS', topic);
    return this.configs.list(baseUrl, topic);
  }

  @Post(':topic_name/configs::alter')
  @HttpCode(204)
  @ApiV3({
    summary: 'Batch Alter Topic Configs (SET or DELETE each; all validated before any is applied)',
    status: 204,
    body: alterConfigBatchRequestSchema,
    errors: [400, 404, 422],
  })
  alter(
    @Param('cluster_id', ClusterIdPipe) _clusterId: string,
    @Param('topic_name', topicNameParam) topic: string,
    @Body(new ZodValidationPipe(alterConfigBatchRequestSchema)) body: AlterConfigBatchRequest,
    @Req() req: FastifyRequest,
  ): Promise<void> {
    this.acl.requireTopic(req, 'ALTER_CONFIGS', topic);
    return this.configs.alter(topic, body);
  }

  @Get(':topic_name/configs/:name')
  @ApiV3({ summary: 'Get Topic Config', status: 200, response: topicConfigDataSchema })
  get(
    @BaseUrl() baseUrl: string,
    @Param('cluster_id', ClusterIdPipe) _clusterId: string,
    @Param('topic_name', topicNameParam) topic: string,
    @Param('name', configNameParam) name: string,
    @Req() req: FastifyRequest,
  ): TopicConfigData {
    this.acl.requireTopic(req, 'DESCRIBE_CONFIGS', topic);
    return this.configs.get(baseUrl, topic, name);
  }

  @Put(':topic_name/configs/:name')
  @HttpCode(204)
  @ApiV3({ summary: 'Update Topic Config (a null value reverts to the default)', status: 204, body: updateConfigRequestSchema, errors: [400, 404, 422] })
  update(
    @Param('cluster_id', ClusterIdPipe) _clusterId: string,
    @Param('topic_name', topicNameParam) topic: string,
    @Param('name', configNameParam) name: string,
    @Body(new ZodValidationPipe(updateConfigRequestSchema)) body: UpdateConfigRequest,
    @Req() req: FastifyRequest,
  ): Promise<void> {
    this.acl.requireTopic(req, 'ALTER_CONFIGS', topic);
    return this.configs.update(topic, name, body.value);
  }

  @Delete(':topic_name/configs/:name')
  @HttpCode(204)
  @ApiV3({ summary: 'Reset Topic Config to its default', status: 204 })
  reset(
    @Param('cluster_id', ClusterIdPipe) _clusterId: string,
    @Param('topic_name', topicNameParam) topic: string,
    @Param('name', configNameParam) name: string,
    @Req() req: FastifyRequest,
  ): Promise<void> {
    this.acl.requireTopic(req, 'ALTER_CONFIGS', topic);
    return this.configs.reset(topic, name);
  }
}
