import { Logger } from '@nestjs/common';
import { createGateway } from './app.factory.js';
import { ConfigError, loadGatewayConfig } from './config/gateway-config.js';

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const app = await createGateway(config);
  await app.listen(config.restPort, config.host);
  // The bound port, which differs from the configured one when that is 0.
  const address = app.getHttpServer().address();
  const port = address !== null && typeof address === 'object' ? address.port : config.restPort;
  new Logger('Weir').log(`REST API on ${config.security.restTls ? 'https' : 'http'}://${config.host}:${port} (docs at /docs)`);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(`weir: ${err.message}`);
  } else {
    console.error('weir: failed to start', err);
  }
  process.exit(1);
});
