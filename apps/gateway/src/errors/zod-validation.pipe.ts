import { type PipeTransform } from '@nestjs/common';
import { REST_ERROR_CODES } from '@weir/contracts';
import type { z } from 'zod';
import { RestError } from './rest-error.js';

/**
 * The one validation pipe: parses a body, parameter or query value with a contracts
 * schema and answers a failure with Confluent's 400 body naming each bad field, so a
 * malformed request never reaches a service (and never becomes a 500).
 */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    private readonly schema: S,
    private readonly what: string = 'request body',
    private readonly errorCode: number = REST_ERROR_CODES.BAD_REQUEST,
  ) {}

  transform(value: unknown): z.output<S> {
    if (value === undefined && this.what === 'request body') {
      throw new RestError(REST_ERROR_CODES.UNPROCESSABLE, 'Payload error. Request body is empty. Data is required.');
    }
    const parsed = this.schema.safeParse(value);
    if (!parsed.success) throw new RestError(this.errorCode, describeIssues(this.what, parsed.error.issues));
    return parsed.data;
  }
}

export function describeIssues(what: string, issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.slice(0, 5).map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message));
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  return `Invalid ${what}: ${parts.join('; ')}${more}`;
}
