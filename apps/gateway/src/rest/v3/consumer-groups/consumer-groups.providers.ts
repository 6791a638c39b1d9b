import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit, type Provider } from '@nestjs/common';
import { type BrokerApi, LagHistory, NO_AUDIT, type SystemTimer, SystemTime } from '@weir/broker-core';
import { BROKER } from '../../../broker/broker.module.js';
import { TIMER } from '../../../registry/registry.module.js';
import { LAG_HISTORY, OFFSET_RESET_AUDIT } from './consumer-group-tokens.js';

/** Starts lag sampling with the application and stops it before the brokers close. */
@Injectable()
export class LagHistoryLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(LAG_HISTORY) private readonly history: LagHistory) {}

  onModuleInit(): void {
    this.history.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.history.stop();
  }
}

export const CONSUMER_GROUP_PROVIDERS: Provider[] = [
  {
    provide: LAG_HISTORY,
    inject: [BROKER, TIMER],
    useFactory: (api: BrokerApi, timer: SystemTimer): LagHistory => {
      const logger = new Logger('LagHistory');
      return new LagHistory({
        api, scheduler: timer, time: SystemTime.INSTANCE,
        logger: { info: (m) => logger.log(m), warn: (m) => logger.warn(m), error: (m, err) => logger.error(m, err instanceof Error ? err.stack : undefined) },
      });
    },
  },
  // W10 replaces this with the audit log.
  { provide: OFFSET_RESET_AUDIT, useValue: NO_AUDIT },
  LagHistoryLifecycle,
];
