import type { ServerContext } from '../kafka-server/api-handler.js';
import { AclResourceType, CLUSTER_RESOURCE_NAME, type AclOperation } from './acl.js';

/**
 * The Kafka door's question to the authorizer: may this connection's principal, from its
 * address, do `operation` on the resource? Kafka writes the address with a leading slash
 * ("/127.0.0.1"); ACL hosts are bare addresses.
 */
export function kafkaAuthorized(ctx: ServerContext, operation: AclOperation, resourceType: AclResourceType, resourceName: string): boolean {
  return ctx.broker.authorize({ principal: ctx.session.principal, host: clientAddress(ctx), operation, resourceType, resourceName });
}

export function clusterAuthorized(ctx: ServerContext, operation: AclOperation): boolean {
  return kafkaAuthorized(ctx, operation, AclResourceType.CLUSTER, CLUSTER_RESOURCE_NAME);
}

/** KIP-430's bits for this connection's principal on the resource. */
export function kafkaAuthorizedOperations(ctx: ServerContext, resourceType: AclResourceType, resourceName: string): number {
  return ctx.broker.authorizedOperations(ctx.session.principal, clientAddress(ctx), resourceType, resourceName);
}

export function clientAddress(ctx: ServerContext): string {
  const host = ctx.clientHost ?? '';
  return host.startsWith('/') ? host.slice(1) : host;
}

export function groupAuthorized(ctx: ServerContext, operation: AclOperation, groupId: string): boolean {
  return kafkaAuthorized(ctx, operation, AclResourceType.GROUP, groupId);
}

export function topicAuthorized(ctx: ServerContext, operation: AclOperation, topic: string): boolean {
  return kafkaAuthorized(ctx, operation, AclResourceType.TOPIC, topic);
}
