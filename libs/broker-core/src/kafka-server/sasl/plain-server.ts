import type { SaslCredentialStore } from '../../security/sasl-credentials.js';
import { SaslAuthenticationError, type SaslMechanismServer } from './sasl-mechanism.js';

const EMPTY = Buffer.alloc(0);

/**
 * SASL/PLAIN (RFC 4616): one token `[authzid] NUL authcid NUL passwd`, checked against
 * the credential store. As in Kafka, the authorization id must be empty or the user's
 * own name (no acting as someone else), and the answer is an empty token.
 */
export class PlainServer implements SaslMechanismServer {
  private user: string | undefined;
  private used = false;

  constructor(private readonly credentials: SaslCredentialStore) {}

  get authorizedUser(): string | undefined {
    return this.user;
  }

  async evaluate(token: Buffer): Promise<Buffer> {
    if (this.used) throw new SaslAuthenticationError('Authentication failed: PLAIN takes a single token');
    this.used = true;
    const parts = token.toString('utf8').split('\u0000');
    if (parts.length !== 3) throw new SaslAuthenticationError('Invalid SASL/PLAIN response: expected 3 tokens');
    const [authzid, username, password] = parts as [string, string, string];
    if (username.length === 0) throw new SaslAuthenticationError('Authentication failed: username not specified');
    if (password.length === 0) throw new SaslAuthenticationError('Authentication failed: password not specified');
    if (authzid.length > 0 && authzid !== username) {
      throw new SaslAuthenticationError('Authentication failed: Client requested an authorization id that is different from username');
    }
    if (!(await this.credentials.verifyPlain(username, password))) {
      throw new SaslAuthenticationError('Authentication failed: Invalid username or password');
    }
    this.user = username;
    return EMPTY;
  }
}
