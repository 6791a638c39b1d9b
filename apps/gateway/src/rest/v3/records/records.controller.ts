import { Body, Controller, UseInterceptors, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiTags } from '@nestjs/swagger';
import {
  type ProduceBatchRequest,
  produceBatchRequestEntrySchema,
  produceBatchRequestSchema,
  type ProduceBatchResponse,
  produceBatchResponseSchema,
  produceRequestSchema,
  produceResponseSchema,
} from '@weir/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ZodValidationPipe } from '../../../errors/zod-validation.pipe.js';
import { JsonOnlyInterceptor } from '../common/json-only.interceptor.js';
import { ApiV3 } from '../common/openapi.js';
import { ClusterIdPipe, topicNameParam } from '../common/params.js';
import { BODY_LIMIT, STREAM_BODY } from './json-body-parser.js';
import { BATCH_BODY_LIMIT, ProduceService } from './produce.service.js';
import { RestAuthorizer } from '../../../acl/rest-authorizer.js';

/** `::` is find-my-way's escape for the literal colon of Confluent's `records:batch`. */
@ApiTags('Records (v3)')
@Controller('v3/clusters/:cluster_id/topics/:topic_name')
export class RecordsController {
  constructor(private readonly produce: ProduceService, private readonly acl: RestAuthorizer) {}

  @Post('records')
  @RouteConfig({ [STREAM_BODY]: true })
  @ApiV3({
    summary: 'Produce Records',
    description:
      'One JSON record, or with Transfer-Encoding: chunked a stream of concatenated JSON records answered with one ' +
      'delivery report per record, in order, each with its own error_code (200 = produced). A non-chunked body with ' +
      'one record is answered with the HTTP status of its report.',
    status: 200,
    body: produceRequestSchema,
    response: produceResponseSchema,
    errors: [400, 404, 413, 415, 422],
  })
  async records(
    // Checked by the service in the order the interceptor and pipes would (415, cluster,
    // topic name): the most frequent request skips Nest's per-request rxjs pipeline.
    @Param('cluster_id') clusterId: string,
    @Param('topic_name') topic: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    this.acl.requireTopic(request, 'WRITE', topic);
    await this.produce.produceStream(clusterId, topic, request, reply);
  }

  @Post('records::batch')
  @UseInterceptors(JsonOnlyInterceptor)
  @HttpCode(207)
  @RouteConfig({ [BODY_LIMIT]: BATCH_BODY_LIMIT })
  @ApiV3({
    summary: 'Produce Records Batch',
    description: 'Every entry is produced or refused on its own: 207 with successes and failures by entry id.',
    status: 207,
    body: z.object({ entries: z.array(produceBatchRequestEntrySchema) }),
    response: produceBatchResponseSchema,
    errors: [400, 404, 413, 415, 422],
  })
  batch(
    @Param('cluster_id', ClusterIdPipe) _clusterId: string,
    @Param('topic_name', topicNameParam) topic: string,
    @Body(new ZodValidationPipe(produceBatchRequestSchema)) body: ProduceBatchRequest,
    @Req() req: FastifyRequest,
  ): Promise<ProduceBatchResponse> {
    this.acl.requireTopic(req, 'WRITE', topic);
    return this.produce.produceBatch(topic, body);
  }
}
