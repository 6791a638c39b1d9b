import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LocalCluster } from '@weir/broker-core';
import { createGateway } from '../../apps/gateway/src/app.factory.js';
import { LOCAL_CLUSTER } from '../../apps/gateway/src/broker/broker.module.js';
import { loadGatewayConfig } from '../../apps/gateway/src/config/gateway-config.js';

/** A gateway running in this process on an ephemeral port, over a temp data dir. */
export interface TestGateway {
  readonly app: NestFastifyApplication;
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly baseUrl: string;
  /** The first hosted broker's Kafka listener port (ephemeral; a new one after restart). */
  readonly kafkaPort: number;
  /** `127.0.0.1:<kafkaPort>`, for Kafka clients' bootstrap servers. */
  readonly bootstrap: string;
  /** `127.0.0.1:<port>` of every hosted broker's Kafka listener (WEIR_BROKERS of them), by broker id. */
  readonly bootstraps: string[];
  /** The brokers this gateway hosts (stop and start them, read their listeners). */
  readonly cluster: LocalCluster;
  readonly dataDir: string;
  /** A provider of the running app, e.g. `gateway.get<BrokerApi>(BROKER)`. */
  get<T>(token: unknown): T;
  /** Stops the gateway and starts it again on the same data dir (a new port). */
  restart(): Promise<void>;
  /** Stops the gateway and removes the data dir unless `keepDataDir`. */
  close(): Promise<void>;
}

export interface TestGatewayOptions {
  /**
   * Extra environment, as `loadGatewayConfig` reads it (WEIR_* variables): WEIR_BROKERS
   * for several brokers in the one gateway, WEIR_SESSION_TIMEOUT_MS and the other broker
   * settings. Host, ports and data dir are always the test's own.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** Reuse a data dir (it is then not removed on close). */
  readonly dataDir?: string;
  readonly keepDataDir?: boolean;
}

/**
 * Starts a gateway in-process the way `main.ts` does, but on 127.0.0.1:0 with a fresh
 * temp data dir (embedded PGlite registry, partition logs). First open of a new registry
 * costs a few seconds, so start one per test file, not per test.
 */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'weir-gw-'));
  const removeOnClose = options.dataDir === undefined && options.keepDataDir !== true;
  const config = loadGatewayConfig({
    WEIR_LOG_LEVEL: 'error',
    // Suites about other things run without authentication; the security suites pass WEIR_AUTH=on.
    WEIR_AUTH: 'off',
    ...options.env,
    WEIR_HOST: '127.0.0.1',
    WEIR_REST_PORT: '0',
    WEIR_KAFKA_PORT: '0',
    WEIR_DATA_DIR: dataDir,
  });

  let app = await listen();
  let baseUrl = urlOf(app);

  async function listen(): Promise<NestFastifyApplication> {
    const created = await createGateway(config);
    try {
      await created.listen(0, '127.0.0.1');
    } catch (err) {
      await created.close();
      throw err;
    }
    return created;
  }

  return {
    get app() {
      return app;
    },
    get baseUrl() {
      return baseUrl;
    },
    get kafkaPort() {
      return kafkaPorts(app)[0]!;
    },
    get bootstrap() {
      return `127.0.0.1:${kafkaPorts(app)[0]!}`;
    },
    get bootstraps() {
      return kafkaPorts(app).map((port) => `127.0.0.1:${port}`);
    },
    get cluster() {
      return app.get<LocalCluster>(LOCAL_CLUSTER);
    },
    dataDir,
    get: <T>(token: unknown) => app.get<T>(token as string),
    async restart() {
      await app.close();
      app = await listen();
      baseUrl = urlOf(app);
    },
    async close() {
      try {
        await app.close();
      } finally {
        if (removeOnClose) rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

function kafkaPorts(app: NestFastifyApplication): number[] {
  return app.get<LocalCluster>(LOCAL_CLUSTER).hostedBrokers().map((b) => {
    if (b.kafkaPort === null) throw new Error(`broker ${b.brokerId} has no Kafka port yet`);
    return b.kafkaPort;
  });
}

function urlOf(app: NestFastifyApplication): string {
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('gateway has no TCP address');
  return `http://127.0.0.1:${address.port}`;
}
