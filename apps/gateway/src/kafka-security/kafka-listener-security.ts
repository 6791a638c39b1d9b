import { readFileSync } from 'node:fs';
import { usesSasl, usesTls, type ListenerSecurity, type ListenerTls } from '@weir/broker-core';
import type { PrismaClient } from '@weir/registry-prisma';
import { ConfigError, type GatewaySecurityConfig } from '../config/gateway-config.js';
import { PrismaSaslCredentials } from './prisma-sasl-credentials.js';

type TlsFiles = NonNullable<GatewaySecurityConfig['tls']>;

export function readPem(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError(`${variable}=${path} cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The PEM files of WEIR_TLS_CERT_FILE / KEY_FILE / CA_FILE, read once at start; a file that cannot be read stops the start naming its variable. */
export function readTlsFiles(files: TlsFiles): ListenerTls {
  return {
    cert: readPem('WEIR_TLS_CERT_FILE', files.certFile),
    key: readPem('WEIR_TLS_KEY_FILE', files.keyFile),
    ...(files.caFile === undefined ? {} : { ca: readPem('WEIR_TLS_CA_FILE', files.caFile) }),
    clientAuth: files.clientAuth,
  };
}

/**
 * How every hosted broker's Kafka listener is secured (WEIR_KAFKA_SECURITY_PROTOCOL):
 * TLS from the configured PEM files, SASL against the users table. The configuration's
 * own check already refused SSL/SASL_SSL without a certificate and key.
 */
export function kafkaListenerSecurity(config: GatewaySecurityConfig, prisma: PrismaClient): ListenerSecurity {
  const protocol = config.kafkaSecurityProtocol;
  const tls = usesTls(protocol) && config.tls !== undefined ? readTlsFiles(config.tls) : undefined;
  return {
    protocol,
    ...(tls === undefined ? {} : { tls }),
    ...(usesSasl(protocol) ? { saslMechanisms: config.kafkaSaslMechanisms, credentials: new PrismaSaslCredentials(prisma) } : {}),
  };
}

/** `SASL_SSL (PLAIN, SCRAM-SHA-512)`, for the start-up line. */
export function describeListenerSecurity(security: ListenerSecurity): string {
  return usesSasl(security.protocol) ? `${security.protocol} (${(security.saslMechanisms ?? []).join(', ')})` : security.protocol;
}
