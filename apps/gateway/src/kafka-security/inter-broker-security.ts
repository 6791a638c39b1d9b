import { usesSasl, usesTls, type BrokerLogger, type ClientSecurity, type ClientTls } from '@weir/broker-core';
import type { PrismaClient } from '@weir/registry-prisma';
import { passwordCredentials, verifySecret } from '../auth/password-hash.js';
import { isUniqueViolation } from '../auth/users.service.js';
import { ConfigError, type GatewayConfig } from '../config/gateway-config.js';
import type { InterBrokerSasl } from '../config/inter-broker-config.js';
import { readPem } from './kafka-listener-security.js';

/** The role of a user created for the brokers: the least one (its broker powers come from super.users, not from a role). */
const BROKER_USER_ROLE = 'viewer';

function readPassword(sasl: InterBrokerSasl): string {
  if ('value' in sasl.password) return sasl.password.value;
  const text = readPem('WEIR_INTER_BROKER_PASSWORD_FILE', sasl.password.file).toString('utf8').replace(/\r?\n$/, '');
  if (text.length < 12) throw new ConfigError(`WEIR_INTER_BROKER_PASSWORD_FILE=${sasl.password.file}: the password must have at least 12 characters`);
  return text;
}

/**
 * TLS of the inter-broker connections: trust WEIR_TLS_CA_FILE (the system store without
 * it), show the broker's own certificate (WEIR_TLS_CERT_FILE / KEY_FILE) when a listener
 * asks for one, so that mutual TLS makes the broker's principal its certificate's subject.
 */
function clientTls(config: GatewayConfig): ClientTls {
  const files = config.security.tls;
  const caFile = config.interBroker.caFile;
  return {
    ...(caFile === undefined ? {} : { ca: readPem('WEIR_TLS_CA_FILE', caFile) }),
    ...(files === undefined ? {} : { cert: readPem('WEIR_TLS_CERT_FILE', files.certFile), key: readPem('WEIR_TLS_KEY_FILE', files.keyFile) }),
  };
}

/** The principal the brokers act as on other gateways' listeners (to be a super user), or undefined when they do not authenticate by SASL. */
export function interBrokerPrincipal(config: GatewayConfig): string | undefined {
  return config.interBroker.sasl === undefined ? undefined : `User:${config.interBroker.sasl.username}`;
}

/**
 * How this gateway's brokers reach brokers of other gateways, built at start: the PEM and
 * password files are read once (a file that cannot be read stops the start naming its
 * variable), and for SASL the brokers' user is made to exist (ensureBrokerUser).
 */
export async function interBrokerSecurity(config: GatewayConfig, prisma: PrismaClient, logger: BrokerLogger): Promise<ClientSecurity> {
  const { protocol, sasl } = config.interBroker;
  const tls = usesTls(protocol) ? clientTls(config) : undefined;
  if (sasl === undefined) {
    if (usesSasl(protocol)) {
      logger.warn(`inter-broker protocol ${protocol} (the listener's) without WEIR_INTER_BROKER_USERNAME and WEIR_INTER_BROKER_PASSWORD: brokers of other gateways will refuse this gateway's brokers (those of this gateway reach each other without SASL)`);
    }
    return { protocol, ...(tls === undefined ? {} : { tls }) };
  }
  const password = readPassword(sasl);
  await ensureBrokerUser(prisma, sasl.username, password, logger);
  return { protocol, ...(tls === undefined ? {} : { tls }), sasl: { mechanism: sasl.mechanism, username: sasl.username, password } };
}

/**
 * Creates the brokers' user with the configured password when it does not exist (every
 * gateway shares the users table, so the first to start creates it; the others find it).
 * An existing user keeps its password: when it does not match the configured one, or the
 * user is disabled, this broker's connections to other gateways will be refused, which is
 * said here once, at start. The password goes to no log and no audit record.
 */
export async function ensureBrokerUser(prisma: PrismaClient, username: string, password: string, logger: BrokerLogger): Promise<void> {
  const existing = await prisma.securityUser.findUnique({ where: { name: username }, select: { passwordHash: true, disabled: true } });
  if (existing === null) {
    try {
      await prisma.securityUser.create({ data: { name: username, role: BROKER_USER_ROLE, ...(await passwordCredentials(password)) } });
      logger.info(`created user "${username}" (role ${BROKER_USER_ROLE}) for inter-broker authentication, with the password of WEIR_INTER_BROKER_PASSWORD(_FILE)`);
      return;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return ensureBrokerUser(prisma, username, password, logger); // another gateway created it meanwhile
    }
  }
  if (existing.disabled) {
    logger.warn(`inter-broker user "${username}" is disabled: other gateways' listeners will refuse this gateway's brokers`);
  } else if (existing.passwordHash === null || !(await verifySecret(password, existing.passwordHash))) {
    logger.warn(`inter-broker user "${username}" exists with another password than WEIR_INTER_BROKER_PASSWORD(_FILE): other gateways' listeners will refuse this gateway's brokers`);
  }
}
