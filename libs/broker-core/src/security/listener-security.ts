import type { SaslCredentialStore, SaslMechanism } from './sasl-credentials.js';

/** Kafka's listener security protocols. */
export type SecurityProtocol = 'PLAINTEXT' | 'SASL_PLAINTEXT' | 'SSL' | 'SASL_SSL';
export const SECURITY_PROTOCOLS: readonly SecurityProtocol[] = ['PLAINTEXT', 'SASL_PLAINTEXT', 'SSL', 'SASL_SSL'];

export interface ListenerTls {
  /** PEM certificate chain and private key (read from the configured files). */
  readonly cert: Buffer;
  readonly key: Buffer;
  /** PEM CA bundle for client certificates (ssl.client.auth). */
  readonly ca?: Buffer;
  /** Kafka's ssl.client.auth: none (default), requested or required. */
  readonly clientAuth?: 'none' | 'requested' | 'required';
}

/** How a Kafka listener secures its connections. PLAINTEXT (the default) needs nothing else. */
export interface ListenerSecurity {
  readonly protocol: SecurityProtocol;
  /** Required for SSL and SASL_SSL. */
  readonly tls?: ListenerTls;
  /** sasl.enabled.mechanisms for SASL_*; all three by default. */
  readonly saslMechanisms?: readonly SaslMechanism[];
  /** Required for SASL_*. */
  readonly credentials?: SaslCredentialStore;
}

export function usesSasl(protocol: SecurityProtocol): boolean {
  return protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL';
}

export function usesTls(protocol: SecurityProtocol): boolean {
  return protocol === 'SSL' || protocol === 'SASL_SSL';
}
