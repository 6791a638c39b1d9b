import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { kafkaErrorName } from '../errors.js';
import { API_KEYS } from '../protocol/api-keys.js';
import { scramHash, scramKeys, type ScramMechanism } from '../security/sasl-credentials.js';
import type { ClientSasl } from './client-security.js';
import type { KafkaClientConnection } from './kafka-client-connection.js';
import { KafkaClientError } from './kafka-client-error.js';

/** SaslHandshake v1 (tokens then go in SaslAuthenticate) and SaslAuthenticate v1 (not flexible). */
const HANDSHAKE_VERSION = 1;
const AUTHENTICATE_VERSION = 1;

/** RFC 5802's saslname: `,` and `=` escaped. */
function encodeSaslName(name: string): string {
  return name.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

function attributes(message: string): Map<string, string> {
  return new Map(message.split(',').map((a) => [a.slice(0, 1), a.slice(2)]));
}

/**
 * Authenticates a fresh connection as `sasl.username`, as Kafka's SaslClientAuthenticator
 * does: SaslHandshake with the mechanism, then the mechanism's tokens in SaslAuthenticate
 * requests. PLAIN sends one token; SCRAM-SHA-256/512 (RFC 5802) sends client-first and
 * client-final and checks the server's signature, so a server that does not know the
 * password cannot pass as the broker. Rejects with an 'authentication' KafkaClientError
 * carrying the server's message (the connection is then useless: the server closes it).
 */
export async function authenticateSasl(connection: KafkaClientConnection, sasl: ClientSasl): Promise<void> {
  const failed = (why: string): KafkaClientError =>
    new KafkaClientError('authentication', `SASL ${sasl.mechanism} as ${sasl.username} to ${connection.remote} failed: ${why}`);
  const handshake = await connection.send(API_KEYS.SaslHandshake, HANDSHAKE_VERSION, { mechanism: sasl.mechanism });
  if (handshake.errorCode !== 0) {
    throw failed(`${errorName(handshake.errorCode)} (the listener offers ${handshake.mechanisms.join(', ') || 'no mechanism'})`);
  }
  const exchange = async (token: Buffer): Promise<Buffer> => {
    const response = await connection.send(API_KEYS.SaslAuthenticate, AUTHENTICATE_VERSION, { authBytes: token });
    if (response.errorCode !== 0) throw failed(response.errorMessage ?? errorName(response.errorCode));
    return response.authBytes;
  };
  if (sasl.mechanism === 'PLAIN') {
    await exchange(Buffer.from(`\u0000${sasl.username}\u0000${sasl.password}`, 'utf8'));
    return;
  }
  await scramExchange(sasl.mechanism, sasl, exchange, failed);
}

async function scramExchange(
  mechanism: ScramMechanism,
  sasl: ClientSasl,
  exchange: (token: Buffer) => Promise<Buffer>,
  failed: (why: string) => KafkaClientError,
): Promise<void> {
  const hash = scramHash(mechanism);
  const gs2Header = 'n,,';
  const clientNonce = randomBytes(24).toString('base64url');
  const clientFirstBare = `n=${encodeSaslName(sasl.username)},r=${clientNonce}`;
  const serverFirst = (await exchange(Buffer.from(gs2Header + clientFirstBare, 'utf8'))).toString('utf8');
  const first = attributes(serverFirst);
  const nonce = first.get('r') ?? '';
  const salt = Buffer.from(first.get('s') ?? '', 'base64');
  const iterations = Number(first.get('i'));
  if (!nonce.startsWith(clientNonce) || nonce.length === clientNonce.length || salt.length === 0 || !Number.isSafeInteger(iterations) || iterations < 1) {
    throw failed(`invalid SCRAM server-first message`);
  }
  const { clientKey, serverKey } = scramKeys(mechanism, sasl.password, salt, iterations);
  const withoutProof = `c=${Buffer.from(gs2Header, 'utf8').toString('base64')},r=${nonce}`;
  const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
  const clientSignature = createHmac(hash, createHash(hash).update(clientKey).digest()).update(authMessage).digest();
  const proof = Buffer.from(clientKey.map((b, i) => b ^ clientSignature[i]!));
  const serverFinal = attributes((await exchange(Buffer.from(`${withoutProof},p=${proof.toString('base64')}`, 'utf8'))).toString('utf8'));
  const expected = createHmac(hash, serverKey).update(authMessage).digest();
  const signature = Buffer.from(serverFinal.get('v') ?? '', 'base64');
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
    throw failed(serverFinal.has('e') ? `server error ${serverFinal.get('e')}` : 'the server signature does not match (the server does not know this password)');
  }
}

function errorName(code: number): string {
  return kafkaErrorName(code) ?? `error code ${code}`;
}
