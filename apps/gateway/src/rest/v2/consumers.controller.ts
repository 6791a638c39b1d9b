import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AssignmentsResponse, type CreateConsumerResponse, type V2ConsumerRecord, v2RecordsMediaType } from '@weir/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConsumersService } from './consumers.service.js';
import { RestError } from '../../errors/rest-error.js';
import { acceptedEmbeddedFormat } from './v2-media.js';
import { RestAuthorizer } from '../../acl/rest-authorizer.js';

const INSTANCE = 'v2/consumers/:group/instances/:instance';

/** Confluent REST Proxy v2 consumer instances: manual assignment, or group subscription with commits. */
@ApiTags('v2 consumers')
@Controller()
export class ConsumersController {
  constructor(private readonly consumers: ConsumersService, private readonly acl: RestAuthorizer) {}

  @Post('v2/consumers/:group')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a consumer instance (format binary or json; auto.offset.reset earliest or latest)' })
  create(@Param('group') group: string, @Body() body: unknown, @Req() req: FastifyRequest): CreateConsumerResponse {
    return this.consumers.create(group, body, `${req.protocol}://${req.headers.host ?? req.hostname}`);
  }

  @Delete(INSTANCE)
  @HttpCode(204)
  @ApiOperation({ summary: 'Close a consumer instance' })
  delete(@Param('group') group: string, @Param('instance') instance: string): void {
    this.consumers.delete(group, instance);
  }

  @Post(`${INSTANCE}/assignments`)
  @HttpCode(204)
  @ApiOperation({ summary: 'Assign partitions manually (replaces the assignment; an empty list unassigns)' })
  async assign(@Param('group') group: string, @Param('instance') instance: string, @Body() body: unknown, @Req() req: FastifyRequest): Promise<void> {
    for (const topic of topicsNamed(body, 'partitions')) this.acl.requireTopic(req, 'READ', topic);
    await this.consumers.assign(group, instance, body);
  }

  @Get(`${INSTANCE}/assignments`)
  @ApiOperation({ summary: 'The partitions assigned to the instance' })
  assignments(@Param('group') group: string, @Param('instance') instance: string): Promise<AssignmentsResponse> {
    return this.consumers.assignments(group, instance);
  }

  @Post(`${INSTANCE}/positions`)
  @HttpCode(204)
  @ApiOperation({ summary: 'Seek assigned partitions to offsets' })
  async seek(@Param('group') group: string, @Param('instance') instance: string, @Body() body: unknown): Promise<void> {
    await this.consumers.seek(group, instance, body);
  }

  @Post(`${INSTANCE}/positions/beginning`)
  @HttpCode(204)
  @ApiOperation({ summary: 'Seek assigned partitions to their log start offset' })
  async seekToBeginning(@Param('group') group: string, @Param('instance') instance: string, @Body() body: unknown): Promise<void> {
    await this.consumers.seekTo(group, instance, body, 'beginning');
  }

  @Post(`${INSTANCE}/positions/end`)
  @HttpCode(204)
  @ApiOperation({ summary: 'Seek assigned partitions to their end (the high watermark)' })
  async seekToEnd(@Param('group') group: string, @Param('instance') instance: string, @Body() body: unknown): Promise<void> {
    await this.consumers.seekTo(group, instance, body, 'end');
  }

  @Get(`${INSTANCE}/records`)
  @ApiOperation({
    summary: 'Fetch records from the assigned partitions (long-polls up to timeout ms; max_bytes bounds the response)',
    description: 'Each record carries topic, partition, offset, key, value, timestamp and headers [{key, value (base64)}].',
  })
  async records(
    @Param('group') group: string,
    @Param('instance') instance: string,
    @Query() query: Record<string, string>,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Req() req: FastifyRequest,
  ): Promise<V2ConsumerRecord[]> {
    // READ on every topic the instance reads (assigned by hand or by its group), as a Kafka consumer's Fetch.
    for (const topic of new Set((await this.consumers.assignments(group, instance)).partitions.map((p) => p.topic))) this.acl.requireTopic(req, 'READ', topic);
    const result = await this.consumers.records(group, instance, query, acceptedEmbeddedFormat(accept));
    void reply.type(v2RecordsMediaType(result.format));
    return result.records;
  }

  @Post(`${INSTANCE}/subscription`)
  @HttpCode(204)
  @ApiOperation({
    summary: 'Subscribe to topics ({topics}) or a pattern ({topic_pattern}): the instance joins its consumer group',
    description: 'Partitions are assigned by the group (partition.assignment.strategy from the create body; default range, then cooperative-sticky). '
      + 'Excludes manual assignment (409 40903). A group coordinated by a broker this gateway does not host is 500 50003.',
  })
  async subscribe(@Param('group') group: string, @Param('instance') instance: string, @Body() body: unknown, @Req() req: FastifyRequest): Promise<void> {
    // Joining the group needs READ on it (JoinGroup); the topics named, READ on each.
    this.acl.requireGroup(req, 'READ', group);
    for (const topic of topicsNamed(body, 'topics')) this.acl.requireTopic(req, 'READ', topic);
    await this.consumers.subscribe(group, instance, body, `/${req.ip}`);
  }

  @Get(`${INSTANCE}/subscription`)
  @ApiOperation({ summary: 'The topics the instance is subscribed to' })
  subscription(@Param('group') group: string, @Param('instance') instance: string): { topics: string[] } {
    return this.consumers.subscription(group, instance);
  }

  @Delete(`${INSTANCE}/subscription`)
  @HttpCode(204)
  @ApiOperation({ summary: 'Unsubscribe: the instance leaves its group (LeaveGroup)' })
  async unsubscribe(@Param('group') group: string, @Param('instance') instance: string): Promise<void> {
    await this.consumers.unsubscribe(group, instance);
  }

  @Post(`${INSTANCE}/offsets`)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Commit offsets: the given ones (each the last consumed offset; offset + 1 is stored), or with no body every consumed position',
  })
  async commitOffsets(@Param('group') group: string, @Param('instance') instance: string, @Body() body: unknown, @Req() req: FastifyRequest): Promise<void> {
    this.acl.requireGroup(req, 'READ', group);
    for (const topic of topicsNamed(body, 'offsets')) this.acl.requireTopic(req, 'READ', topic);
    await this.consumers.commitOffsets(group, instance, body);
  }

  @Get(`${INSTANCE}/offsets`)
  @ApiOperation({ summary: 'Committed offsets of the partitions in the body ({partitions: [{topic, partition}]})' })
  async committedOffsets(
    @Param('group') group: string,
    @Param('instance') instance: string,
    @Req() req: FastifyRequest,
  ): Promise<{ offsets: { topic: string; partition: number; offset: number; metadata: string }[] }> {
    return this.consumers.committedOffsets(group, instance, await getBody(req));
  }
}

/** The topic names a v2 body lists (`topics: [name]`, or `partitions`/`offsets: [{topic}]`); the service validates the body itself. */
function topicsNamed(body: unknown, key: 'topics' | 'partitions' | 'offsets'): string[] {
  const list = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[key] : undefined;
  if (!Array.isArray(list)) return [];
  const names = list.map((item: unknown) => (typeof item === 'string' ? item : typeof item === 'object' && item !== null ? (item as { topic?: unknown }).topic : undefined));
  return [...new Set(names.filter((n): n is string => typeof n === 'string'))];
}

/**
 * Confluent's GET .../offsets carries its partitions in a body, which Fastify does not
 * parse on GET: the raw stream is read here (bounded to 1 MiB).
 */
async function getBody(req: FastifyRequest): Promise<unknown> {
  if (req.body !== undefined) return req.body;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req.raw) {
    size += (chunk as Buffer).length;
    if (size > 1024 * 1024) throw new RestError(413, 'Request body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RestError(400, 'Request body is not valid JSON');
  }
}
