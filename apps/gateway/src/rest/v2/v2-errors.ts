import { RestError } from '../../errors/rest-error.js';

/** Confluent REST Proxy's v2 error codes, with the messages its clients see. */
export const V2_ERRORS = {
  topicNotFound: (topic: string) => new RestError(40401, `Topic ${topic} not found.`),
  partitionNotFound: (topic: string, partition: number) => new RestError(40402, `Partition ${topic}-${partition} not found.`),
  instanceNotFound: () => new RestError(40403, 'Consumer instance not found.'),
  formatMismatch: () =>
    new RestError(40601, 'The requested embedded data format does not match the deserializer for this consumer instance'),
  alreadyExists: () => new RestError(40902, 'Consumer with specified consumer ID already exists in the specified consumer group.'),
  illegalState: (why: string) => new RestError(40903, `Illegal state: ${why}`),
  invalidConfig: (why: string) => new RestError(42204, `Invalid consumer configuration: ${why}`),
  invalidBody: (why: string) => new RestError(42200, `Invalid request body: ${why}`),
  jsonConversion: (why: string) => new RestError(42203, `Conversion of JSON to Object failed: ${why}`),
  /**
   * Group subscription and offset commits need the group coordinator, which comes with
   * a later issue. 501 says "not implemented by this server" rather than pretending;
   * 50102 is unused by Confluent (50101 is its "no SSL support").
   */
  notImplemented: (what: string) =>
    new RestError(50102, `${what} is not implemented yet: Weir's v2 consumers support manual assignment only (assignments, positions, records).`),
} as const;
