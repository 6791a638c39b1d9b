import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type OnGatewayConnection, type OnGatewayDisconnect, WebSocketGateway } from '@nestjs/websockets';
import { type BrokerApi, type SystemTimer, SystemTime } from '@weir/broker-core';
import { BROKER } from '../broker/broker.module.js';
import { TIMER } from '../registry/registry.module.js';
import { LiveHub } from './live-hub.js';
import type { LiveSocket } from './live-socket.js';

/** Samples go out every second: the console's "at least every 2 s" with room for a slow tick. */
export const LIVE_SAMPLE_INTERVAL_MS = 1000;

@Injectable()
export class LiveHubProvider implements OnApplicationShutdown {
  readonly hub: LiveHub;

  constructor(@Inject(BROKER) broker: BrokerApi, @Inject(TIMER) timer: SystemTimer) {
    this.hub = new LiveHub(broker, timer, SystemTime.INSTANCE, LIVE_SAMPLE_INTERVAL_MS);
  }

  onApplicationShutdown(): void {
    this.hub.close();
  }
}

/**
 * The `/live` WebSocket endpoint on the REST port. Messages are handled here rather than
 * through `@SubscribeMessage`, whose event routing silently drops what it cannot parse;
 * a console deserves an error frame. Client messages are capped at 64 KiB.
 */
@WebSocketGateway({ path: '/live', maxPayload: 64 * 1024 })
export class LiveGateway implements OnGatewayConnection, OnGatewayDisconnect {
  constructor(private readonly provider: LiveHubProvider) {}

  handleConnection(client: LiveSocket): void {
    this.provider.hub.add(client);
    client.on('message', (data, isBinary) => this.provider.hub.receive(client, data, isBinary));
  }

  handleDisconnect(client: LiveSocket): void {
    this.provider.hub.remove(client);
  }
}
