import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { deriveScramCredential, type SaslCredentialStore, type ScramCredential, type ScramMechanism } from '../../security/sasl-credentials.js';
import { PlainServer } from './plain-server.js';
import { SaslAuthenticationError } from './sasl-mechanism.js';
import { decodeSaslName, ScramServer } from './scram-server.js';

/** A credential store of fixed users, as the gateway's would answer. */
function store(users: Record<string, string>, salt?: Buffer): SaslCredentialStore {
  const credentials = new Map<string, ScramCredential>();
  return {
    verifyPlain: (name, password) => Promise.resolve(users[name] === password),
    scramCredential(mechanism, name) {
      const password = users[name];
      if (password === undefined) return Promise.resolve(undefined);
      const key = `${mechanism}/${name}`;
      if (!credentials.has(key)) credentials.set(key, deriveScramCredential(mechanism, password, salt));
      return Promise.resolve(credentials.get(key));
    },
  };
}

const utf8 = (b: Buffer): string => b.toString('utf8');

describe('ScramServer', () => {
  it('follows RFC 7677 test vector for SCRAM-SHA-256 (user "user", password "pencil")', async () => {
    const server = new ScramServer('SCRAM-SHA-256', store({ user: 'pencil' }, Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64')), {
      serverNonce: '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
    });
    const serverFirst = await server.evaluate(Buffer.from('n,,n=user,r=rOprNGfwEbeRWgbNEkqO'));
    expect(utf8(serverFirst)).toBe('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096');
    expect(server.authorizedUser).toBeUndefined();
    const serverFinal = await server.evaluate(Buffer.from(
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
    ));
    expect(utf8(serverFinal)).toBe('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
    expect(server.authorizedUser).toBe('user');
  });

  /** An independent client (RFC 5802 section 3), written from the RFC, not from the server. */
  async function clientExchange(mechanism: ScramMechanism, server: ScramServer, user: string, password: string, gs2 = 'n,,', echoClientNonce = false): Promise<string> {
    const hash = mechanism === 'SCRAM-SHA-256' ? 'sha256' : 'sha512';
    const clientNonce = randomBytes(18).toString('base64');
    const bare = `n=${user.replace(/=/g, '=3D').replace(/,/g, '=2C')},r=${clientNonce}`;
    const serverFirst = utf8(await server.evaluate(Buffer.from(gs2 + bare)));
    const fields = Object.fromEntries(serverFirst.split(',').map((f) => [f[0], f.slice(2)]));
    expect(fields.r!.startsWith(clientNonce)).toBe(true);
    const salted = pbkdf2Sync(password, Buffer.from(fields.s!, 'base64'), Number(fields.i), hash === 'sha256' ? 32 : 64, hash);
    const clientKey = createHmac(hash, salted).update('Client Key').digest();
    const storedKey = createHash(hash).update(clientKey).digest();
    const withoutProof = `c=${Buffer.from(gs2).toString('base64')},r=${echoClientNonce ? clientNonce : ''}${fields.r!}`;
    const authMessage = `${bare},${serverFirst},${withoutProof}`;
    const signature = createHmac(hash, storedKey).update(authMessage).digest();
    const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i]!));
    const serverFinal = utf8(await server.evaluate(Buffer.from(`${withoutProof},p=${proof.toString('base64')}`)));
    const serverKey = createHmac(hash, salted).update('Server Key').digest();
    expect(serverFinal).toBe(`v=${createHmac(hash, serverKey).update(authMessage).digest('base64')}`);
    return serverFinal;
  }

  it.each(['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const)('authenticates a hand-written %s client, names with , and = escaped', async (mechanism) => {
    const server = new ScramServer(mechanism, store({ 'a,b=c': 'sécret' }));
    await clientExchange(mechanism, server, 'a,b=c', 'sécret');
    expect(server.authorizedUser).toBe('a,b=c');
  });

  it('accepts the nonce as librdkafka echoes it (its client part repeated in front)', async () => {
    const server = new ScramServer('SCRAM-SHA-512', store({ alice: 'pw' }));
    await clientExchange('SCRAM-SHA-512', server, 'alice', 'pw', 'n,,', true);
    expect(server.authorizedUser).toBe('alice');
  });

  it('accepts an authorization id equal to the user and refuses another', async () => {
    const ok = new ScramServer('SCRAM-SHA-512', store({ alice: 'pw' }));
    await clientExchange('SCRAM-SHA-512', ok, 'alice', 'pw', 'n,a=alice,');
    expect(ok.authorizedUser).toBe('alice');
    const other = new ScramServer('SCRAM-SHA-512', store({ alice: 'pw' }));
    await expect(other.evaluate(Buffer.from('n,a=bob,n=alice,r=abc'))).rejects.toThrow(/authorization id/);
  });

  it('fails a wrong password and an unknown user at the proof with the same message', async () => {
    const messages: string[] = [];
    for (const [user, password] of [['alice', 'wrong'], ['nobody', 'pw']] as const) {
      const server = new ScramServer('SCRAM-SHA-256', store({ alice: 'pw' }));
      const error = await clientExchange('SCRAM-SHA-256', server, user, password).then(() => undefined, (err: unknown) => err);
      expect(error).toBeInstanceOf(SaslAuthenticationError);
      messages.push((error as Error).message);
      expect(server.authorizedUser).toBeUndefined();
    }
    expect(messages[0]).toBe('Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256');
    expect(messages[1]).toBe(messages[0]);
  });

  it('gives an unknown user the same salt each time, and a well-formed first answer', async () => {
    const first = async (): Promise<string> => utf8(await new ScramServer('SCRAM-SHA-256', store({})).evaluate(Buffer.from('n,,n=ghost,r=xyz')));
    const [a, b] = [await first(), await first()];
    expect(a).toMatch(/^r=xyz[^,]+,s=[A-Za-z0-9+/=]+,i=4096$/);
    expect(a.split(',')[1]).toBe(b.split(',')[1]);
  });

  it('refuses channel binding, tokenauth, a changed nonce and messages after the end', async () => {
    await expect(new ScramServer('SCRAM-SHA-256', store({})).evaluate(Buffer.from('p=tls-unique,,n=u,r=x'))).rejects.toThrow(SaslAuthenticationError);
    await expect(new ScramServer('SCRAM-SHA-256', store({ u: 'p' })).evaluate(Buffer.from('n,,n=u,r=x,tokenauth=true'))).rejects.toThrow(/delegation tokens/);
    const server = new ScramServer('SCRAM-SHA-256', store({ u: 'p' }));
    await server.evaluate(Buffer.from('n,,n=u,r=x'));
    await expect(server.evaluate(Buffer.from('c=biws,r=other,p=AAAA'))).rejects.toThrow(/nonce/);
    // The server's nonce must still end the echoed one (librdkafka repeats the client's part in front).
    expect(server.authorizedUser).toBeUndefined();
    await expect(server.evaluate(Buffer.from('c=biws,r=x,p=AAAA'))).rejects.toThrow(/after the exchange failed/);
  });

  it('decodes saslnames and refuses a bare =', () => {
    expect(decodeSaslName('a=2Cb=3Dc')).toBe('a,b=c');
    expect(() => decodeSaslName('a=b')).toThrow(SaslAuthenticationError);
  });
});

describe('PlainServer', () => {
  const users = store({ alice: 'pw' });

  it('authenticates authcid/passwd with an empty or equal authzid', async () => {
    for (const token of ['\u0000alice\u0000pw', 'alice\u0000alice\u0000pw']) {
      const server = new PlainServer(users);
      expect((await server.evaluate(Buffer.from(token))).length).toBe(0);
      expect(server.authorizedUser).toBe('alice');
    }
  });

  it('fails a wrong password, an unknown user and another authzid', async () => {
    await expect(new PlainServer(users).evaluate(Buffer.from('\u0000alice\u0000nope'))).rejects.toThrow('Authentication failed: Invalid username or password');
    await expect(new PlainServer(users).evaluate(Buffer.from('\u0000bob\u0000pw'))).rejects.toThrow('Authentication failed: Invalid username or password');
    await expect(new PlainServer(users).evaluate(Buffer.from('bob\u0000alice\u0000pw'))).rejects.toThrow(/authorization id/);
    await expect(new PlainServer(users).evaluate(Buffer.from('alice'))).rejects.toThrow(/3 tokens/);
  });
});
