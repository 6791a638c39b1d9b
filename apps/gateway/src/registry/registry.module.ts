import { Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Registry, SystemTimer, type RegistryStore } from '@weir/broker-core';
import { openRegistryStore, type PrismaClient, type PrismaRegistryStore } from '@weir/registry-prisma';
import { openZooKeeperRegistryStore } from '@weir/registry-zookeeper';
import { GATEWAY_CONFIG, maskUrlCredentials, type GatewayConfig } from '../config/gateway-config.js';

export const REGISTRY = Symbol('REGISTRY');
export const TIMER = Symbol('TIMER');
/** The Prisma client of the security tables (users, keys, sessions, audit log): the registry's database, or the one beside a ZooKeeper registry. */
export const PRISMA = Symbol('PRISMA');
/** The Prisma database: it holds the registry too unless the registry is on ZooKeeper. */
const PRISMA_STORE = Symbol('PRISMA_STORE');
const REGISTRY_STORE = Symbol('REGISTRY_STORE');

/**
 * Closes what the registry providers opened: the registry (and its store) first, since
 * its sessions are swept on the timer; then the Prisma database when it is a separate
 * one (registry on ZooKeeper); then the timer.
 */
@Injectable()
class RegistryLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(REGISTRY) private readonly registry: Registry,
    @Inject(PRISMA_STORE) private readonly prismaStore: PrismaRegistryStore,
    @Inject(TIMER) private readonly timer: SystemTimer,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.registry.close();
    await this.prismaStore.close();
    this.timer.close();
  }
}

const onErrorOf = (logger: Logger) => (err: unknown) => logger.error(err instanceof Error ? err.message : String(err));

/** Opens the Prisma database (embedded PGlite in `<data dir>/registry`, or DATABASE_URL), applying pending migrations. */
async function openPrismaStore(config: GatewayConfig): Promise<PrismaRegistryStore> {
  if (config.databaseUrl !== undefined) return openRegistryStore({ databaseUrl: config.databaseUrl, onError: onErrorOf(new Logger('Registry')) });
  // A data dir that does not exist yet is created, as the broker's log dirs are.
  mkdirSync(config.dataDir, { recursive: true });
  return openRegistryStore({ dataDir: join(config.dataDir, 'registry') });
}

function describeDatabase(config: GatewayConfig): string {
  return config.databaseUrl !== undefined ? `PostgreSQL ${maskUrlCredentials(config.databaseUrl)}` : `PGlite in ${join(config.dataDir, 'registry')}`;
}

/**
 * The metadata registry: embedded PGlite in `<data dir>/registry` by default, the
 * PostgreSQL named by DATABASE_URL (or WEIR_REGISTRY=postgresql://...), or a ZooKeeper
 * ensemble (WEIR_REGISTRY=zookeeper://...). The security tables always live in a Prisma
 * database: with ZooKeeper, DATABASE_URL's PostgreSQL or else PGlite in the data dir, so
 * gateways on one ZooKeeper share users and keys only when they share DATABASE_URL.
 * Opening applies pending migrations, so a fresh data directory needs nothing by hand.
 */
@Module({
  providers: [
    { provide: TIMER, useFactory: () => new SystemTimer() },
    { provide: PRISMA_STORE, inject: [GATEWAY_CONFIG], useFactory: openPrismaStore },
    {
      provide: REGISTRY_STORE,
      inject: [GATEWAY_CONFIG, PRISMA_STORE],
      useFactory: async (config: GatewayConfig, prismaStore: PrismaRegistryStore): Promise<RegistryStore> => {
        const logger = new Logger('Registry');
        if (config.registry.kind !== 'zookeeper') {
          logger.log(`registry on ${describeDatabase(config)}`);
          return prismaStore;
        }
        try {
          const store = await openZooKeeperRegistryStore({ url: config.registry.url, onError: onErrorOf(logger) });
          logger.log(`registry on ZooKeeper ${maskUrlCredentials(config.registry.url)}; users, keys and audit log on ${describeDatabase(config)}`);
          return store;
        } catch (err) {
          await prismaStore.close();
          throw err;
        }
      },
    },
    {
      provide: REGISTRY,
      inject: [REGISTRY_STORE, PRISMA_STORE, TIMER],
      useFactory: async (store: RegistryStore, prismaStore: PrismaRegistryStore, timer: SystemTimer): Promise<Registry> => {
        try {
          return await Registry.open({ store, scheduler: timer, onError: onErrorOf(new Logger('Registry')) });
        } catch (err) {
          await store.close();
          await prismaStore.close();
          throw err;
        }
      },
    },
    { provide: PRISMA, inject: [PRISMA_STORE], useFactory: (store: PrismaRegistryStore): PrismaClient => store.client },
    RegistryLifecycle,
  ],
  exports: [REGISTRY, TIMER, PRISMA],
})
export class RegistryModule {}
