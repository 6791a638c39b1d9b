import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { type TopicSummaryList, topicSummaryListSchema, type TopicSummaryQuery, topicSummaryQuerySchema, topicSummarySortSchema } from '@weir/contracts';
import { ZodValidationPipe } from '../../../errors/zod-validation.pipe.js';
import { JsonOnlyInterceptor } from '../common/json-only.interceptor.js';
import { ApiV3 } from '../common/openapi.js';
import { ClusterIdPipe } from '../common/params.js';
import { TopicSummariesService } from './topic-summaries.service.js';

const summaryQuery = new ZodValidationPipe(topicSummaryQuerySchema, 'query');

@ApiTags('Topic (v3)')
@Controller('v3/clusters/:cluster_id/topic-summaries')
@UseInterceptors(JsonOnlyInterceptor)
export class TopicSummariesController {
  constructor(private readonly summaries: TopicSummariesService) {}

  @Get()
  @ApiV3({
    summary: 'List Topic Summaries (Weir extension: searched, sorted and paged server-side)',
    description: 'One page of topics with partitions, replication factor, under-replicated and offline partitions, size (sum of the '
      + 'partitions\' log sizes), records and bytes in per second (over the last sample interval, as the /live topics channel; 0 on the '
      + 'first call), and for the page\'s topics only: the consumer groups with committed offsets on the topic (count and the first '
      + 'five ids) and their total lag. Groups are those coordinated by this gateway\'s brokers; groups coordinated by brokers of '
      + 'other processes are not included. Sorting by groups or lag is not offered: it would compute lag for every topic. '
      + 'metadata.total counts the topics matching name_contains.',
    status: 200, response: topicSummaryListSchema, errors: [400, 404],
  })
  @ApiQuery({ name: 'name_contains', required: false, type: String, description: 'Case-insensitive substring of the topic name' })
  @ApiQuery({ name: 'sort_by', required: false, enum: topicSummarySortSchema.options })
  @ApiQuery({ name: 'order', required: false, enum: ['asc', 'desc'] })
  @ApiQuery({ name: 'offset', required: false, type: Number })
  @ApiQuery({ name: 'limit', required: false, type: Number, description: '1 to 500, default 50' })
  @ApiQuery({ name: 'include_internal', required: false, enum: ['true', 'false'] })
  list(@Param('cluster_id', ClusterIdPipe) _clusterId: string, @Query(summaryQuery) query: TopicSummaryQuery): Promise<TopicSummaryList> {
    return this.summaries.list(query);
  }
}
