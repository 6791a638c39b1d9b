import { Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Registry, SystemTimer } from '@weir/broker-core';
import { openRegistry } from '@weir/registry-prisma';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config.js';

export const REGISTRY = Symbol('REGISTRY');
export const TIMER = Symbol('TIMER');

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
      provide: REGISTRY,
      inject: [GATEWAY_CONFIG, TIMER],
      useFactory: async (config: GatewayConfig, timer: SystemTimer): Promise<Registry> => {
        const logger = new Logger('Registry');
        const onError = (err: unknown) => logger.error(err instanceof Error ? err.message : String(err));
        // A data dir that does not exist yet is created, as the broker's log dirs are.
        if (config.databaseUrl === undefined) mkdirSync(config.dataDir, { recursive: true });
        const registry =
          config.databaseUrl !== undefined
            ? await openRegistry({ databaseUrl: config.databaseUrl, scheduler: timer, onError })
            : await openRegistry({ dataDir: join(config.dataDir, 'registry'), scheduler: timer, onError });
        logger.log(config.databaseUrl !== undefined ? 'registry on PostgreSQL (DATABASE_URL)' : `registry on PGlite in ${join(config.dataDir, 'registry')}`);
        return registry;
      },
    },
    RegistryLifecycle,
  ],
  exports: [REGISTRY, TIMER],
})
export class RegistryModule {}
