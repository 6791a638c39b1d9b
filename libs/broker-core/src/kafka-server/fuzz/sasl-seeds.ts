import { API_KEYS } from '../../protocol/api-keys.js';
import { encodeSaslAuthenticateRequest, makeSaslAuthenticateRequest } from '../../protocol/saslAuthenticate/index.js';
import { encodeSaslHandshakeRequest, makeSaslHandshakeRequest } from '../../protocol/saslHandshake/index.js';
import { text, type SeedBuilder } from './seeds.js';

/**
 * Seeds for the SASL APIs. The fuzzed listener is PLAINTEXT, where both answer
 * ILLEGAL_SASL_STATE and keep the connection (a SASL listener would close it).
 */
const saslHandshake: SeedBuilder = (rng, v, _ctx, out) => {
  encodeSaslHandshakeRequest(out, makeSaslHandshakeRequest({ mechanism: rng.weighted([[3, () => rng.pick(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'])], [1, () => text(rng)]])() }), v);
};

const saslAuthenticate: SeedBuilder = (rng, v, _ctx, out) => {
  encodeSaslAuthenticateRequest(out, makeSaslAuthenticateRequest({ authBytes: Buffer.from(rng.weighted([[1, () => 'n,,n=fuzz,r=abc'], [1, () => '\u0000fuzz\u0000pw'], [1, () => text(rng)]])()) }), v);
};

export const SASL_SEED_BUILDERS: readonly (readonly [number, SeedBuilder])[] = [
  [API_KEYS.SaslHandshake, saslHandshake],
  [API_KEYS.SaslAuthenticate, saslAuthenticate],
];
