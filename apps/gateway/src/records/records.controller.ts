import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { RECORD_FORMATS, SCAN_DEFAULTS, type ReadRecordsResponse } from '@weir/contracts';
import type { FastifyRequest } from 'fastify';
import { RestAuthorizer } from '../acl/rest-authorizer.js';
import { RecordsService } from './records.service.js';

/** Weir's extension to v3: read records of one partition (Confluent's v3 has no consume). */
@ApiTags('records (Weir extension)')
@Controller('v3/clusters/:cluster_id/topics/:topic_name/partitions/:partition_id/records')
export class RecordsController {
  constructor(private readonly records: RecordsService, private readonly acl: RestAuthorizer) {}

  @Get()
  @ApiOperation({
    summary: 'Read records of one partition (Weir extension)',
    description:
      'Starts at exactly one of offset, timestamp or from (default: oldest going forward, newest going backward). ' +
      'direction=backward returns records newest-first ending at the start point. Keys, values and header values are ' +
      'decoded as format says (key_format/value_format/header_format override it); each decoded field reports the ' +
      'format its data is in (base64 when bytes are not UTF-8, string when not JSON), its full size, and truncated ' +
      'when cut at max_field_bytes. next_offset continues the read; log_start_offset and high_watermark bound the ' +
      'partition; last_stable_offset is where read_committed consumers stop (below the HW while a transaction is open). ' +
      'key_contains, value_contains and header_contains (case-sensitive substrings of the bytes; a header matches by name or value) ' +
      'keep only matching records and scan on until max_records match, the partition ends or the scan budget ' +
      '(max_scan_records, max_scan_bytes) runs out; the response then adds scanned_records, scanned_to_offset (the last ' +
      'offset examined) and scan_budget_exhausted, and next_offset continues the scan. Errors: 400 bad parameter, 404 40403 unknown topic or partition, 404 40402 offset out of range.',
  })
  @ApiParam({ name: 'cluster_id' })
  @ApiParam({ name: 'topic_name' })
  @ApiParam({ name: 'partition_id', type: Number })
  @ApiQuery({ name: 'offset', required: false, type: String, description: 'Start offset (int64)' })
  @ApiQuery({ name: 'timestamp', required: false, type: String, description: 'Start at the first record with timestamp >= this (ms since the epoch or ISO 8601)' })
  @ApiQuery({ name: 'from', required: false, enum: ['oldest', 'newest'] })
  @ApiQuery({ name: 'direction', required: false, enum: ['forward', 'backward'] })
  @ApiQuery({ name: 'max_records', required: false, type: Number, description: '1-10000, default 100' })
  @ApiQuery({ name: 'max_bytes', required: false, type: Number, description: 'Response budget in bytes, default 1 MiB' })
  @ApiQuery({ name: 'max_field_bytes', required: false, type: Number, description: 'Truncate keys, values and header values beyond this, default 64 KiB' })
  @ApiQuery({ name: 'format', required: false, enum: RECORD_FORMATS, description: 'Default string' })
  @ApiQuery({ name: 'key_format', required: false, enum: RECORD_FORMATS })
  @ApiQuery({ name: 'value_format', required: false, enum: RECORD_FORMATS })
  @ApiQuery({ name: 'header_format', required: false, enum: RECORD_FORMATS })
  @ApiQuery({ name: 'key_contains', required: false, type: String, description: 'Keep records whose key contains this (case-sensitive, on the bytes)' })
  @ApiQuery({ name: 'value_contains', required: false, type: String, description: 'Keep records whose value contains this' })
  @ApiQuery({ name: 'header_contains', required: false, type: String, description: 'Keep records with a header whose name or value contains this' })
  @ApiQuery({ name: 'max_scan_records', required: false, type: Number, description: `With a filter: records examined at most, default ${SCAN_DEFAULTS.maxScanRecords}` })
  @ApiQuery({ name: 'max_scan_bytes', required: false, type: Number, description: `With a filter: payload bytes examined at most, default ${SCAN_DEFAULTS.maxScanBytes}` })
  read(
    @Param('cluster_id') clusterId: string,
    @Param('topic_name') topic: string,
    @Param('partition_id') partition: string,
    @Query() query: Record<string, unknown>,
    @Req() req: FastifyRequest,
  ): Promise<ReadRecordsResponse> {
    this.acl.requireTopic(req, 'READ', topic);
    return this.records.read(clusterId, topic, partition, query);
  }
}
