import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGateway } from '../../apps/gateway/src/app.factory.js';
import { loadGatewayConfig } from '../../apps/gateway/src/config/gateway-config.js';

describe('gateway skeleton', () => {
  let app: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    app = await createGateway(loadGatewayConfig({ WEIR_REST_PORT: '0', WEIR_LOG_LEVEL: 'error' }));
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    base = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers liveness and readiness over real HTTP', async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
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
  });
});
