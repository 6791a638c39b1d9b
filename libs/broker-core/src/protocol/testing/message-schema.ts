/**
 * What the property tests know of a message: every field of every struct, with the
 * versions it exists and is nullable in. Generated into message-schemas.ts by
 * scripts/gen-protocol.mjs from the same definitions as the codecs.
 */
export type FieldType = 'bool' | 'int8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'float64' | 'uuid' | 'string' | 'bytes' | 'records';

interface FieldBase {
  prop: string;
  array: boolean;
  /** Inclusive; the upper bound is Infinity for "n+". */
  versions: readonly [number, number];
  nullable: readonly [number, number] | null;
}

export type FieldSchema = (FieldBase & { type: FieldType }) | (FieldBase & { struct: string });

export interface MessageSchema {
  /** The message's name, e.g. ProduceRequest: the codecs are decode<name>, encode<name>, make<name>. */
  name: string;
  api: string;
  versions: readonly [number, number];
  /** By interface name; the message itself is the struct named `name`. */
  structs: Readonly<Record<string, readonly FieldSchema[]>>;
}
