import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import type { LiveServerFrame } from '@weir/contracts';
import { LiveConnection, type SocketLike } from './live-connection';

async function until(condition: () => boolean, what: string, deadlineMs = 5000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A real WebSocket server that records what clients send. */
async function startServer(port = 0): Promise<{ http: Server; wss: WebSocketServer; received: string[]; url: string }> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http });
  const received: string[] = [];
  wss.on('connection', (socket) => socket.on('message', (data) => received.push(String(data))));
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  return { http, wss, received, url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/live` };
}

async function stopServer(server: { http: Server; wss: WebSocketServer }): Promise<void> {
  for (const client of server.wss.clients) client.terminate();
  await new Promise<void>((resolve) => server.wss.close(() => resolve()));
  await new Promise<void>((resolve) => server.http.close(() => resolve()));
}

const openWs = (url: string) => new WebSocket(url) as unknown as SocketLike;

describe('LiveConnection', () => {
  it('subscribes once per channel, delivers frames by channel and unsubscribes with the last listener', async () => {
    const server = await startServer();
    const live = new LiveConnection(server.url, openWs);
    try {
      const framesA: LiveServerFrame[] = [];
      const framesB: LiveServerFrame[] = [];
      const stopA = live.subscribe('topic:orders', (f) => framesA.push(f));
      const stopB = live.subscribe('topic:orders', (f) => framesB.push(f));
      live.subscribe('cluster', () => undefined);
      await until(() => live.status === 'open' && server.received.length === 2, 'subscriptions');
      expect(server.received.map((m) => JSON.parse(m) as unknown)).toEqual([
        { op: 'subscribe', channel: 'topic:orders' },
        { op: 'subscribe', channel: 'cluster' },
      ]);

      const frame = { type: 'topic-change', channel: 'topic:orders', change: { kind: 'configs-changed', topic: 'orders' } };
      for (const client of server.wss.clients) {
        client.send(JSON.stringify(frame));
        client.send(JSON.stringify({ ...frame, channel: 'topic:other' }));
        client.send('not json');
      }
      await until(() => framesA.length === 1 && framesB.length === 1, 'frames');
      expect(framesA[0]).toEqual(frame);

      stopA();
      expect(server.received).toHaveLength(2);
      stopB();
      await until(() => server.received.length === 3, 'unsubscribe');
      expect(JSON.parse(server.received[2]!)).toEqual({ op: 'unsubscribe', channel: 'topic:orders' });
    } finally {
      live.close();
      await stopServer(server);
    }
  });

  it('reports closed while the gateway is down and replays subscriptions after reconnecting', async () => {
    const first = await startServer();
    const port = Number(new URL(first.url).port);
    const live = new LiveConnection(first.url, openWs);
    const statuses: string[] = [];
    live.onStatus((s) => statuses.push(s));
    try {
      live.subscribe('topics', () => undefined);
      await until(() => first.received.length === 1, 'first subscription');
      await stopServer(first);
      await until(() => live.status === 'closed', 'closed status');

      const second = await startServer(port);
      try {
        await until(() => second.received.length === 1, 'replayed subscription', 8000);
        expect(JSON.parse(second.received[0]!)).toEqual({ op: 'subscribe', channel: 'topics' });
        expect(live.status).toBe('open');
        expect(statuses).toContain('closed');
      } finally {
        live.close();
        await stopServer(second);
      }
    } finally {
      live.close();
    }
  }, 15_000);
});
