import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { WsAdapter } from '@nestjs/platform-ws';
import { AppModule } from './app.module.js';
import type { GatewayConfig } from './config/gateway-config.js';
import { mountApiDocs } from './docs/api-docs.js';

/** Builds the gateway application (not yet listening), so tests and main share one wiring. */
export async function createGateway(config: GatewayConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forConfig(config), new FastifyAdapter(), {
    logger: loggerLevels(config.logLevel),
    // A provider that fails to start (the registry cannot open) rejects this promise rather
    // than exiting the process: main.ts reports it and exits, a test fails on it.
    abortOnError: false,
  });
  app.enableShutdownHooks();
  app.useWebSocketAdapter(new WsAdapter(app));
  mountApiDocs(app);
  return app;
}

function loggerLevels(level: GatewayConfig['logLevel']): Array<'error' | 'warn' | 'log' | 'debug' | 'verbose'> {
  const order = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
  return order.slice(0, order.indexOf(level) + 1);
}
