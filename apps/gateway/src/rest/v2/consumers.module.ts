import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { BrokerModule } from '../../broker/broker.module.js';
import { RegistryModule } from '../../registry/registry.module.js';
import { GATEWAY_CONFIG, type GatewayConfig } from '../../config/gateway-config.js';
import { CONSUMER_CONFIG, consumerConfigOf } from './consumer-config.js';
import { ConsumersController } from './consumers.controller.js';
import { ConsumersService } from './consumers.service.js';
import { V2_MEDIA_TYPE_PATTERN } from './v2-media.js';

/**
 * Teaches Fastify to parse Confluent's `application/vnd.kafka.v2+json` bodies as JSON.
 * An empty body is allowed (Confluent's clients send the content type on DELETE too).
 */
@Injectable()
class V2BodyParser implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    if (fastify.hasContentTypeParser(V2_MEDIA_TYPE_PATTERN)) return;
    fastify.addContentTypeParser(V2_MEDIA_TYPE_PATTERN, { parseAs: 'string' }, (_request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') {
        done(null, undefined);
        return;
      }
      try {
        done(null, JSON.parse(text) as unknown);
      } catch {
        done(Object.assign(new Error('Request body is not valid JSON'), { statusCode: 400 }), undefined);
      }
    });
  }
}

@Module({
  imports: [BrokerModule, RegistryModule],
  controllers: [ConsumersController],
  providers: [ConsumersService, V2BodyParser, { provide: CONSUMER_CONFIG, inject: [GATEWAY_CONFIG], useFactory: (config: GatewayConfig) => consumerConfigOf(config) }],
})
export class ConsumersModule {}
