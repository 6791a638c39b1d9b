import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGateway } from '../../apps/gateway/src/app.factory.js';
import { loadGatewayConfig } from '../../apps/gateway/src/config/gateway-config.js';
import { REGISTRY } from '../../apps/gateway/src/registry/registry.module.js';
import type { Registry } from '@weir/broker-core';

describe('gateway skeleton', () => {
  let app: NestFastifyApplication;
  let base: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'weir-gateway-'));

  beforeAll(async () => {
    app = await createGateway(loadGatewayConfig({ WEIR_REST_PORT: '0', WEIR_KAFKA_PORT: '0', WEIR_LOG_LEVEL: 'error', WEIR_DATA_DIR: dataDir }));
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    base = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers liveness and readiness over real HTTP', async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready' });
  });

  it('keeps its embedded registry in the data directory across a restart', async () => {
    await app.get<Registry>(REGISTRY).create('/gateway-e2e', Buffer.from('persisted'));
    await app.close();
    app = await createGateway(loadGatewayConfig({ WEIR_REST_PORT: '0', WEIR_KAFKA_PORT: '0', WEIR_LOG_LEVEL: 'error', WEIR_DATA_DIR: dataDir }));
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    base = `http://127.0.0.1:${address.port}`;
    expect(Buffer.from(app.get<Registry>(REGISTRY).getData('/gateway-e2e').data).toString()).toBe('persisted');
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready' });
  });

  it('serves its OpenAPI document', async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz']));
  });

  it('answers an unknown route with a Confluent error body, not a stack trace', async () => {
    const res = await fetch(`${base}/v3/nowhere`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error_code: number; message: string };
    expect(body.error_code).toBe(40400);
    expect(body.message).not.toMatch(/at .*\.js/);
  });
});

describe('gateway configuration', () => {
  it('names the variable when a value is invalid', () => {
    expect(() => loadGatewayConfig({ WEIR_REST_PORT: 'eighty' })).toThrow(/WEIR_REST_PORT/);
    expect(() => loadGatewayConfig({ DATABASE_URL: 'mysql://db/weir' })).toThrow(/DATABASE_URL/);
  });
});
