import { Controller, Get, Inject, Injectable, Module, type OnModuleInit, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { LocalCluster } from '@weir/broker-core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { BrokerModule, LOCAL_CLUSTER } from '../broker/broker.module.js';
import { GatewayMetrics } from './gateway-metrics.js';

const METRICS = Symbol('METRICS');

/**
 * Times every request with a Fastify hook rather than a Nest interceptor, so that 404s
 * of unknown routes, body-parser failures and errors answered by filters are counted
 * too. The route label is the route pattern (bounded), never the raw URL.
 */
@Injectable()
class HttpMetricsHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(METRICS) private readonly metrics: GatewayMetrics,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      this.metrics.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
      done();
    });
  }
}

@ApiTags('metrics')
@Controller()
class MetricsController {
  constructor(@Inject(METRICS) private readonly metrics: GatewayMetrics) {}

  @Get('metrics')
  @ApiOperation({ summary: 'Prometheus metrics: HTTP requests and latency by route and status; per hosted broker, Kafka protocol requests by API, connections and protocol errors; cluster health (brokers online, under-replicated, offline and under-min-ISR partitions); per-topic records and bytes in/out; process' })
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.type(this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}

@Module({
  imports: [BrokerModule],
  controllers: [MetricsController],
  providers: [{ provide: METRICS, inject: [LOCAL_CLUSTER], useFactory: (cluster: LocalCluster) => new GatewayMetrics(cluster) }, HttpMetricsHook],
})
export class MetricsModule {}
