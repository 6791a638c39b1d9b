import { expect } from '@jest/globals';
import { KAFKA_ERRORS, isKafkaError, type KafkaErrorName } from '../../errors.js';

/** Awaits `action` and checks it failed with the named KafkaError; returns the message. */
export async function expectKafkaError(action: Promise<unknown> | (() => unknown), name: KafkaErrorName): Promise<string> {
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (err) {
    if (!isKafkaError(err, name)) throw err;
    return err.message;
  }
  throw new Error(`expected ${name}, but it succeeded`);
}

export function expectCode(result: { errorCode: number }, name: KafkaErrorName): void {
  expect(result.errorCode).toBe(KAFKA_ERRORS[name].code);
}
