import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AuthModule } from './auth/auth.module.js';
import { GATEWAY_CONFIG, type GatewayConfig } from './config/gateway-config.js';
import { ConfluentExceptionFilter } from './errors/confluent-exception.filter.js';
import { HealthController } from './health/health.controller.js';
import { RegistryModule } from './registry/registry.module.js';
import { ConsumersModule } from './rest/v2/consumers.module.js';
import { RecordsModule } from './records/records.module.js';
import { LiveModule } from './live/live.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { RestV3Module } from './rest/v3/rest-v3.module.js';
import { AuditModule } from './audit/audit.module.js';

@Module({})
export class AppModule {
  static forConfig(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [RegistryModule, AuthModule, RestV3Module, ConsumersModule, RecordsModule, LiveModule, MetricsModule, AuditModule],
      controllers: [HealthController],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: ConfluentExceptionFilter },
      ],
      exports: [GATEWAY_CONFIG],
    };
  }
}
