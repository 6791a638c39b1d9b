import { z } from 'zod';

/**
 * The envelope every v3 resource carries, as Confluent's: `kind`, `metadata.self` (an
 * absolute URL built from the request's host) and `metadata.resource_name` (a CRN such
 * as `crn:///kafka=<cluster>/topic=<topic>`); links to related resources are
 * `{related: <url>}` objects.
 */
export const resourceMetadataSchema = z.object({
  self: z.string(),
  resource_name: z.string().nullable(),
});

export const collectionMetadataSchema = z.object({
  self: z.string(),
  next: z.string().nullable(),
});

export const relationshipSchema = z.object({ related: z.string() });
export type Relationship = z.infer<typeof relationshipSchema>;

export function resourceSchema<K extends string, S extends z.ZodRawShape>(kind: K, shape: S) {
  return z.object({ kind: z.literal(kind), metadata: resourceMetadataSchema, ...shape });
}

export function collectionSchema<K extends string, T extends z.ZodType>(kind: K, item: T) {
  return z.object({ kind: z.literal(kind), metadata: collectionMetadataSchema, data: z.array(item) });
}
