import { Inject, Injectable } from '@nestjs/common';
import type { BrokerStatus, LocalCluster } from '@weir/broker-core';
import { type BrokerData, type BrokerDataList, REST_ERROR_CODES, type ReplicaDataList } from '@weir/contracts';
import { LOCAL_CLUSTER } from '../../../broker/broker.module.js';
import { RestError } from '../../../errors/rest-error.js';
import { V3Urls } from '../common/urls.js';
import { toBrokerData, toBrokerDataList } from '../mappers/cluster.mapper.js';
import { toBrokerReplicaDataList } from '../mappers/topic.mapper.js';

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
