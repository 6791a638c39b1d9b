import type { BrokerConfigData, BrokerConfigDataList, BrokerData, BrokerDataList } from '@weir/contracts';
import { cache } from 'react';
import { clusterPath } from './clusters';
import { gatewayRequest } from './http';

/** Every broker the cluster knows, offline ones included, by id. */
export const listBrokers = cache(async (): Promise<BrokerData[]> => {
  const brokers = (await gatewayRequest<BrokerDataList>(await clusterPath('/brokers'))).data;
  return [...brokers].sort((a, b) => a.broker_id - b.broker_id);
});

/** One broker's settings, by name (GatewayError 409 for a broker of another process). */
export async function listBrokerConfigs(brokerId: number): Promise<BrokerConfigData[]> {
  const configs = (await gatewayRequest<BrokerConfigDataList>(await clusterPath(`/brokers/${brokerId}/configs`))).data;
  return [...configs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** What the console can do to a broker its gateway hosts. */
export type BrokerAction = 'start' | 'stop' | 'controlled-shutdown';

/** Waits for the broker to have started or stopped (a controlled shutdown can take seconds). */
export async function actOnBroker(brokerId: number, action: BrokerAction): Promise<BrokerData> {
  return gatewayRequest<BrokerData>(await clusterPath(`/brokers/${brokerId}/${action}`), { method: 'POST', timeoutMs: 60_000 });
}
