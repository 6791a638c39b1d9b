import { describe, expect, it } from '@jest/globals';
import { InMemoryRegistryStore } from './memory-store.js';
import { Registry } from './registry.js';

/** A store whose database is gone at open: load fails. */
class UnloadableStore extends InMemoryRegistryStore {
  closes = 0;
  override async load(): Promise<never> {
    throw new Error('database unreachable');
  }
  override async close(): Promise<void> {
    this.closes += 1;
  }
}

describe('Registry.open', () => {
  it('closes the store whose tree could not be loaded, and reports the load error', async () => {
    const store = new UnloadableStore();
    await expect(Registry.open({ store })).rejects.toThrow('database unreachable');
    expect(store.closes).toBe(1);
  });
});
