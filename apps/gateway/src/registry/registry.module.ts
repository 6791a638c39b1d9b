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
const STORES = Symbol('STORES');

/** The registry's store, and the Prisma database (the same store unless the registry is on ZooKeeper). */
interface Stores {
  readonly registry: RegistryStore;
  readonly prisma: PrismaRegistryStore;
}

/**
 * Closes what the registry providers opened: the registry (and its store) first, since
 * its sessions are swept on the timer; then the Prisma database when it is a separate
 * one (registry on ZooKeeper); then the timer.
 */
@Injectable()
class RegistryLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(REGISTRY) private readonly registry: Registry,
    @Inject(STORES) private readonly stores: Stores,
    @Inject(TIMER) private readonly timer: SystemTimer,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.registry.close();
    await this.stores.prisma.close();
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

/** Opens the stores; ZooKeeper first, so that a wrong address fails before PGlite's first open (seconds). */
async function openStores(config: GatewayConfig): Promise<Stores> {
  const logger = new Logger('Registry');
  if (config.registry.kind !== 'zookeeper') {
    const prisma = await openPrismaStore(config);
    logger.log(`registry on ${describeDatabase(config)}`);
    return { registry: prisma, prisma };
  }
  const registry = await openZooKeeperRegistryStore({ url: config.registry.url, onError: onErrorOf(logger) });
  try {
    const prisma = await openPrismaStore(config);
    logger.log(`registry on ZooKeeper ${maskUrlCredentials(config.registry.url)}; users, keys and audit log on ${describeDatabase(config)}`);
    return { registry, prisma };
  } catch (err) {
    await registry.close();
    throw err;
  }
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
    { provide: STORES, inject: [GATEWAY_CONFIG], useFactory: openStores },
    {
      provide: REGISTRY,
      inject: [STORES, TIMER],
      useFactory: async (stores: Stores, timer: SystemTimer): Promise<Registry> => {
        try {
          return await Registry.open({ store: stores.registry, scheduler: timer, onError: onErrorOf(new Logger('Registry')) });
        } catch (err) {
          await stores.prisma.close(); // Registry.open closed the registry's store
          throw err;
        }
      },
    },
    { provide: PRISMA, inject: [STORES], useFactory: (stores: Stores): PrismaClient => stores.prisma.client },
    RegistryLifecycle,
  ],
  exports: [REGISTRY, TIMER, PRISMA],
})
export class RegistryModule {}
