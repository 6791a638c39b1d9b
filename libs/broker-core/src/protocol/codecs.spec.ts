import fc from 'fast-check';
import { KafkaError } from '../errors.js';
import { expectKafkaError } from '../log/batch/testing/expect-kafka-error.js';
import { API_CATALOG } from './api-catalog.js';
import * as codecs from './codecs.js';
import { Reader } from './primitives/reader.js';
import { Writer } from './primitives/writer.js';
import type { FieldSchema, FieldType, MessageSchema } from './testing/message-schema.js';
import { MESSAGE_SCHEMAS } from './testing/message-schemas.js';

/**
 * Every generated message, in every version, both directions: random messages survive
 * encode -> decode (fields a version lacks come back as their defaults, so the random
 * messages hold defaults there), every strict prefix of an encoding is rejected, and
 * garbled bytes only ever raise KafkaError.
 */
type Message = Record<string, unknown>;
type Decode = (reader: Reader, version: number) => Message;
type Encode = (writer: Writer, message: Message, version: number) => Writer;
type Make = (fields?: Message) => Message;

const exported = codecs as unknown as Record<string, unknown>;

function lookup<T>(name: string): T {
  const fn = exported[name];
  if (typeof fn !== 'function') throw new Error(`codecs.ts exports no ${name}`);
  return fn as T;
}

const within = (range: readonly [number, number] | null, v: number): boolean => range !== null && v >= range[0] && v <= range[1];

const bytes = fc.uint8Array({ maxLength: 12 }).map((b) => Buffer.from(b));

const SCALARS: Record<FieldType, fc.Arbitrary<unknown>> = {
  bool: fc.boolean(),
  int8: fc.integer({ min: -128, max: 127 }),
  int16: fc.integer({ min: -32768, max: 32767 }),
  uint16: fc.integer({ min: 0, max: 65535 }),
  int32: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  uint32: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  int64: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  float64: fc.double({ noNaN: true }),
  uuid: fc.uuid(),
  string: fc.string({ unit: 'grapheme', maxLength: 8 }),
  bytes,
  records: bytes,
};

/**
 * Random values for the fields `version` carries, often their defaults (which tagged
 * fields leave unwritten); every other field keeps its default.
 */
function structArbitrary(schema: MessageSchema, iface: string, version: number): fc.Arbitrary<Message> {
  const defaults = lookup<Make>(`make${iface}`)();
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of schema.structs[iface]!) {
    if (within(field.versions, version)) fields[field.prop] = fc.oneof(fc.constant(defaults[field.prop]), fieldArbitrary(schema, field, version));
  }
  return fc.record(fields).map((values) => ({ ...defaults, ...values }));
}

function fieldArbitrary(schema: MessageSchema, field: FieldSchema, version: number): fc.Arbitrary<unknown> {
  const one = 'struct' in field ? structArbitrary(schema, field.struct, version) : SCALARS[field.type];
  const value = field.array ? fc.array(one, { maxLength: 2 }) : one;
  return within(field.nullable, version) ? fc.option(value, { nil: null }) : value;
}

const CASES = MESSAGE_SCHEMAS.flatMap((schema) =>
  Array.from({ length: schema.versions[1] - schema.versions[0] + 1 }, (_, i) => ({ schema, name: schema.name, version: schema.versions[0] + i })),
);

describe.each(CASES)('$name v$version', ({ schema, name, version }) => {
  const decode = lookup<Decode>(`decode${name}`);
  const encode = lookup<Encode>(`encode${name}`);
  const messages = structArbitrary(schema, name, version);

  it('round-trips random messages', () => {
    fc.assert(
      fc.property(messages, (message) => {
        const reader = new Reader(encode(new Writer(), message, version).toBuffer());
        expect(decode(reader, version)).toEqual(message);
        expect(reader.remaining).toBe(0);
      }),
      { numRuns: 40 },
    );
  });

  it('rejects truncated input and only ever throws KafkaError on garbled input', () => {
    fc.assert(
      fc.property(messages, fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 }), (message, cutSeed, atSeed, value) => {
        const full = encode(new Writer(), message, version).toBuffer();
        if (full.length === 0) return;
        expect(() => decode(new Reader(full.subarray(0, cutSeed % full.length)), version)).toThrow(KafkaError);
        const garbled = Buffer.from(full);
        garbled[atSeed % full.length] = value;
        try {
          decode(new Reader(garbled), version);
        } catch (err) {
          expect(err).toBeInstanceOf(KafkaError);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe.each(MESSAGE_SCHEMAS.map((schema) => ({ name: schema.name, versions: schema.versions })))('$name', ({ name, versions }) => {
  it('answers versions outside its range with UNSUPPORTED_VERSION, both ways', () => {
    const decode = lookup<Decode>(`decode${name}`);
    const encode = lookup<Encode>(`encode${name}`);
    const empty = lookup<Make>(`make${name}`)();
    for (const version of [versions[0] - 1, versions[1] + 1]) {
      expectKafkaError(() => decode(new Reader(Buffer.alloc(64)), version), 'UNSUPPORTED_VERSION');
      expectKafkaError(() => encode(new Writer(), empty, version), 'UNSUPPORTED_VERSION');
    }
  });
});

describe('the API catalog', () => {
  it('lists every generated API with the versions its codecs speak', () => {
    for (const api of API_CATALOG) {
      for (const kind of ['Request', 'Response']) {
        const schema = MESSAGE_SCHEMAS.find((s) => s.name === `${api.name}${kind}`);
        expect(schema?.versions).toEqual([api.min, api.max]);
      }
    }
    expect(API_CATALOG).toHaveLength(MESSAGE_SCHEMAS.length / 2);
  });
});
