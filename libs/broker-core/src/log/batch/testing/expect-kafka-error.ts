import { type KafkaErrorName, KafkaError } from '../../../errors.js';

/** Asserts that `run` throws a KafkaError of the given name (and message, if given). */
export function expectKafkaError(run: () => unknown, name: KafkaErrorName, message?: RegExp): void {
  let caught: unknown;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(KafkaError);
  expect((caught as KafkaError).errorName).toBe(name);
  if (message) expect((caught as KafkaError).message).toMatch(message);
}
