import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, type SchemaObject } from '@nestjs/swagger';
import { confluentErrorSchema } from '@weir/contracts';
import { z } from 'zod';

/**
 * OpenAPI schemas generated from the contracts' zod schemas, so /openapi.json describes
 * exactly what the validation pipe accepts and what the services return.
 */
export function openApiSchemaOf(schema: z.ZodType, io: 'input' | 'output'): SchemaObject {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json as SchemaObject;
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad request: a malformed body or parameter (error_code 400), or a request Kafka refuses (40002)',
  404: 'Unknown cluster (error_code 404) or unknown topic or partition (40403)',
  413: 'The request body is larger than the server accepts',
  415: 'The body is not application/json',
  409: 'The cluster is already as asked or busy changing (40901), or the broker is hosted by another process (40902)',
  422: 'Empty body, or (records:batch) an empty batch, duplicate ids or too many entries (42208)',
  500: 'A retriable Kafka error (50003): no eligible leader, not the leader, too few in-sync replicas, no controller',
  503: 'No broker of this gateway is running (50302)',
};

/** Operation summary, the success response and the Confluent error bodies it may answer. */
export function ApiV3(options: {
  summary: string;
  status: number;
  response?: z.ZodType;
  body?: z.ZodType;
  errors?: readonly number[];
  /** What a status means for this operation, where the general description says too little. */
  errorNotes?: Readonly<Record<number, string>>;
  description?: string;
}): MethodDecorator & ClassDecorator {
  const decorators = [
    ApiOperation({ summary: options.summary, description: options.description }),
    ApiResponse({
      status: options.status,
      description: options.response === undefined ? 'No content' : 'OK',
      ...(options.response === undefined ? {} : { schema: openApiSchemaOf(options.response, 'output') }),
    }),
  ];
  if (options.body !== undefined) {
    decorators.push(ApiBody({ required: true, schema: openApiSchemaOf(options.body, 'input') }));
  }
  const errorSchema = openApiSchemaOf(confluentErrorSchema, 'output');
  for (const status of options.errors ?? [400, 404]) {
    const description = options.errorNotes?.[status] ?? ERROR_DESCRIPTIONS[status] ?? 'Error';
    decorators.push(ApiResponse({ status, description, schema: errorSchema }));
  }
  return applyDecorators(...decorators);
}
