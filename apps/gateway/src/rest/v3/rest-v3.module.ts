import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { BrokerModule } from '../../broker/broker.module.js';
import { RegistryModule } from '../../registry/registry.module.js';
import { AclsModule } from './acls/acls.module.js';
import { BrokersController } from './brokers/brokers.controller.js';
import { BrokersService } from './brokers/brokers.service.js';
import { ClustersController } from './clusters/clusters.controller.js';
import { ClustersService } from './clusters/clusters.service.js';
import { ClusterIdPipe } from './common/params.js';
import { ConsumerGroupsController } from './consumer-groups/consumer-groups.controller.js';
import { CONSUMER_GROUP_PROVIDERS } from './consumer-groups/consumer-groups.providers.js';
import { ConsumerGroupsService } from './consumer-groups/consumer-groups.service.js';
import { ConsumerLagsService } from './consumer-groups/consumer-lags.service.js';
import { DelayedOperationsController } from './delayed-operations/delayed-operations.controller.js';
import { TopicConfigsController } from './configs/topic-configs.controller.js';
import { TopicConfigsService } from './configs/topic-configs.service.js';
import { ElectionsController } from './elections/elections.controller.js';
import { ElectionsService } from './elections/elections.service.js';
import { PartitionsController } from './partitions/partitions.controller.js';
import { PartitionsService } from './partitions/partitions.service.js';
import { installJsonBodyParser } from './records/json-body-parser.js';
import { ProduceService } from './records/produce.service.js';
import { ReassignmentsController } from './reassignments/reassignments.controller.js';
import { RegistryController } from './registry/registry.controller.js';
import { ReassignmentsService } from './reassignments/reassignments.service.js';
import { RecordsController } from './records/records.controller.js';
import { TopicSummariesController } from './topic-summaries/topic-summaries.controller.js';
import { TopicSummariesService } from './topic-summaries/topic-summaries.service.js';
import { TopicsController } from './topics/topics.controller.js';
import { TopicsService } from './topics/topics.service.js';
import { TransactionsModule } from './transactions/transactions.module.js';

/**
 * Confluent REST Proxy v3: clusters, brokers, topics, configs, partitions, replicas,
 * reassignments, produce; and Weir's extensions: cluster health, leader elections,
 * reassignment changes, start and stop of the brokers this gateway hosts; consumer groups
 * with their lags, and Weir's lag history and offset reset; transactions (TransactionsModule).
 */
@Module({
  imports: [BrokerModule, RegistryModule, TransactionsModule, AclsModule],
  controllers: [
    ClustersController,
    BrokersController,
    // Before TopicsController is irrelevant to routing (find-my-way prefers static
    // segments), but listed first so /topics/-/configs reads as the special case it is.
    TopicConfigsController,
    TopicsController,
    TopicSummariesController,
    PartitionsController,
    ReassignmentsController,
    ElectionsController,
    RecordsController,
    ConsumerGroupsController,
    RegistryController,
    DelayedOperationsController,
  ],
  providers: [
    ClusterIdPipe, ClustersService, BrokersService, TopicsService, TopicConfigsService, PartitionsService, ReassignmentsService, ElectionsService, ProduceService,
    ConsumerGroupsService, ConsumerLagsService, ...CONSUMER_GROUP_PROVIDERS,
    TopicSummariesService,
  ],
})
export class RestV3Module implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    installJsonBodyParser(this.adapterHost.httpAdapter.getInstance<FastifyInstance>());
  }
}
