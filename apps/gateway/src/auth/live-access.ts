import { Injectable } from '@nestjs/common';
import { type RequestUser, roleAtLeast } from './request-user.js';

/**
 * Who may subscribe to which `/live` channel; the socket's user was authenticated at the
 * upgrade. Every channel today shows what a viewer may read over REST; checks on what a
 * channel carries (Read on the topic of a `records:<topic>:<partition>` tail) belong here.
 */
@Injectable()
export class LiveAccess {
  /** Undefined when `user` may subscribe to `channel`, else why not (sent back in an error frame). */
  liveSubscriptionAllowed(user: RequestUser, channel: string): string | undefined {
    if (!roleAtLeast(user.role, 'viewer')) return `${user.name} may not subscribe to ${channel}`;
    return undefined;
  }
}
