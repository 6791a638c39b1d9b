import { REST_ERROR_CODES } from '@weir/contracts';
import { z } from 'zod';
import { ZodValidationPipe } from '../../../errors/zod-validation.pipe.js';

/** Confluent REST Proxy's ACL enums (the names Kafka's tools print). */
export const aclResourceTypeSchema = z.enum(['TOPIC', 'GROUP', 'CLUSTER', 'TRANSACTIONAL_ID']);
export const aclPatternTypeSchema = z.enum(['LITERAL', 'PREFIXED']);
export const aclOperationSchema = z.enum([
  'ALL', 'READ', 'WRITE', 'CREATE', 'DELETE', 'ALTER', 'DESCRIBE', 'CLUSTER_ACTION', 'DESCRIBE_CONFIGS', 'ALTER_CONFIGS', 'IDEMPOTENT_WRITE',
]);
export const aclPermissionSchema = z.enum(['ALLOW', 'DENY']);

/** POST /v3/clusters/{id}/acls: one ACL. */
export const aclCreateRequestSchema = z.object({
  resource_type: aclResourceTypeSchema,
  resource_name: z.string().min(1).max(1024),
  pattern_type: aclPatternTypeSchema,
  principal: z.string().regex(/^User:.+$/, 'must be User:<name> or User:*'),
  host: z.string().min(1).max(255).default('*'),
  operation: aclOperationSchema,
  permission: aclPermissionSchema,
}).strict();
export type AclCreateRequest = z.output<typeof aclCreateRequestSchema>;

/** GET and DELETE filters: every field optional; ANY matches anything, MATCH (patterns) as Kafka. */
export const aclFilterQuerySchema = z.object({
  resource_type: z.enum([...aclResourceTypeSchema.options, 'ANY']).default('ANY'),
  resource_name: z.string().min(1).optional(),
  pattern_type: z.enum([...aclPatternTypeSchema.options, 'ANY', 'MATCH']).default('ANY'),
  principal: z.string().min(1).optional(),
  host: z.string().min(1).optional(),
  operation: z.enum([...aclOperationSchema.options, 'ANY']).default('ANY'),
  permission: z.enum([...aclPermissionSchema.options, 'ANY']).default('ANY'),
});
export type AclFilterQuery = z.output<typeof aclFilterQuerySchema>;

const metadataSchema = z.object({ self: z.string() });

export const aclDataSchema = z.object({
  kind: z.literal('KafkaAcl'),
  metadata: metadataSchema,
  cluster_id: z.string(),
  resource_type: aclResourceTypeSchema,
  resource_name: z.string(),
  pattern_type: aclPatternTypeSchema,
  principal: z.string(),
  host: z.string(),
  operation: aclOperationSchema,
  permission: aclPermissionSchema,
});
export type AclData = z.output<typeof aclDataSchema>;

export const aclDataListSchema = z.object({ kind: z.literal('KafkaAclDataList'), metadata: metadataSchema, data: z.array(aclDataSchema) });
export type AclDataList = z.output<typeof aclDataListSchema>;

export const aclDeleteResponseSchema = z.object({ data: z.array(aclDataSchema) });
export type AclDeleteResponse = z.output<typeof aclDeleteResponseSchema>;

/** Bad enums and missing fields are Kafka's refusals here: Confluent answers 40002. */
export const aclCreateBody = new ZodValidationPipe(aclCreateRequestSchema, 'ACL', REST_ERROR_CODES.KAFKA_BAD_REQUEST);
export const aclFilterQuery = new ZodValidationPipe(aclFilterQuerySchema, 'ACL filter', REST_ERROR_CODES.KAFKA_BAD_REQUEST);
