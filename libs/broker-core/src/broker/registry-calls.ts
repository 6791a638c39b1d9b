import { isRegistryError, type RegistryErrorCode } from '../registry/registry-error.js';

/** Awaits a registry write whose failure with `code` means "already as wanted" (e.g. NODEEXISTS for an idempotent create). */
export async function ignoreRegistryError(write: Promise<unknown>, code: RegistryErrorCode): Promise<void> {
  try {
    await write;
  } catch (err) {
    if (!isRegistryError(err, code)) throw err;
  }
}
