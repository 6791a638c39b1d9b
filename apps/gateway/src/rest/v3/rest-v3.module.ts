import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { BrokerModule } from '../../broker/broker.module.js';
import { BrokersController, ClustersController } from './clusters/clusters.controller.js';
import { ClustersService } from './clusters/clusters.service.js';
import { ClusterIdPipe } from './common/params.js';
import { TopicConfigsController } from './configs/topic-configs.controller.js';
import { TopicConfigsService } from './configs/topic-configs.service.js';
import { PartitionsController } from './partitions/partitions.controller.js';
import { PartitionsService } from './partitions/partitions.service.js';
import { installJsonBodyParser } from './records/json-body-parser.js';
import { ProduceService } from './records/produce.service.js';
import { RecordsController } from './records/records.controller.js';
import { TopicsController } from './topics/topics.controller.js';
import { TopicsService } from './topics/topics.service.js';

/** Confluent REST Proxy v3: clusters, brokers, topics, configs, partitions, replicas, produce. */
@Module({
  imports: [BrokerModule],
  controllers: [
    ClustersController,
    BrokersController,
    // Before TopicsController is irrelevant to routing (find-my-way prefers static
    // segments), but listed first so /topics/-/configs reads as the special case it is.
    TopicConfigsController,
    TopicsController,
    PartitionsController,
    RecordsController,
  ],
  providers: [ClusterIdPipe, ClustersService, TopicsService, TopicConfigsService, PartitionsService, ProduceService],
})
export class RestV3Module implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    installJsonBodyParser(this.adapterHost.httpAdapter.getInstance<FastifyInstance>());
  }
}
