import { Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Broker, KafkaListener, type BrokerApi, type BrokerLogger, type Registry, type SystemTimer } from '@weir/broker-core';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config.js';
import { REGISTRY, RegistryModule, TIMER } from '../registry/registry.module.js';

/**
 * The running broker (one per gateway process for now: WEIR_BROKER_ID, advertising the
 * gateway's host and WEIR_KAFKA_PORT), typed as the interface the REST and WebSocket
 * doors use.
 */
export const BROKER = Symbol('BROKER');

/** The Kafka protocol listener serving the broker (its bound port: `.port`). */
export const KAFKA_LISTENER = Symbol('KAFKA_LISTENER');

function nestLogger(context: string): BrokerLogger {
  const logger = new Logger(context);
  return {
    info: (message: string) => logger.log(message),
    warn: (message: string) => logger.warn(message),
    error: (message: string, err?: unknown) => logger.error(message, err instanceof Error ? err.stack : undefined),
  };
}

/**
 * Closes the Kafka listener, then the broker. The broker runs on the registry and timer the registry module owns; since
 * this module imports that one, Nest shuts this one down first (shutdown hooks run from
 * the modules nearest the root outwards), so the broker never outlives its registry.
 */
@Injectable()
class BrokerLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(BROKER) private readonly broker: Broker,
    @Inject(KAFKA_LISTENER) private readonly listener: KafkaListener,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.listener.close();
    await this.broker.close();
  }
}

@Module({
  imports: [RegistryModule],
  providers: [
    {
      // Bound before the broker starts, so the broker advertises the port actually bound.
      provide: KAFKA_LISTENER,
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig): Promise<KafkaListener> =>
        KafkaListener.bind({ host: config.host, port: config.kafkaPort, maxRequestBytes: config.socketRequestMaxBytes, logger: nestLogger('KafkaListener') }),
    },
    {
      provide: BROKER,
      inject: [GATEWAY_CONFIG, REGISTRY, TIMER, KAFKA_LISTENER],
      useFactory: async (config: GatewayConfig, registry: Registry, timer: SystemTimer, listener: KafkaListener): Promise<BrokerApi> => {
        const logger = nestLogger('Broker');
        let broker: Broker;
        try {
          broker = await Broker.start({
            brokerId: config.brokerId,
            dataDir: config.dataDir,
            registry,
            timer,
            advertisedHost: config.advertisedHost,
            advertisedPort: listener.port,
            logger,
          });
        } catch (err) {
          await listener.close();
          throw err;
        }
        listener.serve(broker);
        logger.info(`broker ${broker.brokerId} of cluster ${broker.clusterId} started; Kafka listener on ${config.host}:${listener.port}`);
        return broker;
      },
    },
    BrokerLifecycle,
  ],
  exports: [BROKER, KAFKA_LISTENER],
})
export class BrokerModule {}
