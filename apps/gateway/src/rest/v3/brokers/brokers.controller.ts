import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type BrokerConfigDataList, brokerConfigDataListSchema, type BrokerData, type BrokerDataList, brokerDataListSchema, brokerDataSchema, type ReplicaDataList, replicaDataListSchema } from '@weir/contracts';
import { ApiV3 } from '../common/openapi.js';
import { brokerIdParam, ClusterIdPipe } from '../common/params.js';
import { BaseUrl } from '../common/request-context.js';
import { BrokersService } from './brokers.service.js';

const ACTION_ERRORS = [400, 404, 409, 503] as const;
const ACTION_NOTES = { 409: 'Already running or stopped, or starting or stopping (40901); hosted by another process (40902)' };

@ApiTags('Broker (v3)')
@Controller('v3/clusters/:cluster_id/brokers')
export class BrokersController {
  constructor(private readonly brokers: BrokersService) {}

  @Get()
  @ApiV3({
    summary: 'List Brokers (with Weir\'s status, controller flag, partitions led, replicas, out-of-sync replicas, log dir size)',
    description: 'Registered brokers, and (status offline, no host or port) brokers that replica assignments name but that are not registered.',
    status: 200,
    response: brokerDataListSchema,
    errors: [404],
  })
  list(@BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) _clusterId: string): BrokerDataList {
    return this.brokers.list(baseUrl);
  }

  @Get(':broker_id')
  @ApiV3({ summary: 'Get Broker', status: 200, response: brokerDataSchema })
  get(
    @BaseUrl() baseUrl: string,
    @Param('cluster_id', ClusterIdPipe) _clusterId: string,
    @Param('broker_id', brokerIdParam) brokerId: number,
  ): BrokerData {
    return this.brokers.get(baseUrl, brokerId);
  }

  @Get(':broker_id/configs')
  @ApiV3({
    summary: 'List Broker Configs',
    description: 'The broker\'s settings (fixed at start-up, so read-only, source STATIC_BROKER_CONFIG), for brokers this gateway hosts.',
    status: 200,
    response: brokerConfigDataListSchema,
    errors: [404, 409],
    errorNotes: { 409: 'Hosted by another process (40902)' },
  })
  configs(
    @BaseUrl() baseUrl: string,
    @Param('cluster_id', ClusterIdPipe) _clusterId: string,
    @Param('broker_id', brokerIdParam) brokerId: number,
  ): BrokerConfigDataList {
    return this.brokers.configs(baseUrl, brokerId);
  }

  @Get(':broker_id/partition-replicas')
  @ApiV3({ summary: 'Search Replicas by Broker: every partition replica the broker holds', status: 200, response: replicaDataListSchema })
  replicas(
    @BaseUrl() baseUrl: string,
    @Param('cluster_id', ClusterIdPipe) _clusterId: string,
    @Param('broker_id', brokerIdParam) brokerId: number,
  ): ReplicaDataList {
    return this.brokers.listReplicas(baseUrl, brokerId);
  }

  @Post(':broker_id/controlled-shutdown')
  @HttpCode(200)
  @ApiV3({
    summary: 'Controlled Shutdown of a Broker hosted by this gateway (Weir extension)',
    description: 'Kafka\'s controlled shutdown: the controller moves the broker\'s leaderships away, then the broker stops (it stays stopped until started). Answers the broker afterwards.',
    status: 200,
    response: brokerDataSchema,
    errors: ACTION_ERRORS,
    errorNotes: ACTION_NOTES,
  })
  controlledShutdown(@BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) _c: string, @Param('broker_id', brokerIdParam) brokerId: number): Promise<BrokerData> {
    return this.brokers.act(baseUrl, brokerId, 'controlled-shutdown');
  }

  @Post(':broker_id/stop')
  @HttpCode(200)
  @ApiV3({
    summary: 'Stop a Broker hosted by this gateway as a crash would (Weir extension)',
    description: 'Stops serving at once and drops the broker\'s registry session, so the controller elects new leaders as after a failure; the logs are closed cleanly. Answers the broker afterwards.',
    status: 200,
    response: brokerDataSchema,
    errors: ACTION_ERRORS,
    errorNotes: ACTION_NOTES,
  })
  stop(@BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) _c: string, @Param('broker_id', brokerIdParam) brokerId: number): Promise<BrokerData> {
    return this.brokers.act(baseUrl, brokerId, 'stop');
  }

  @Post(':broker_id/start')
  @HttpCode(200)
  @ApiV3({
    summary: 'Start a stopped Broker hosted by this gateway (Weir extension)',
    description: 'Starts the broker on its data dir and Kafka port again; it registers, loads its logs and catches up as a follower. Answers the broker afterwards.',
    status: 200,
    response: brokerDataSchema,
    errors: ACTION_ERRORS,
    errorNotes: ACTION_NOTES,
  })
  start(@BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) _c: string, @Param('broker_id', brokerIdParam) brokerId: number): Promise<BrokerData> {
    return this.brokers.act(baseUrl, brokerId, 'start');
  }
}
