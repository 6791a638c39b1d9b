import { Controller, Get, HttpCode, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  type ProducerDataList, producerDataListSchema, type TransactionData, transactionDataListSchema, transactionDataSchema, type TransactionDataList,
  type TransactionListQuery, transactionListQuerySchema, transactionStateSchema,
} from '@weir/contracts';
import { z } from 'zod';
import { ZodValidationPipe } from '../../../errors/zod-validation.pipe.js';
import { JsonOnlyInterceptor } from '../common/json-only.interceptor.js';
import { ApiV3 } from '../common/openapi.js';
import { ClusterIdPipe, partitionIdParam, topicNameParam } from '../common/params.js';
import { BaseUrl } from '../common/request-context.js';
import { TransactionsService } from './transactions.service.js';

/** Kafka writes transactional ids as int16-length strings. */
const transactionalIdParam = new ZodValidationPipe(z.string().min(1).max(32_767), 'transactional id');
const listQuery = new ZodValidationPipe(transactionListQuerySchema, 'query');
const TXN_NOTES = {
  404: 'Unknown cluster (404), or a transactional id its coordinator does not know (40403)',
  500: 'The coordinator is loading, moving or cannot be reached (50003): try again',
};

/**
 * Weir's transactions (extensions in Confluent's v3 style): Kafka's ListTransactions and
 * DescribeTransactions, and an admin's abort of a hanging transaction.
 */
@ApiTags('Transaction (v3, Weir extension)')
@Controller('v3/clusters/:cluster_id/transactions')
@UseInterceptors(JsonOnlyInterceptor)
export class TransactionsController {
  constructor(private readonly transactions: TransactionsService) {}

  @Get()
  @ApiV3({
    summary: 'List Transactions (Kafka\'s ListTransactions; Weir extension)',
    description: 'Every transactional id the coordinators know, by id, each described (producer id and epoch, state, timeout, start time and age of the open transaction, its partitions). Filters as kafka-transactions.sh list: state (comma-separated Kafka state names), producer_id (comma-separated), min_duration_ms (open longer than this).',
    status: 200, response: transactionDataListSchema, errors: [400, 404, 500, 503], errorNotes: TXN_NOTES,
  })
  @ApiQuery({ name: 'state', required: false, type: String, description: `Comma-separated: ${transactionStateSchema.options.join(', ')}` })
  @ApiQuery({ name: 'producer_id', required: false, type: String, description: 'Comma-separated producer ids' })
  @ApiQuery({ name: 'min_duration_ms', required: false, type: Number })
  list(@BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) _c: string, @Query(listQuery) query: TransactionListQuery): Promise<TransactionDataList> {
    return this.transactions.list(baseUrl, query);
  }

  @Get(':transactional_id')
  @ApiV3({ summary: 'Get Transaction (Kafka\'s DescribeTransactions; Weir extension)', status: 200, response: transactionDataSchema, errors: [400, 404, 500, 503], errorNotes: TXN_NOTES })
  get(@BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) _c: string, @Param('transactional_id', transactionalIdParam) id: string): Promise<TransactionData> {
    return this.transactions.get(baseUrl, id);
  }

  // The route is `{transactional_id}:abort`: a parameter and a literal suffix in one
  // segment, which the router takes only with the parameter written as a regular
  // expression (`::` is its escaped colon).
  @Post(':transactional_id(^.+)::abort')
  @HttpCode(200)
  @ApiParam({ name: 'transactional_id', type: String })
  @ApiV3({
    summary: 'Abort Transaction (an admin\'s abort of a hanging transaction; Weir extension)',
    description: 'Aborts the open transaction as its timeout would: the producer epoch is bumped (the producer is fenced and its next write or commit is refused), ABORT markers are written to its partitions and their LSO moves on. Answers the description as the abort left it (PrepareAbort, then CompleteAbort once the markers are written).',
    status: 200, response: transactionDataSchema, errors: [400, 404, 409, 500, 503],
    errorNotes: { ...TXN_NOTES, 409: 'No transaction is open for the id (40901; Kafka\'s INVALID_TXN_STATE)' },
  })
  abort(@BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) _c: string, @Param('transactional_id', transactionalIdParam) id: string): Promise<TransactionData> {
    return this.transactions.abort(baseUrl, id);
  }
}

/** Kafka's DescribeProducers of one partition, answered by its leader. */
@ApiTags('Partition (v3)')
@Controller('v3/clusters/:cluster_id/topics/:topic_name/partitions/:partition_id/producers')
export class PartitionProducersController {
  constructor(private readonly transactions: TransactionsService) {}

  @Get()
  @ApiV3({
    summary: 'List Producers of a partition (Kafka\'s DescribeProducers; Weir extension)',
    description: 'Active producer ids on the partition with their epoch, last sequence and timestamp, coordinator epoch and the first offset of their open transaction (null when none).',
    status: 200, response: producerDataListSchema, errors: [400, 404, 500, 503],
  })
  producers(
    @BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) _c: string,
    @Param('topic_name', topicNameParam) topic: string, @Param('partition_id', partitionIdParam) partition: number,
  ): Promise<ProducerDataList> {
    return this.transactions.producers(baseUrl, topic, partition);
  }
}
