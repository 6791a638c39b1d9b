import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** The swagger-ui assets /docs serves; nothing else from that folder is reachable. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Weir REST API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"><link rel="icon" href="/docs/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/swagger-ui-standalone-preset.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });</script>
</body></html>`;

export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Weir REST API')
      .setDescription('Kafka-compatible broker: Confluent REST Proxy compatible v3 admin and produce, v2 consumers')
      .setVersion('0.1.0')
      // How to authenticate (WEIR_AUTH=on): an API key, a password, or the console's session cookie.
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key, `<id>.<secret>`' }, 'bearer')
      .addBasicAuth({ type: 'http', scheme: 'basic' }, 'basic')
      .addCookieAuth('weir_session', { type: 'apiKey', in: 'cookie', description: 'Console session; changes also need the x-csrf-token header' }, 'cookie')
      .addSecurityRequirements('bearer')
      .addSecurityRequirements('basic')
      .addSecurityRequirements('cookie')
      .build(),
  );
}

/**
 * Serves `/openapi.json` and interactive docs at `/docs`. The swagger-ui assets are read
 * from the swagger-ui-dist package directly rather than through @fastify/static, which
 * keeps the gateway loadable in test runners that cannot require ES modules from
 * CommonJS (see docs/adr/003-api-docs-without-fastify-static.md).
 */
export function mountApiDocs(app: NestFastifyApplication): void {
  const document = buildOpenApiDocument(app);
  const assetsDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/openapi.json', async () => document);
  fastify.get('/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
  fastify.get<{ Params: { asset: string } }>('/docs/:asset', async (request, reply) => {
    const contentType = ASSETS[request.params.asset];
    if (contentType === undefined) {
      return reply.status(404).send({ error_code: 40400, message: `No such documentation asset: ${request.params.asset}` });
    }
    const body = await readFile(join(assetsDir, request.params.asset));
    return reply.type(contentType).header('cache-control', 'public, max-age=86400').send(body);
  });
}
