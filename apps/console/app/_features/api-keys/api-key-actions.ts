'use server';

import { revalidatePath } from 'next/cache';
import { type ActionResult, gatewayAction } from '../../_lib/gateway/action-result';
import { createApiKey, revokeApiKey } from '../../_lib/gateway/users';

/*
 * A user's API keys. The gateway lets admins manage anyone's keys and every user their
 * own; the session these calls carry decides which, so a forged call for someone else's
 * keys is refused there (403).
 */

const badText = (value: unknown, max: number): boolean => typeof value !== 'string' || value.length === 0 || value.length > max;

function revalidateKeys(user: string): void {
  revalidatePath('/account');
  revalidatePath(`/users/${encodeURIComponent(user)}`);
}

/** Answers the new key (`<id>.<secret>`), which the form shows once. */
export async function createApiKeyAction(user: string, input: { name: string; expiresAt: string }): Promise<ActionResult<{ id: string; key: string }>> {
  if (badText(user, 64) || badText(input.name, 128) || typeof input.expiresAt !== 'string') return { ok: false, code: 400, message: 'Give the key a name' };
  let expires_at: string | undefined;
  if (input.expiresAt !== '') {
    const at = new Date(input.expiresAt);
    if (Number.isNaN(at.getTime())) return { ok: false, code: 400, message: 'Not a date: the expiry' };
    expires_at = at.toISOString();
  }
  const result = await gatewayAction(() => createApiKey(user, { name: input.name, expires_at }));
  if (!result.ok) return result;
  revalidateKeys(user);
  return { ok: true, value: { id: result.value.id, key: result.value.key } };
}

export async function revokeApiKeyAction(user: string, keyId: string): Promise<ActionResult<string>> {
  if (badText(user, 64) || badText(keyId, 128)) return { ok: false, code: 400, message: 'Not an API key' };
  const result = await gatewayAction(() => revokeApiKey(user, keyId));
  if (!result.ok) return result;
  revalidateKeys(user);
  return { ok: true, value: `Key ${keyId} revoked.` };
}
