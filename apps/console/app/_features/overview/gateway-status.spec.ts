import { fetchGatewayStatus } from './gateway-status';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('fetchGatewayStatus', () => {
  it('reports the status a live gateway gives', async () => {
    const { server, url } = await listen((_req, res) => res.setHeader('content-type', 'application/json').end('{"status":"ready"}'));
    try {
      await expect(fetchGatewayStatus(url)).resolves.toEqual({ reachable: true, status: 'ready' });
    } finally {
      server.close();
    }
  });

  it('reports an HTTP failure without throwing', async () => {
    const { server, url } = await listen((_req, res) => {
      res.statusCode = 503;
      res.end();
    });
    try {
      await expect(fetchGatewayStatus(url)).resolves.toEqual({ reachable: false, reason: 'HTTP 503' });
    } finally {
      server.close();
    }
  });

  it('reports a gateway that is not listening', async () => {
    const { server, url } = await listen(() => undefined);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const status = await fetchGatewayStatus(url);
    expect(status.reachable).toBe(false);
  });
});
