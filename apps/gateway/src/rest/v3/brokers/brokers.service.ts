import { Inject, Injectable } from '@nestjs/common';
import type { BrokerStatus, ConfigEntry, LocalCluster } from '@weir/broker-core';
import { type BrokerConfigDataList, type BrokerData, type BrokerDataList, REST_ERROR_CODES, type ReplicaDataList } from '@weir/contracts';
import { LOCAL_CLUSTER } from '../../../broker/broker.module.js';
import { RestError } from '../../../errors/rest-error.js';
import { V3Urls } from '../common/urls.js';
import { toBrokerData, toBrokerDataList } from '../mappers/cluster.mapper.js';
import { toBrokerReplicaDataList } from '../mappers/topic.mapper.js';
import { toBrokerConfigDataList } from './broker-configs.mapper.js';

/** What an operator can do to a broker this gateway hosts (Weir extension). */
export type BrokerAction = 'start' | 'stop' | 'controlled-shutdown';

/**
 * Brokers as the cluster knows them (registered ones, and offline ones that replica
 * assignments still name), with Weir's status, leadership and replica counts; and the
 * start and stop of brokers hosted by this gateway.
 */
@Injectable()
export class BrokersService {
  constructor(@Inject(LOCAL_CLUSTER) private readonly cluster: LocalCluster) {}

  list(baseUrl: string): BrokerDataList {
    return toBrokerDataList(this.urls(baseUrl), this.cluster.describeBrokers(), this.hostedIds());
  }

  get(baseUrl: string, brokerId: number): BrokerData {
    return toBrokerData(this.urls(baseUrl), this.requireBroker(brokerId), this.hostedIds().has(brokerId));
  }

  listReplicas(baseUrl: string, brokerId: number): ReplicaDataList {
    this.requireBroker(brokerId);
    return toBrokerReplicaDataList(this.urls(baseUrl), brokerId, this.cluster.listTopics({ includeInternal: true }));
  }

  /**
   * A hosted broker's settings (Kafka's DescribeConfigs of a BROKER resource). The brokers of
   * one process share every setting but their identity: the running admin broker answers,
   * and broker.id, advertised.listeners and broker.rack are the asked broker's own (from its
   * registration, or for a stopped one its fixed port). Another process's broker is 409 40902.
   */
  configs(baseUrl: string, brokerId: number): BrokerConfigDataList {
    const hosted = this.cluster.hostedBrokers().find((b) => b.brokerId === brokerId);
    const status = this.requireBroker(brokerId);
    if (hosted === undefined) {
      throw new RestError(REST_ERROR_CODES.BROKER_NOT_HOSTED, `Broker ${brokerId} runs in another process; that process's gateway answers its configs.`);
    }
    const shared = this.cluster.describeBrokerConfigs();
    const adminHost = /^PLAINTEXT:\/\/(.*):\d+$/.exec(shared.find((e) => e.name === 'advertised.listeners')?.value ?? '')?.[1] ?? '';
    const own: Record<string, string> = {
      'broker.id': String(brokerId),
      'advertised.listeners': `PLAINTEXT://${status.host ?? adminHost}:${status.port ?? hosted.kafkaPort}`,
    };
    if (status.rack !== null) own['broker.rack'] = status.rack;
    const entries = shared.map((e): ConfigEntry => (own[e.name] === undefined ? e : { ...e, value: own[e.name]! }));
    return toBrokerConfigDataList(this.urls(baseUrl), brokerId, entries);
  }

  /**
   * Starts, stops as a crash, or shuts down with leadership handed over first; answers
   * the broker as it is afterwards. Only brokers of this process: another process's
   * broker is 409 40902, an unknown one 404.
   */
  async act(baseUrl: string, brokerId: number, action: BrokerAction): Promise<BrokerData> {
    if (!this.hostedIds().has(brokerId)) {
      this.requireBroker(brokerId);
      throw new RestError(REST_ERROR_CODES.BROKER_NOT_HOSTED, `Broker ${brokerId} runs in another process; only that process can ${action === 'start' ? 'start' : 'stop'} it.`);
    }
    if (action === 'start') await this.cluster.startBroker(brokerId);
    else await this.cluster.stopBroker(brokerId, { controlled: action === 'controlled-shutdown' });
    return this.get(baseUrl, brokerId);
  }

  private requireBroker(brokerId: number): BrokerStatus {
    const found = this.cluster.describeBrokers().find((b) => b.brokerId === brokerId);
    if (found === undefined) throw RestError.notFound(`Broker ${brokerId} cannot be found.`);
    return found;
  }

  private hostedIds(): Set<number> {
    return new Set(this.cluster.hostedBrokers().map((b) => b.brokerId));
  }

  private urls(baseUrl: string): V3Urls {
    return new V3Urls(baseUrl, this.cluster.clusterId);
  }
}
