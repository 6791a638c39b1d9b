import type { Role } from '../../_features/auth/permissions';
import { gatewayRequest } from './http';

/** A console/REST user as the gateway shows one (never a password hash). */
export interface UserData {
  name: string;
  role: Role;
  disabled: boolean;
  has_password: boolean;
  created_at: string;
  updated_at: string;
}

export interface ApiKeyData {
  /** The key's public id: the part before the dot. */
  id: string;
  name: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
}

/** A new key: `key` (`<id>.<secret>`) is shown this once; the gateway keeps only a hash of the secret. */
export interface CreatedApiKey extends ApiKeyData {
  key: string;
}

export interface UserChange {
  role?: Role;
  password?: string;
  disabled?: boolean;
}

const userPath = (name: string, suffix = '') => `/v3/users/${encodeURIComponent(name)}${suffix}`;

export function listUsers(): Promise<UserData[]> {
  return gatewayRequest<UserData[]>('/v3/users');
}

export function createUser(user: { name: string; role: Role; password?: string }): Promise<UserData> {
  return gatewayRequest<UserData>('/v3/users', { method: 'POST', body: user });
}

export function updateUser(name: string, change: UserChange): Promise<UserData> {
  return gatewayRequest<UserData>(userPath(name), { method: 'PATCH', body: change });
}

export function deleteUser(name: string): Promise<void> {
  return gatewayRequest<void>(userPath(name), { method: 'DELETE' });
}

/** A user's keys: admins may list anyone's, every user their own. */
export function listApiKeys(user: string): Promise<ApiKeyData[]> {
  return gatewayRequest<ApiKeyData[]>(userPath(user, '/api-keys'));
}

export function createApiKey(user: string, key: { name: string; expires_at?: string }): Promise<CreatedApiKey> {
  return gatewayRequest<CreatedApiKey>(userPath(user, '/api-keys'), { method: 'POST', body: key });
}

export function revokeApiKey(user: string, keyId: string): Promise<void> {
  return gatewayRequest<void>(userPath(user, `/api-keys/${encodeURIComponent(keyId)}`), { method: 'DELETE' });
}
