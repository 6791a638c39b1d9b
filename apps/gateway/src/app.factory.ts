import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { WsAdapter } from '@nestjs/platform-ws';
import { AppModule } from './app.module.js';
import { installBodyLimit } from './auth/body-limit.js';
import type { GatewayConfig } from './config/gateway-config.js';
import { mountApiDocs } from './docs/api-docs.js';
import { clientErrors, frameworkErrors, MAX_PARAM_LENGTH } from './errors/framework-errors.js';

/** Builds the gateway application (not yet listening), so tests and main share one wiring. */
export async function createGateway(config: GatewayConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ routerOptions: { maxParamLength: MAX_PARAM_LENGTH }, frameworkErrors, clientErrorHandler: clientErrors, bodyLimit: config.security.restMaxBodyBytes, ...httpsOptions(config) });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forConfig(config), adapter, {
    logger: loggerLevels(config.logLevel),
    // A provider that fails to start (the registry cannot open) rejects this promise rather
    // than exiting the process: main.ts reports it and exits, a test fails on it.
    abortOnError: false,
  });
  app.enableShutdownHooks();
  app.useWebSocketAdapter(new WsAdapter(app));
  installBodyLimit(app.getHttpAdapter().getInstance(), config.security.restMaxBodyBytes);
  mountApiDocs(app);
  return app;
}

/** WEIR_REST_TLS: REST and /live over HTTPS with the Kafka listener's certificate (and client CA, when client auth is asked). */
function httpsOptions(config: GatewayConfig): { https?: { key: Buffer; cert: Buffer; ca?: Buffer; requestCert: boolean; rejectUnauthorized: boolean } } {
  const tls = config.security.tls;
  if (!config.security.restTls || tls === undefined) return {};
  return {
    https: {
      key: readFileSync(tls.keyFile),
      cert: readFileSync(tls.certFile),
      ...(tls.caFile !== undefined ? { ca: readFileSync(tls.caFile) } : {}),
      requestCert: tls.clientAuth !== 'none',
      rejectUnauthorized: tls.clientAuth === 'required',
    },
  };
}

function loggerLevels(level: GatewayConfig['logLevel']): Array<'error' | 'warn' | 'log' | 'debug' | 'verbose'> {
  const order = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
  return order.slice(0, order.indexOf(level) + 1);
}
