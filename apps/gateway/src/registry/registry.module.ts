import { Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Registry, SystemTimer } from '@weir/broker-core';
import { openRegistryStore, type PrismaClient, type PrismaRegistryStore } from '@weir/registry-prisma';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config.js';

export const REGISTRY = Symbol('REGISTRY');
export const TIMER = Symbol('TIMER');
/** The registry database's Prisma client: the security tables (users, keys, sessions, audit log) live beside the registry's. */
export const PRISMA = Symbol('PRISMA');
const REGISTRY_STORE = Symbol('REGISTRY_STORE');

/**
 * Closes what the registry providers opened, registry first (its sessions are swept on
 * the timer), then the timer.
 */
@Injectable()
class RegistryLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(REGISTRY) private readonly registry: Registry,
    @Inject(TIMER) private readonly timer: SystemTimer,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.registry.close();
    this.timer.close();
  }
}

/**
 * The metadata registry: embedded PGlite in `<data dir>/registry` by default, or the
 * PostgreSQL named by DATABASE_URL. Opening applies pending migrations, so a fresh data
 * directory needs nothing by hand.
 */
@Module({
  providers: [
    { provide: TIMER, useFactory: () => new SystemTimer() },
    {
      provide: REGISTRY_STORE,
      inject: [GATEWAY_CONFIG],
      useFactory: async (config: GatewayConfig): Promise<PrismaRegistryStore> => {
        const logger = new Logger('Registry');
        const onError = (err: unknown) => logger.error(err instanceof Error ? err.message : String(err));
        // A data dir that does not exist yet is created, as the broker's log dirs are.
        if (config.databaseUrl === undefined) mkdirSync(config.dataDir, { recursive: true });
        const store =
          config.databaseUrl !== undefined
            ? await openRegistryStore({ databaseUrl: config.databaseUrl, onError })
            : await openRegistryStore({ dataDir: join(config.dataDir, 'registry') });
        logger.log(config.databaseUrl !== undefined ? 'registry on PostgreSQL (DATABASE_URL)' : `registry on PGlite in ${join(config.dataDir, 'registry')}`);
        return store;
      },
    },
    {
      provide: REGISTRY,
      inject: [REGISTRY_STORE, TIMER],
      useFactory: async (store: PrismaRegistryStore, timer: SystemTimer): Promise<Registry> => {
        const logger = new Logger('Registry');
        const onError = (err: unknown) => logger.error(err instanceof Error ? err.message : String(err));
        try {
          return await Registry.open({ store, scheduler: timer, onError });
        } catch (err) {
          await store.close();
          throw err;
        }
      },
    },
    { provide: PRISMA, inject: [REGISTRY_STORE], useFactory: (store: PrismaRegistryStore): PrismaClient => store.client },
    RegistryLifecycle,
  ],
  exports: [REGISTRY, TIMER, PRISMA],
})
export class RegistryModule {}
