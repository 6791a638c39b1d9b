import fc from 'fast-check';

/** The parts of an OpenAPI 3 document the fuzzer reads (Nest's swagger output). */
export interface JsonSchema {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly enum?: readonly unknown[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly nullable?: boolean;
  readonly oneOf?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
}

export interface Operation {
  readonly method: string;
  readonly path: string;
  readonly parameters: ReadonlyArray<{ readonly name: string; readonly in: string; readonly schema?: JsonSchema }>;
  readonly body: JsonSchema | undefined;
}

export interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, {
    readonly parameters?: Operation['parameters'];
    readonly requestBody?: { readonly content?: Readonly<Record<string, { readonly schema?: JsonSchema }>> };
  }>>>>;
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      ops.push({ method: method.toUpperCase(), path, parameters: op.parameters ?? [], body: op.requestBody?.content?.['application/json']?.schema ?? (op.requestBody ? {} : undefined) });
    }
  }
  return ops;
}

/** Strings an attacker would try: traversal, NUL and control bytes, markup, huge, unicode, numbers in text. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('../../etc/passwd', '..', '.', '%2e%2e%2f', 'a\u0000b', '\u0000', '<script>alert(1)</script>', "' OR 1=1 --", '${7*7}', '{{7*7}}',
    '__proto__', 'constructor', '-1', '1e309', 'NaN', '9'.repeat(40), '\ud800', '\u202e', 'ü', '日本語', '🙂', ' ', ''),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 240, max: 5000 }).map((n) => 'x'.repeat(n)),
);

/** Any JSON value, hostile strings included. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  hostileString,
  fc.constantFrom(null, true, -1, 0, 2 ** 53, -(2 ** 31) - 1, 1.5, [], {}),
);

/** Values that mostly satisfy `schema`, with hostile values mixed in at every level. */
export function valueFor(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const valid = validFor(schema, depth);
  return depth > 3 ? valid : fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: hostileJson });
}

function validFor(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const choices = schema.oneOf ?? schema.anyOf;
  if (choices !== undefined && choices.length > 0) return fc.oneof(...choices.map((s) => valueFor(s, depth + 1)));
  if (schema.allOf !== undefined && schema.allOf.length > 0) return valueFor(Object.assign({}, ...schema.allOf) as JsonSchema, depth + 1);
  if (schema.enum !== undefined && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const base = baseFor(schema, depth);
  return schema.nullable === true ? fc.option(base, { nil: null }) : base;
}

function baseFor(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  switch (schema.type) {
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -(2 ** 31), max: schema.maximum ?? 2 ** 31 - 1 });
    case 'number':
      return fc.oneof(fc.integer({ min: schema.minimum ?? -(2 ** 31), max: schema.maximum ?? 2 ** 31 - 1 }), fc.double({ noNaN: true }));
    case 'boolean':
      return fc.boolean();
    case 'string':
      return fc.oneof(fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 64, 300) }), hostileString);
    case 'array':
      return fc.array(valueFor(schema.items ?? {}, depth + 1), { maxLength: 5 });
    case 'object':
    case undefined: {
      if (schema.properties === undefined) return schema.type === 'object' ? fc.dictionary(fc.string({ maxLength: 10 }), hostileJson, { maxKeys: 4 }) : hostileJson;
      const required = new Set(schema.required ?? []);
      const props = Object.fromEntries(Object.entries(schema.properties).map(([k, s]) => [k, valueFor(s, depth + 1)]));
      return fc.record(props, { requiredKeys: Object.keys(props).filter((k) => required.has(k)) });
    }
    default:
      return hostileJson;
  }
}

/** A raw request body: JSON from the schema, any JSON, or bytes that are not JSON at all. */
export function rawBodyFor(schema: JsonSchema): fc.Arbitrary<{ text: string; contentType: string }> {
  return fc.oneof(
    { weight: 6, arbitrary: valueFor(schema).map((v) => ({ text: JSON.stringify(v) ?? 'null', contentType: 'application/json' })) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((text) => ({ text, contentType: 'application/json' })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 50 }).map((text) => ({ text, contentType: 'text/plain' })) },
    { weight: 1, arbitrary: fc.constant({ text: '{"a":'.repeat(2000), contentType: 'application/json' }) },
  );
}
