import { Injectable } from '@nestjs/common';
import { AclResourceType } from '@weir/broker-core';
import { RestAuthorizer } from '../acl/rest-authorizer.js';
import { type RequestUser, roleAtLeast } from './request-user.js';

/**
 * Who may subscribe to which `/live` channel; the socket's user was authenticated at the
 * upgrade. Every channel today shows what a viewer may read over REST; checks on what a
 * channel carries (Read on the topic of a `records:<topic>:<partition>` tail) belong here.
 */
@Injectable()
export class LiveAccess {
  constructor(private readonly acl: RestAuthorizer) {}

  /** Undefined when `user` may subscribe to `channel`, else why not (sent back in an error frame). */
  liveSubscriptionAllowed(user: RequestUser, channel: string): string | undefined {
    if (!roleAtLeast(user.role, 'viewer')) return `${user.name} may not subscribe to ${channel}`;
    // A records tail is a consumer of the topic: READ on it, as the Kafka door's Fetch.
    const records = /^records:(.+):\d+$/.exec(channel);
    if (records !== null && !this.acl.allowed(user, 'READ', AclResourceType.TOPIC, records[1]!)) {
      return `User:${user.name} is not authorized to READ topic '${records[1]!}'`;
    }
    return undefined;
  }
}
