import { KafkaError } from '../../errors.js';

/** The versions a message codec speaks, as the generated `*_VERSIONS` constants give them. */
export interface VersionRange {
  readonly min: number;
  readonly max: number;
}

/** Generated decoders and encoders call this first: other versions are UNSUPPORTED_VERSION. */
export function checkMessageVersion(message: string, version: number, range: VersionRange): void {
  if (!Number.isInteger(version) || version < range.min || version > range.max) {
    throw new KafkaError('UNSUPPORTED_VERSION', `${message} v${version} (speaks v${range.min}-v${range.max})`);
  }
}

/**
 * For a field that is nullable only in some versions: encoding a null in a version where
 * the wire type cannot carry one is a bug in the caller, reported like the Writer's other
 * unencodable values.
 */
export function requireNonNull<T>(value: T | null, field: string, version: number): T {
  if (value === null) throw new RangeError(`${field} is not nullable in v${version}`);
  return value;
}
