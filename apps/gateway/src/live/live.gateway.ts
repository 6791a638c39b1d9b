import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type OnGatewayConnection, type OnGatewayDisconnect, type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import { type BrokerApi, type SystemTimer, SystemTime } from '@weir/broker-core';
import { LiveUpgradeAuth, subscribedChannel } from '../auth/live-upgrade.js';
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
export class LiveGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  constructor(
    private readonly provider: LiveHubProvider,
    private readonly auth: LiveUpgradeAuth,
  ) {}

  /** Upgrades are authenticated before a socket exists (401 otherwise). */
  afterInit(server: { options: { verifyClient?: unknown } }): void {
    server.options.verifyClient = this.auth.verifyClient;
  }

  handleConnection(client: LiveSocket, upgrade: IncomingMessage): void {
    const user = this.auth.socketUser(client, upgrade);
    this.provider.hub.add(client);
    client.on('message', (data, isBinary) => {
      const channel = subscribedChannel(data, isBinary);
      const refused = channel === undefined ? undefined : this.auth.access.liveSubscriptionAllowed(user, channel);
      if (refused !== undefined) return client.send(JSON.stringify({ type: 'error', channel, message: refused }));
      this.provider.hub.receive(client, data, isBinary);
    });
  }

  handleDisconnect(client: LiveSocket): void {
    this.provider.hub.remove(client);
  }
}
