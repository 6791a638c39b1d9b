import { z } from 'zod';
import { ROLES } from './request-user.js';

/** A user name: also the Kafka principal `User:<name>`, so no spaces, colons or commas. */
export const userNameSchema = z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, '1 to 64 characters of A-Z a-z 0-9 . _ @ -');
const passwordSchema = z.string().min(12, 'at least 12 characters').max(1024);

export const loginSchema = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) });
export const loginLinkSchema = z.object({ token: z.string().min(1).max(256) });

export const createUserSchema = z.object({ name: userNameSchema, role: z.enum(ROLES), password: passwordSchema.optional() });
export type CreateUser = z.infer<typeof createUserSchema>;

export const updateUserSchema = z
  .object({ role: z.enum(ROLES).optional(), password: passwordSchema.optional(), disabled: z.boolean().optional() })
  .refine((u) => u.role !== undefined || u.password !== undefined || u.disabled !== undefined, 'give at least one of role, password, disabled');
export type UpdateUser = z.infer<typeof updateUserSchema>;

export const createApiKeySchema = z.object({
  name: z.string().min(1).max(128),
  expires_at: z.iso.datetime({ offset: true }).optional(),
});
export type CreateApiKey = z.infer<typeof createApiKeySchema>;

/** User JSON: never the password hash or SCRAM credentials. */
export const userViewSchema = z.object({
  name: z.string(),
  role: z.enum(ROLES),
  disabled: z.boolean(),
  has_password: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type UserView = z.infer<typeof userViewSchema>;
export const userListSchema = z.array(userViewSchema);

export const apiKeyViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  created_at: z.string(),
  expires_at: z.string().nullable(),
  last_used_at: z.string().nullable(),
});
export type ApiKeyView = z.infer<typeof apiKeyViewSchema>;
export const apiKeyListSchema = z.array(apiKeyViewSchema);
/** A new key: `key` is `<id>.<secret>`, shown this once. */
export const createdApiKeySchema = apiKeyViewSchema.extend({ key: z.string() });

export const loginResponseSchema = z.object({
  user: z.object({ name: z.string(), role: z.enum(ROLES) }),
  csrf_token: z.string(),
});
export type LoginResponse = z.infer<typeof loginResponseSchema>;

export const meSchema = z.object({
  name: z.string(),
  role: z.enum(ROLES),
  via: z.enum(['session', 'basic', 'api-key', 'none']),
  auth_enabled: z.boolean(),
  csrf_token: z.string().nullable(),
});
export type Me = z.infer<typeof meSchema>;
