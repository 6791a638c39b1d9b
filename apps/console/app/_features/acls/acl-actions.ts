'use server';

import { revalidatePath } from 'next/cache';
import { type ActionResult, gatewayAction } from '../../_lib/gateway/action-result';
import { createAcl, deleteAcl } from '../../_lib/gateway/acls';
import type { AclBinding } from './acl-binding';
import { parseAclBinding } from './acl-input';

/** A server action is a public endpoint: the binding is checked here, then by the gateway (admin only). */
async function withBinding<T>(input: Record<string, unknown>, change: (b: AclBinding) => Promise<T>, done: (b: AclBinding, value: T) => string): Promise<ActionResult<string>> {
  const parsed = parseAclBinding(input ?? {});
  if (!parsed.ok) return { ok: false, code: 400, message: parsed.message };
  const b = parsed.binding;
  const result = await gatewayAction(() => change(b));
  if (!result.ok) return result;
  revalidatePath('/acls');
  return { ok: true, value: done(b, result.value) };
}

export async function createAclAction(input: Record<string, unknown>): Promise<ActionResult<string>> {
  return withBinding(input, createAcl, (b) => `${b.permission} ${b.operation} on ${b.resource_type} ${b.resource_name} (${b.pattern_type}) for ${b.principal} from ${b.host}.`);
}

export async function deleteAclAction(input: Record<string, unknown>): Promise<ActionResult<string>> {
  return withBinding(input, deleteAcl, (_b, deleted) => `Deleted ${deleted.length} ACL${deleted.length === 1 ? '' : 's'}.`);
}
