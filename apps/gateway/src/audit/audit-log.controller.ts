import { Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { ZodValidationPipe } from '../errors/zod-validation.pipe.js';
import { ApiV3 } from '../rest/v3/common/openapi.js';
import { type AuditLogData, type AuditLogQuery, auditLogQuerySchema, auditLogSchema } from './audit-log.schema.js';
import { AuditLogService } from './audit-log.service.js';

const query = new ZodValidationPipe(auditLogQuerySchema, 'query');

/** The audit log (admin): who changed what, through which door, and how it went. */
@ApiTags('Audit log (Weir)')
@Controller('v3/audit-log')
export class AuditLogController {
  constructor(private readonly audit: AuditLogService) {}

  @Get()
  @ApiV3({
    summary: 'List Audit Log Entries (admin; Weir extension)',
    description:
      'Newest first. Filters: actor, action (e.g. topic.create), door (rest, console, kafka), result (success, failure), resource (substring), ' +
      'since/until (ISO-8601), limit (at most 1000, default 100) and offset. format=csv streams every match as text/csv (RFC 4180; ' +
      'cells starting with = + - @ are prefixed with an apostrophe) with the same columns; limit and offset do not apply to it.',
    status: 200,
    response: auditLogSchema,
    errors: [400, 401, 403],
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiQuery({ name: 'actor', required: false, type: String })
  @ApiQuery({ name: 'action', required: false, type: String })
  @ApiQuery({ name: 'door', required: false, enum: ['rest', 'console', 'kafka'] })
  @ApiQuery({ name: 'result', required: false, enum: ['success', 'failure'] })
  @ApiQuery({ name: 'resource', required: false, type: String, description: 'Substring of the resource, e.g. orders or topic:orders' })
  @ApiQuery({ name: 'since', required: false, type: String, description: 'ISO-8601, inclusive' })
  @ApiQuery({ name: 'until', required: false, type: String, description: 'ISO-8601, exclusive' })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiQuery({ name: 'offset', required: false, type: Number })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  list(@Query(query) q: AuditLogQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<AuditLogData> | StreamableFile {
    if (q.format === 'csv') {
      void reply.header('Content-Type', 'text/csv; charset=utf-8');
      return new StreamableFile(Readable.from(this.audit.csv(q)), { disposition: 'attachment; filename="weir-audit-log.csv"', type: 'text/csv; charset=utf-8' });
    }
    return this.audit.list(q);
  }
}
