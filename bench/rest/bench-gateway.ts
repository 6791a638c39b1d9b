import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { WsAdapter } from '@nestjs/platform-ws';
import type { BrokerApi } from '@weir/broker-core';
import { AppModule } from '../../apps/gateway/src/app.module.js';
import { BROKER } from '../../apps/gateway/src/broker/broker.module.js';
import { loadGatewayConfig } from '../../apps/gateway/src/config/gateway-config.js';
import { BareModule } from './bare.module.js';

export interface BenchGateway {
  readonly baseUrl: string;
  readonly broker: BrokerApi;
  close(): Promise<void>;
}

@Module({})
class BenchRootModule {
  static with(app: DynamicModule): DynamicModule {
    return { module: BenchRootModule, imports: [app, BareModule] };
  }
}

/**
 * The gateway's own AppModule plus the bench's reference controller, in one Nest app on
 * Fastify, listening on 127.0.0.1:0 over a temp data dir. Built like `createGateway`
 * (same adapter, WebSocket adapter, shutdown hooks) because the reference route has to
 * live in the same application; API docs are left out, they add no per-request work.
 */
export async function startBenchGateway(): Promise<BenchGateway> {
  const dataDir = mkdtempSync(join(tmpdir(), 'weir-bench-rest-'));
  const config = loadGatewayConfig({ WEIR_LOG_LEVEL: 'error', WEIR_AUTH: 'off', WEIR_RATE_LIMIT_PER_MINUTE: '10000000', WEIR_HOST: '127.0.0.1', WEIR_REST_PORT: '0', WEIR_KAFKA_PORT: '0', WEIR_DATA_DIR: dataDir });
  let app: NestFastifyApplication | undefined;
  try {
    app = await NestFactory.create<NestFastifyApplication>(BenchRootModule.with(AppModule.forConfig(config)), new FastifyAdapter(), { logger: ['error'] });
    app.enableShutdownHooks();
    app.useWebSocketAdapter(new WsAdapter(app));
    await app.listen(0, '127.0.0.1');
  } catch (err) {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('gateway has no TCP address');
  const running = app;
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    broker: running.get<BrokerApi>(BROKER),
    async close() {
      try {
        await running.close();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
