import { Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Broker, type BrokerApi, type Registry, type SystemTimer } from '@weir/broker-core';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config.js';
import { REGISTRY, RegistryModule, TIMER } from '../registry/registry.module.js';

/**
 * The running broker (one per gateway process for now: WEIR_BROKER_ID, advertising the
 * gateway's host and WEIR_KAFKA_PORT), typed as the interface the REST and WebSocket
 * doors use.
 */
export const BROKER = Symbol('BROKER');

/**
 * Closes the broker. It runs on the registry and timer the registry module owns; since
 * this module imports that one, Nest shuts this one down first (shutdown hooks run from
 * the modules nearest the root outwards), so the broker never outlives its registry.
 */
@Injectable()
class BrokerLifecycle implements OnApplicationShutdown {
  constructor(@Inject(BROKER) private readonly broker: Broker) {}

  async onApplicationShutdown(): Promise<void> {
    await this.broker.close();
  }
}

@Module({
  imports: [RegistryModule],
  providers: [
    {
      provide: BROKER,
      inject: [GATEWAY_CONFIG, REGISTRY, TIMER],
      useFactory: async (config: GatewayConfig, registry: Registry, timer: SystemTimer): Promise<BrokerApi> => {
        const logger = new Logger('Broker');
        const broker = await Broker.start({
          brokerId: config.brokerId,
          dataDir: config.dataDir,
          registry,
          timer,
          advertisedHost: config.host,
          advertisedPort: config.kafkaPort,
          logger: {
            info: (message: string) => logger.log(message),
            warn: (message: string) => logger.warn(message),
            error: (message: string) => logger.error(message),
          },
        });
        logger.log(`broker ${broker.brokerId} of cluster ${broker.clusterId} started`);
        return broker;
      },
    },
    BrokerLifecycle,
  ],
  exports: [BROKER],
})
export class BrokerModule {}
