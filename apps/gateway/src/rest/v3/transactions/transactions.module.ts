import { Module } from '@nestjs/common';
import { BrokerModule } from '../../../broker/broker.module.js';
import { ClusterIdPipe } from '../common/params.js';
import { PartitionProducersController, TransactionsController } from './transactions.controller.js';
import { TransactionsService } from './transactions.service.js';

/** Weir's transactions resources and a partition's producers (docs: the controller's OpenAPI text). */
@Module({
  imports: [BrokerModule],
  controllers: [TransactionsController, PartitionProducersController],
  providers: [ClusterIdPipe, TransactionsService],
})
export class TransactionsModule {}
