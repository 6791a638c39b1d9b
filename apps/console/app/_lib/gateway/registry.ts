import type { RegistryNodeData } from '@weir/contracts';
import { clusterPath } from './clusters';
import { gatewayRequest } from './http';

/** One znode: data, Stat, ephemeral owner and a page of its children (names after `childrenAfter`). */
export async function getRegistryNode(path: string, options: { childrenLimit?: number; childrenAfter?: string } = {}): Promise<RegistryNodeData> {
  return gatewayRequest<RegistryNodeData>(await clusterPath('/registry/nodes'), {
    query: { path, children_limit: options.childrenLimit, children_after: options.childrenAfter },
  });
}
