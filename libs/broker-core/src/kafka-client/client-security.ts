import type { Socket } from 'node:net';
import { isIP } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { usesSasl, type SecurityProtocol } from '../security/listener-security.js';
import type { SaslMechanism } from '../security/sasl-credentials.js';
import { KafkaClientError } from './kafka-client-error.js';

/** TLS for a client connection: the CA it trusts and the certificate it shows when asked. */
export interface ClientTls {
  /** PEM CA bundle the peer's certificate must chain to; the system store when absent. */
  readonly ca?: Buffer;
  /** PEM certificate and key, sent only when the listener asks for one (ssl.client.auth). */
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

/** The SASL identity a client authenticates as. */
export interface ClientSasl {
  readonly mechanism: SaslMechanism;
  readonly username: string;
  readonly password: string;
}

/**
 * How a broker's client secures its connections to other brokers (Kafka's
 * security.inter.broker.protocol, sasl.mechanism.inter.broker.protocol and the broker's own
 * credentials). Connections to a listener of this same process skip both TLS and SASL, as
 * that listener recognises them (kafka-server/sasl/in-process-peers.ts).
 */
export interface ClientSecurity {
  readonly protocol: SecurityProtocol;
  /** For SSL and SASL_SSL; an empty object trusts the system store and shows no certificate. */
  readonly tls?: ClientTls;
  /** For SASL_PLAINTEXT and SASL_SSL; without it, connections to other processes' listeners fail ('authentication'). */
  readonly sasl?: ClientSasl;
}

/** `SASL_SSL (SCRAM-SHA-512 as broker)`, for log lines: never the password. */
export function describeClientSecurity(security: ClientSecurity): string {
  if (!usesSasl(security.protocol)) return security.protocol;
  return security.sasl === undefined ? `${security.protocol} (no credentials)` : `${security.protocol} (${security.sasl.mechanism} as ${security.sasl.username})`;
}

/**
 * Starts TLS over a connected socket, verifying the peer's certificate against the CA
 * and against `host` (the advertised name or IP the broker registered; an IP is checked
 * against the certificate's IP subjectAltNames). Rejects with an 'authentication'
 * KafkaClientError when the handshake or the verification fails.
 */
export function startClientTls(socket: Socket, host: string, tls: ClientTls, remote: string): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const secure = tlsConnect({
      socket,
      host,
      ...(isIP(host) === 0 ? { servername: host } : {}),
      ...(tls.ca === undefined ? {} : { ca: tls.ca }),
      ...(tls.cert === undefined || tls.key === undefined ? {} : { cert: tls.cert, key: tls.key }),
      rejectUnauthorized: true,
    });
    const onError = (err: Error): void => {
      secure.destroy();
      reject(new KafkaClientError('authentication', `TLS handshake with ${remote} failed: ${err.message}`, { cause: err }));
    };
    const onClose = (): void => onError(new Error('the connection closed during the handshake'));
    secure.once('error', onError);
    secure.once('close', onClose);
    secure.once('secureConnect', () => {
      secure.off('error', onError);
      secure.off('close', onClose);
      resolve(secure);
    });
  });
}
