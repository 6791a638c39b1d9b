import type { DelayedOperationsData } from '@weir/contracts';
import { clusterPath } from './clusters';
import { gatewayRequest } from './http';

/** The brokers' purgatories and the timing wheel, as the page first shows them (the live channel updates them). */
export async function getDelayedOperations(): Promise<DelayedOperationsData> {
  return gatewayRequest<DelayedOperationsData>(await clusterPath('/delayed-operations'));
}
