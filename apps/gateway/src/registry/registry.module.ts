import { Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Registry, SystemTimer } from '@weir/broker-core';
import { openRegistryStore, type PrismaClient, type PrismaRegistryStore } from '@weir/registry-prisma';
import { openZooKeeperRegistry } from '@weir/registry-zookeeper';
import { GATEWAY_CONFIG, maskUrlCredentials, type GatewayConfig } from '../config/gateway-config.js';

export const REGISTRY = Symbol('REGISTRY');
export const TIMER = Symbol('TIMER');
/** The Prisma client of the security tables (users, keys, sessions, audit log): the registry's database, or the one beside a ZooKeeper registry. */
export const PRISMA = Symbol('PRISMA');
const OPENED = Symbol('OPENED');

/** The registry, and the Prisma database of the security tables (the registry's own store unless the registry is on ZooKeeper). */
interface Opened {
  readonly registry: Registry;
  readonly prisma: PrismaRegistryStore;
}

/**
 * Closes what the registry providers opened: the registry (and its store) first, since
 * its sessions are swept on the timer; then the Prisma database when it is a separate
 * one (registry on ZooKeeper; closing the same store twice is harmless); then the timer.
 */
@Injectable()
class RegistryLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(OPENED) private readonly opened: Opened,
    @Inject(TIMER) private readonly timer: SystemTimer,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.opened.registry.close();
    await this.opened.prisma.close();
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
 * Opens the Prisma database, then the registry on it or on ZooKeeper. The database comes
 * first: PGlite's first open holds the event loop for seconds, longer on a busy machine
 * than a ZooKeeper client session opened before it would survive.
 */
async function openAll(config: GatewayConfig, timer: SystemTimer): Promise<Opened> {
  const logger = new Logger('Registry');
  const onError = onErrorOf(logger);
  const prisma = await openPrismaStore(config);
  try {
    if (config.registry.kind !== 'zookeeper') {
      logger.log(`registry on ${describeDatabase(config)}`);
      return { registry: await Registry.open({ store: prisma, scheduler: timer, onError }), prisma };
    }
    const where = maskUrlCredentials(config.registry.url);
    const registry = await openZooKeeperRegistry({
      url: config.registry.url,
      scheduler: timer,
      onError,
      onOpenRetry: (err, attempt) => logger.warn(`registry on ZooKeeper ${where}: ${err.message} while opening (attempt ${attempt}); trying again`),
    });
    logger.log(`registry on ZooKeeper ${where}; users, keys and audit log on ${describeDatabase(config)}`);
    return { registry, prisma };
  } catch (err) {
    await prisma.close(); // a registry that failed to open closed its own store
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
    { provide: OPENED, inject: [GATEWAY_CONFIG, TIMER], useFactory: openAll },
    { provide: REGISTRY, inject: [OPENED], useFactory: (opened: Opened): Registry => opened.registry },
    { provide: PRISMA, inject: [OPENED], useFactory: (opened: Opened): PrismaClient => opened.prisma.client },
    RegistryLifecycle,
  ],
  exports: [REGISTRY, TIMER, PRISMA],
})
export class RegistryModule {}
