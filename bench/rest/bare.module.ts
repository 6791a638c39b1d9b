import { Body, Controller, HttpCode, Module, Param, Post } from '@nestjs/common';

/** The constant the reference endpoint answers: about the size of a delivery report. */
const CONSTANT_REPORT = {
  error_code: 200,
  cluster_id: 'bench',
  topic_name: 'bench',
  partition_id: 0,
  offset: 0,
  timestamp: '2026-01-01T00:00:00.000Z',
  key: { type: 'STRING', size: 5 },
  value: { type: 'BINARY', size: 100 },
};

/**
 * The reference of the REST bench: a POST route that takes the same JSON body as the
 * single-record produce and answers a constant. It is a Nest controller in the same
 * application as the produce routes, so it pays what they pay for the HTTP stack alone:
 * Fastify's routing and JSON body parser, Nest's router, the global exception filter's
 * wiring and the onResponse hook that counts every request for /metrics. Two path
 * params mirror the produce route's shape in find-my-way.
 */
@Controller('bench/clusters/:cluster_id/topics/:topic_name')
class BareController {
  @Post('constant')
  @HttpCode(200)
  constant(@Param('cluster_id') _cluster: string, @Param('topic_name') _topic: string, @Body() _body: unknown): typeof CONSTANT_REPORT {
    return CONSTANT_REPORT;
  }
}

@Module({ controllers: [BareController] })
export class BareModule {}
