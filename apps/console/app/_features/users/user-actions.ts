'use server';

import { revalidatePath } from 'next/cache';
import { type ActionResult, gatewayAction } from '../../_lib/gateway/action-result';
import { createUser, deleteUser, updateUser, type UserChange } from '../../_lib/gateway/users';
import { isRole } from '../auth/permissions';

/*
 * An admin's changes to users. Server actions are public endpoints: arguments are checked
 * for shape here, and the gateway checks the rest (name rule, password length, the admin
 * role of the session these calls carry), its refusals shown with their codes.
 */

const badName = (name: unknown): boolean => typeof name !== 'string' || name.length === 0 || name.length > 64;
const refused = (message: string): ActionResult<string> => ({ ok: false, code: 400, message });

async function changed(name: string, change: UserChange, done: string): Promise<ActionResult<string>> {
  if (badName(name)) return refused('Not a user name');
  const result = await gatewayAction(() => updateUser(name, change));
  if (!result.ok) return result;
  revalidatePath('/users');
  return { ok: true, value: done };
}

export async function createUserAction(input: { name: string; role: string; password: string }): Promise<ActionResult<string>> {
  if (badName(input.name) || !isRole(input.role) || typeof input.password !== 'string') return refused('Give a name, a role and a password');
  const { name, role } = input;
  const result = await gatewayAction(() => createUser({ name, role, password: input.password === '' ? undefined : input.password }));
  if (!result.ok) return result;
  revalidatePath('/users');
  return { ok: true, value: `User ${name} created (${role}).` };
}

export async function changeRoleAction(name: string, role: string): Promise<ActionResult<string>> {
  if (!isRole(role)) return refused('Not a role');
  return changed(name, { role }, `${name} is now ${role}.`);
}

export async function setDisabledAction(name: string, disabled: boolean): Promise<ActionResult<string>> {
  if (typeof disabled !== 'boolean') return refused('Not a state');
  return changed(name, { disabled }, `${name} ${disabled ? 'disabled: its sessions and keys are refused' : 'enabled'}.`);
}

export async function resetPasswordAction(name: string, password: string): Promise<ActionResult<string>> {
  if (typeof password !== 'string' || password.length === 0) return refused('Give the new password');
  return changed(name, { password }, `${name}'s password changed.`);
}

export async function deleteUserAction(name: string): Promise<ActionResult<string>> {
  if (badName(name)) return refused('Not a user name');
  const result = await gatewayAction(() => deleteUser(name));
  if (!result.ok) return result;
  revalidatePath('/users');
  return { ok: true, value: `User ${name} deleted.` };
}
