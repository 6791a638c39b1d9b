import { MAX_TOPIC_NAME_LENGTH, topicNameSchema } from './topic-name.js';

describe('topicNameSchema', () => {
  it.each(['orders', 'a', 'with.dots_and-dashes', 'x'.repeat(MAX_TOPIC_NAME_LENGTH)])('accepts %s', (name) => {
    expect(topicNameSchema.safeParse(name).success).toBe(true);
  });

  it.each(['', '.', '..', 'has space', 'slash/name', 'ümlaut', 'x'.repeat(MAX_TOPIC_NAME_LENGTH + 1)])('rejects %j', (name) => {
    expect(topicNameSchema.safeParse(name).success).toBe(false);
  });
});
