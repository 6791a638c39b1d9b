import { Inject, Injectable } from '@nestjs/common';
import {
  AclOperation, AclResourceType, CLUSTER_RESOURCE_NAME, OPERATION_NAMES, RESOURCE_TYPE_NAMES, userPrincipal, type BrokerApi,
} from '@weir/broker-core';
import type { FastifyRequest } from 'fastify';
import { forbidden } from '../auth/auth-errors.js';
import { requestUser, roleAtLeast, type RequestUser } from '../auth/request-user.js';
import { BROKER } from '../broker/broker.module.js';

type Operation = Exclude<keyof typeof AclOperation, 'UNKNOWN' | 'ANY'>;

/**
 * The REST door's ACL checks: the same authorizer as the Kafka door, asked with the
 * principal `User:<rest user>` and the client's address. REST admins administer the ACLs
 * themselves, so they are super users here (and with WEIR_AUTH=off everyone is an admin).
 * A refusal is 403 with Confluent's 40301, naming the operation and resource.
 */
@Injectable()
export class RestAuthorizer {
  constructor(@Inject(BROKER) private readonly broker: BrokerApi) {}

  allowed(user: RequestUser | undefined, operation: Operation, resourceType: AclResourceType, resourceName: string): boolean {
    if (user === undefined) return false;
    if (roleAtLeast(user.role, 'admin')) return true;
    return this.broker.authorize({
      principal: userPrincipal(user.name), host: user.source, operation: AclOperation[operation], resourceType, resourceName,
    });
  }

  /** Throws 403 40301 unless the request's user may do `operation` on the resource. */
  require(req: FastifyRequest | object, operation: Operation, resourceType: AclResourceType, resourceName: string): void {
    const user = requestUser(req);
    if (this.allowed(user, operation, resourceType, resourceName)) return;
    const what = resourceType === AclResourceType.CLUSTER ? 'the cluster' : `${RESOURCE_TYPE_NAMES.upper.get(resourceType)!.toLowerCase().replace('_', ' ')} '${resourceName}'`;
    throw forbidden(`User:${user?.name ?? 'ANONYMOUS'} is not authorized to ${OPERATION_NAMES.upper.get(AclOperation[operation])!} ${what}`);
  }

  requireTopic(req: FastifyRequest | object, operation: Operation, topic: string): void {
    this.require(req, operation, AclResourceType.TOPIC, topic);
  }

  /** Kafka's CreateTopics check: CREATE on the cluster, or else on the topic. */
  requireCreateTopic(req: FastifyRequest | object, topic: string): void {
    if (!this.allowed(requestUser(req), 'CREATE', AclResourceType.CLUSTER, CLUSTER_RESOURCE_NAME)) this.requireTopic(req, 'CREATE', topic);
  }

  requireGroup(req: FastifyRequest | object, operation: Operation, groupId: string): void {
    this.require(req, operation, AclResourceType.GROUP, groupId);
  }

  requireCluster(req: FastifyRequest | object, operation: Operation): void {
    this.require(req, operation, AclResourceType.CLUSTER, CLUSTER_RESOURCE_NAME);
  }

  /** Keeps the items whose topic the request's user may DESCRIBE (topic lists). */
  describableTopics<T>(req: FastifyRequest | object, items: readonly T[], topicOf: (item: T) => string): T[] {
    const user = requestUser(req);
    if (user !== undefined && roleAtLeast(user.role, 'admin')) return [...items];
    return items.filter((item) => this.allowed(user, 'DESCRIBE', AclResourceType.TOPIC, topicOf(item)));
  }

  /** Keeps the items whose group the request's user may DESCRIBE (group lists). */
  describableGroups<T>(req: FastifyRequest | object, items: readonly T[], groupOf: (item: T) => string): T[] {
    const user = requestUser(req);
    if (user !== undefined && roleAtLeast(user.role, 'admin')) return [...items];
    return items.filter((item) => this.allowed(user, 'DESCRIBE', AclResourceType.GROUP, groupOf(item)));
  }
}
