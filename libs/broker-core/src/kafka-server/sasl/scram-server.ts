import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { scramHash, type SaslCredentialStore, type ScramCredential, type ScramMechanism, SCRAM_ITERATIONS } from '../../security/sasl-credentials.js';
import { SaslAuthenticationError, type SaslMechanismServer } from './sasl-mechanism.js';

/**
 * A per-process key for the salts of users that do not exist: the same name gets the same
 * salt for as long as the process runs, so asking twice does not tell a made-up user
 * from a real one (RFC 5802 section 9 suggests exactly this).
 */
const FAKE_SALT_KEY = randomBytes(32);

const GS2_HEADER = /^([ny]),(?:a=([^,]*))?,/;

export interface ScramServerOptions {
  /** The server's part of the nonce; random by default (tests pass RFC 7677's). */
  readonly serverNonce?: string;
}

interface FirstMessage {
  readonly gs2Header: string;
  readonly bare: string;
  readonly user: string;
  readonly clientNonce: string;
}

/**
 * The server side of SCRAM-SHA-256/512 (RFC 5802, RFC 7677) as Kafka runs it: client-first
 * `n,,n=<user>,r=<nonce>`, server-first `r=<nonce><server nonce>,s=<salt>,i=<iterations>`,
 * client-final `c=biws,r=<nonce>,p=<proof>`, server-final `v=<server signature>`.
 *
 * No channel binding (`p=` in the GS2 header is refused), no delegation tokens (the
 * `tokenauth` extension is refused), an authorization id only when it names the user.
 * An unknown user gets a fake salt and fails at the proof, with the message a wrong
 * password gets. Proofs are compared in constant time.
 */
export class ScramServer implements SaslMechanismServer {
  private readonly hash: 'sha256' | 'sha512';
  private state: 'first' | 'final' | 'done' | 'failed' = 'first';
  private first: FirstMessage | undefined;
  private serverFirst = '';
  private credential: ScramCredential | undefined;
  private user: string | undefined;

  constructor(
    private readonly mechanism: ScramMechanism,
    private readonly credentials: SaslCredentialStore,
    private readonly options: ScramServerOptions = {},
  ) {
    this.hash = scramHash(mechanism);
  }

  get authorizedUser(): string | undefined {
    return this.user;
  }

  async evaluate(token: Buffer): Promise<Buffer> {
    const state = this.state;
    this.state = 'failed';
    switch (state) {
      case 'first':
        return this.onClientFirst(token.toString('utf8'));
      case 'final':
        return this.onClientFinal(token.toString('utf8'));
      case 'done':
      case 'failed':
        throw new SaslAuthenticationError(`Unexpected SCRAM message after the exchange ${state === 'done' ? 'completed' : 'failed'}`);
      default: {
        const never: never = state;
        throw new Error(`unknown SCRAM state ${String(never)}`);
      }
    }
  }

  private async onClientFirst(message: string): Promise<Buffer> {
    const first = parseClientFirst(message);
    const credential = await this.credentials.scramCredential(this.mechanism, first.user);
    this.first = first;
    this.credential = credential;
    const salt = credential?.salt ?? createHmac('sha256', FAKE_SALT_KEY).update(this.mechanism).update('\u0000').update(first.user).digest();
    const iterations = credential?.iterations ?? SCRAM_ITERATIONS;
    const nonce = first.clientNonce + (this.options.serverNonce ?? randomBytes(24).toString('base64url'));
    this.serverFirst = `r=${nonce},s=${salt.toString('base64')},i=${iterations}`;
    this.state = 'final';
    return Buffer.from(this.serverFirst, 'utf8');
  }

  private onClientFinal(message: string): Buffer {
    const first = this.first!;
    const proofAt = message.lastIndexOf(',p=');
    if (proofAt < 0) throw new SaslAuthenticationError('Invalid SCRAM client final message: no proof');
    const withoutProof = message.slice(0, proofAt);
    const attributes = withoutProof.split(',');
    if (attributes[0] !== `c=${Buffer.from(first.gs2Header, 'utf8').toString('base64')}`) {
      throw new SaslAuthenticationError('Invalid SCRAM client final message: channel binding does not match the first message');
    }
    // librdkafka sends the client nonce once more in front of the combined one; Kafka's server
    // does not look at this nonce at all. The proof covers the server's fresh nonce either way.
    const nonce = this.serverFirst.slice(2, this.serverFirst.indexOf(','));
    const echoed = attributes[1] ?? '';
    if (!echoed.startsWith('r=') || !echoed.endsWith(nonce)) throw new SaslAuthenticationError('Invalid SCRAM client final message: nonce does not match');
    const proof = Buffer.from(message.slice(proofAt + 3), 'base64');
    const authMessage = `${first.bare},${this.serverFirst},${withoutProof}`;
    const credential = this.credential;
    if (credential === undefined || !this.proofMatches(credential, authMessage, proof)) {
      throw new SaslAuthenticationError(`Authentication failed during authentication due to invalid credentials with SASL mechanism ${this.mechanism}`);
    }
    this.user = first.user;
    this.state = 'done';
    const serverSignature = createHmac(this.hash, credential.serverKey).update(authMessage).digest();
    return Buffer.from(`v=${serverSignature.toString('base64')}`, 'utf8');
  }

  /** ClientKey = proof XOR HMAC(StoredKey, AuthMessage); the proof holds iff H(ClientKey) = StoredKey. */
  private proofMatches(credential: ScramCredential, authMessage: string, proof: Buffer): boolean {
    const signature = createHmac(this.hash, credential.storedKey).update(authMessage).digest();
    if (proof.length !== signature.length) return false;
    const clientKey = Buffer.allocUnsafe(signature.length);
    for (let i = 0; i < signature.length; i++) clientKey[i] = proof[i]! ^ signature[i]!;
    const storedKey = createHash(this.hash).update(clientKey).digest();
    return storedKey.length === credential.storedKey.length && timingSafeEqual(storedKey, credential.storedKey);
  }
}

/** `<gs2 header><n=user,r=nonce[,extensions]>`; throws SaslAuthenticationError for anything else. */
export function parseClientFirst(message: string): FirstMessage {
  const gs2 = GS2_HEADER.exec(message);
  if (gs2 === null) throw new SaslAuthenticationError('Invalid SCRAM client first message: channel binding is not supported');
  const bare = message.slice(gs2[0].length);
  const attributes = bare.split(',');
  const userAttr = attributes[0] ?? '';
  const nonceAttr = attributes[1] ?? '';
  if (!userAttr.startsWith('n=') || !nonceAttr.startsWith('r=') || nonceAttr.length === 2) {
    throw new SaslAuthenticationError('Invalid SCRAM client first message: expected n=<user>,r=<nonce>');
  }
  const user = decodeSaslName(userAttr.slice(2));
  for (const extension of attributes.slice(2)) {
    const key = extension.slice(0, extension.indexOf('='));
    if (key === 'tokenauth') throw new SaslAuthenticationError('Authentication failed: delegation tokens are not supported');
    if (key === 'm') throw new SaslAuthenticationError('Invalid SCRAM client first message: mandatory extensions are not supported');
  }
  const authzid = gs2[2];
  if (authzid !== undefined && authzid.length > 0 && decodeSaslName(authzid) !== user) {
    throw new SaslAuthenticationError('Authentication failed: Client requested an authorization id that is different from username');
  }
  return { gs2Header: gs2[0], bare, user, clientNonce: nonceAttr.slice(2) };
}

/** RFC 5802's saslname: `=2C` is `,` and `=3D` is `=`; any other `=` is malformed. */
export function decodeSaslName(text: string): string {
  if (text.length === 0) throw new SaslAuthenticationError('Invalid SCRAM client first message: empty user name');
  if (/=(?!2C|3D)/.test(text)) throw new SaslAuthenticationError('Invalid SCRAM client first message: malformed user name');
  return text.replace(/=2C/g, ',').replace(/=3D/g, '=');
}
