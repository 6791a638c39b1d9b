import { usesSasl, type SaslMechanism, type SecurityProtocol } from '@weir/broker-core';
import { z } from 'zod';

/**
 * How this gateway's brokers reach brokers of other gateways (Kafka's
 * security.inter.broker.protocol, sasl.mechanism.inter.broker.protocol and the broker's own
 * credentials). Brokers of one gateway reach each other plainly, whatever is set here.
 */
export interface InterBrokerConfig {
  /** WEIR_INTER_BROKER_SECURITY_PROTOCOL; the listener's WEIR_KAFKA_SECURITY_PROTOCOL by default, as every broker has one listener. */
  readonly protocol: SecurityProtocol;
  /**
   * For SASL_PLAINTEXT and SASL_SSL: who the brokers authenticate as. Undefined with a SASL
   * protocol only when it was taken from the listener and no credentials are set: then
   * connections to other gateways' brokers fail (the gateway warns at start).
   */
  readonly sasl: InterBrokerSasl | undefined;
  /** WEIR_TLS_CA_FILE: the CA the other brokers' certificates must chain to (SSL, SASL_SSL); the system store when unset. */
  readonly caFile: string | undefined;
}

export interface InterBrokerSasl {
  /** WEIR_INTER_BROKER_SASL_MECHANISM (default SCRAM-SHA-512). */
  readonly mechanism: SaslMechanism;
  /** WEIR_INTER_BROKER_USERNAME: a gateway user, created at start with the password when missing. */
  readonly username: string;
  /** WEIR_INTER_BROKER_PASSWORD, or the file of WEIR_INTER_BROKER_PASSWORD_FILE (read at start, one trailing newline dropped). */
  readonly password: { readonly value: string } | { readonly file: string };
}

const schema = z.object({
  WEIR_INTER_BROKER_SECURITY_PROTOCOL: z.enum(['PLAINTEXT', 'SASL_PLAINTEXT', 'SSL', 'SASL_SSL']).optional(),
  WEIR_INTER_BROKER_SASL_MECHANISM: z.enum(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']).default('SCRAM-SHA-512'),
  // A gateway user name (auth-schemas.ts userNameSchema), so that the user can be created.
  WEIR_INTER_BROKER_USERNAME: z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, '1 to 64 characters of A-Z a-z 0-9 . _ @ -').optional(),
  WEIR_INTER_BROKER_PASSWORD: z.string().min(12, 'at least 12 characters').max(1024).optional(),
  WEIR_INTER_BROKER_PASSWORD_FILE: z.string().min(1).optional(),
  WEIR_TLS_CA_FILE: z.string().min(1).optional(),
});

/** The inter-broker settings of `env`, or the problem with them (naming the variable; never a password). */
export function interBrokerConfigOf(env: NodeJS.ProcessEnv, listenerProtocol: SecurityProtocol): InterBrokerConfig | string {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    // Messages only: zod's issues could quote the value, and a password must not reach a log.
    return parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
  }
  const e = parsed.data;
  const protocol = e.WEIR_INTER_BROKER_SECURITY_PROTOCOL ?? listenerProtocol;
  const caFile = e.WEIR_TLS_CA_FILE;
  if (!usesSasl(protocol)) return { protocol, sasl: undefined, caFile };
  const explicit = e.WEIR_INTER_BROKER_SECURITY_PROTOCOL !== undefined;
  const noCredentials = e.WEIR_INTER_BROKER_USERNAME === undefined && e.WEIR_INTER_BROKER_PASSWORD === undefined && e.WEIR_INTER_BROKER_PASSWORD_FILE === undefined;
  // A SASL listener without inter-broker settings still serves one gateway (its brokers reach each other plainly);
  // the gateway warns at start that brokers of other gateways would refuse its own.
  if (!explicit && noCredentials) return { protocol, sasl: undefined, caFile };
  const why = `inter-broker protocol ${protocol}${explicit ? '' : ' (from WEIR_KAFKA_SECURITY_PROTOCOL)'}`;
  if (e.WEIR_INTER_BROKER_USERNAME === undefined) return `WEIR_INTER_BROKER_USERNAME: the ${why} needs the brokers' user name`;
  if ((e.WEIR_INTER_BROKER_PASSWORD === undefined) === (e.WEIR_INTER_BROKER_PASSWORD_FILE === undefined)) {
    return `WEIR_INTER_BROKER_PASSWORD: the ${why} needs exactly one of WEIR_INTER_BROKER_PASSWORD and WEIR_INTER_BROKER_PASSWORD_FILE`;
  }
  return {
    protocol,
    caFile,
    sasl: {
      mechanism: e.WEIR_INTER_BROKER_SASL_MECHANISM,
      username: e.WEIR_INTER_BROKER_USERNAME,
      password: e.WEIR_INTER_BROKER_PASSWORD !== undefined ? { value: e.WEIR_INTER_BROKER_PASSWORD } : { file: e.WEIR_INTER_BROKER_PASSWORD_FILE! },
    },
  };
}
