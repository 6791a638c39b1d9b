import { Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Broker, type BrokerApi, type Registry, type SystemTimer } from '@weir/broker-core';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config.js';
import { REGISTRY, RegistryModule, TIMER } from '../registry/registry.module.js';

/** The running broker, typed as the interface the REST and WebSocket doors use. */
export const BROKER = Symbol('BROKER');

/**
 * One broker per gateway process for now. Its id and Kafka port are Kafka's first-broker
 * conventions until the configuration grows WEIR_BROKER_ID / WEIR_KAFKA_PORT; the
 * advertised host is the gateway's own.
 */
const BROKER_ID = 1;
const KAFKA_PORT = 9092;

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
          brokerId: BROKER_ID,
          dataDir: config.dataDir,
          registry,
          timer,
          advertisedHost: config.host,
          advertisedPort: KAFKA_PORT,
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
