import { Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { type AuditSink, type BrokerApi, type BrokerLogger, describeClientSecurity, INTER_BROKER_PRINCIPAL, LocalCluster, principalString, type Registry, type SystemTimer } from '@weir/broker-core';
import { AUDIT_WRITER } from '../audit/audit-writer.js';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config.js';
import { interBrokerPrincipal, interBrokerSecurity } from '../kafka-security/inter-broker-security.js';
import { describeListenerSecurity, kafkaListenerSecurity } from '../kafka-security/kafka-listener-security.js';
import { PRISMA, REGISTRY, RegistryModule, TIMER } from '../registry/registry.module.js';
import type { PrismaClient } from '@weir/registry-prisma';

/**
 * The brokers this process hosts (WEIR_BROKERS of them, ids from WEIR_BROKER_ID), as the
 * one interface the REST and WebSocket doors use: a LocalCluster routing each call to
 * the broker that should answer it. Kafka clients reach each broker on its own listener.
 */
export const BROKER = Symbol('BROKER');

/** The same LocalCluster, for what only it offers: hosted brokers, their listeners, stop and start. */
export const LOCAL_CLUSTER = Symbol('LOCAL_CLUSTER');

function nestLogger(context: string): BrokerLogger {
  const logger = new Logger(context);
  return {
    info: (message: string) => logger.log(message),
    warn: (message: string) => logger.warn(message),
    error: (message: string, err?: unknown) => logger.error(message, err instanceof Error ? err.stack : undefined),
  };
}

/**
 * Closes the brokers (their Kafka listeners first). They run on the registry and timer
 * the registry module owns; since this module imports that one, Nest shuts this one down
 * first (shutdown hooks run from the modules nearest the root outwards), so no broker
 * outlives its registry.
 */
@Injectable()
class BrokerLifecycle implements OnApplicationShutdown {
  constructor(@Inject(LOCAL_CLUSTER) private readonly cluster: LocalCluster) {}

  async onApplicationShutdown(): Promise<void> {
    await this.cluster.close();
  }
}

@Module({
  imports: [RegistryModule],
  providers: [
    {
      provide: LOCAL_CLUSTER,
      // The audit writer (global AuditWriterModule) receives the Kafka door's admin operations.
      inject: [GATEWAY_CONFIG, REGISTRY, TIMER, { token: AUDIT_WRITER, optional: true }, PRISMA],
      useFactory: async (config: GatewayConfig, registry: Registry, timer: SystemTimer, audit: AuditSink | undefined, prisma: PrismaClient): Promise<LocalCluster> => {
        const logger = nestLogger('Broker');
        // SASL users are the gateway's users (same database as the registry); TLS files are read here, once.
        const listenerSecurity = kafkaListenerSecurity(config.security, prisma);
        // Towards brokers of other gateways; creates the brokers' SASL user when it is missing.
        const brokerSecurity = await interBrokerSecurity(config, prisma, logger);
        const brokerPrincipal = interBrokerPrincipal(config);
        const cluster = await LocalCluster.start({
          brokerIds: config.brokerIds,
          dataDir: config.dataDir,
          registry,
          timer,
          host: config.host,
          advertisedHost: config.advertisedHost,
          kafkaPorts: config.kafkaPorts,
          maxRequestBytes: config.socketRequestMaxBytes,
          logger,
          defaults: config.brokerDefaults,
          listenerSecurity,
          interBrokerSecurity: brokerSecurity,
          // Kafka's super.users (User:<name>; a bare name is taken as a user) and allow.everyone.if.no.acl.found.
          authorizer: {
            // The brokers of this process reach each other's listeners as INTER_BROKER_PRINCIPAL (docs/security-listeners.md).
            // Brokers of other gateways authenticate as the inter-broker user, which must replicate (ClusterAction) as Kafka's broker principal does.
            superUsers: [
              ...config.security.superUsers.map((u) => (u.startsWith('User:') ? u : `User:${u}`)), principalString(INTER_BROKER_PRINCIPAL),
              ...(brokerPrincipal === undefined ? [] : [brokerPrincipal]),
            ],
            allowEveryoneIfNoAclFound: config.security.allowEveryoneIfNoAclFound,
          },
          ...(config.rack === undefined ? {} : { rack: config.rack }),
          ...(audit === undefined ? {} : { audit }),
        });
        const listeners = cluster.hostedBrokers().map((b) => `broker ${b.brokerId} on ${config.host}:${b.kafkaPort}`);
        logger.info(`cluster ${cluster.clusterId}: ${listeners.join(', ')} (Kafka listeners, ${describeListenerSecurity(listenerSecurity)}; to other gateways' brokers ${describeClientSecurity(brokerSecurity)})`);
        return cluster;
      },
    },
    { provide: BROKER, inject: [LOCAL_CLUSTER], useFactory: (cluster: LocalCluster): BrokerApi => cluster },
    BrokerLifecycle,
  ],
  exports: [BROKER, LOCAL_CLUSTER],
})
export class BrokerModule {}
