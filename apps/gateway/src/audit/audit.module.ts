import { Global, Inject, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { SystemTimer } from '@weir/broker-core';
import type { PrismaClient } from '@weir/registry-prisma';
import { BrokerModule } from '../broker/broker.module.js';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config.js';
import { PRISMA, RegistryModule, TIMER } from '../registry/registry.module.js';
import { AuditInterceptor } from './audit.interceptor.js';
import { AuditLogController } from './audit-log.controller.js';
import { AuditLogService } from './audit-log.service.js';
import { AUDIT_RETENTION, AuditRetention } from './audit-retention.js';
import { AUDIT_WRITER, AuditWriter } from './audit-writer.js';

/**
 * Starts the retention purge, and on shutdown stops it and writes what is still queued.
 * This module imports the registry's, so Nest shuts it down first: the database is still
 * open for the last batch. (The brokers, which also record, close before the registry too.)
 */
@Injectable()
class AuditLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(AUDIT_WRITER) private readonly writer: AuditWriter,
    @Inject(AUDIT_RETENTION) private readonly retention: AuditRetention,
  ) {}

  onApplicationBootstrap(): void {
    this.retention.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.retention.close();
    await this.writer.flush();
  }
}

/**
 * The audit writer, global so the broker module can hand it to every Kafka listener
 * (AUDIT_WRITER is broker-core's AuditSink) without importing the REST parts below.
 */
@Global()
@Module({
  imports: [RegistryModule],
  providers: [
    { provide: AUDIT_WRITER, inject: [PRISMA, TIMER], useFactory: (prisma: PrismaClient, timer: SystemTimer) => new AuditWriter(prisma, timer) },
    {
      provide: AUDIT_RETENTION,
      inject: [PRISMA, TIMER, GATEWAY_CONFIG],
      useFactory: (prisma: PrismaClient, timer: SystemTimer, config: GatewayConfig) => new AuditRetention(prisma, timer, config.security.auditRetentionDays),
    },
    AuditLifecycle,
  ],
  exports: [AUDIT_WRITER, AUDIT_RETENTION],
})
export class AuditWriterModule {}

/** The audit log: the REST door's interceptor (every mutating route, audit-actions.ts) and GET /v3/audit-log. */
@Module({
  imports: [AuditWriterModule, BrokerModule, RegistryModule],
  controllers: [AuditLogController],
  providers: [AuditLogService, { provide: APP_INTERCEPTOR, useClass: AuditInterceptor }],
})
export class AuditModule {}
