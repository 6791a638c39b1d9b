import { KAFKA_ERRORS } from '../../errors.js';
import { COORDINATOR_KEY_TYPE, groupCoordinatorOf } from '../../group/group-coordinator.js';
import { coordinatorNotFound, type CoordinatorLookup } from '../../group/group-results.js';
import { API_KEYS } from '../../protocol/api-keys.js';
import {
  decodeFindCoordinatorRequest, encodeFindCoordinatorResponse, makeFindCoordinatorResponse, makeFindCoordinatorResponseCoordinator,
} from '../../protocol/findCoordinator/index.js';
import { transactionCoordinatorOf } from '../../txn/transaction-coordinator.js';
import { AclOperation, AclResourceType } from '../../security/acl.js';
import { kafkaAuthorized } from '../../security/authorizer-door.js';
import { defineHandler } from './define-handler.js';

/** What group APIs answer when the broker behind the listener has no group coordinator. */
export const NO_COORDINATOR = KAFKA_ERRORS.COORDINATOR_NOT_AVAILABLE.code;

/**
 * FindCoordinator: which broker coordinates a group (key type 0), the leader of its
 * `__consumer_offsets` partition, or a transactional id (key type 1), the leader of its
 * `__transaction_state` partition; either topic is created on first use. v0 has no key
 * type (groups); v4 (KIP-699) looks up several keys of one type at once. A key needs
 * DESCRIBE on its group or transactional id.
 */
export const findCoordinatorHandler = defineHandler({
  apiKey: API_KEYS.FindCoordinator,
  name: 'FindCoordinator',
  minVersion: 0,
  maxVersion: 4,
  decode: decodeFindCoordinatorRequest,
  encode: encodeFindCoordinatorResponse,
  async handle(ctx, request, header) {
    const { broker } = ctx;
    const groups = groupCoordinatorOf(broker);
    const txns = transactionCoordinatorOf(broker);
    const lookup = (key: string, keyType: number): Promise<CoordinatorLookup> => {
      const txn = keyType === COORDINATOR_KEY_TYPE.TRANSACTION;
      if (!kafkaAuthorized(ctx, AclOperation.DESCRIBE, txn ? AclResourceType.TRANSACTIONAL_ID : AclResourceType.GROUP, key)) {
        const denied = KAFKA_ERRORS[txn ? 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED' : 'GROUP_AUTHORIZATION_FAILED'].code;
        return Promise.resolve(coordinatorNotFound(denied, 'Not authorized.'));
      }
      if (txn) {
        return txns === undefined ? Promise.resolve(coordinatorNotFound(NO_COORDINATOR, 'This broker has no transaction coordinator.')) : txns.findCoordinator(key);
      }
      return groups === undefined ? Promise.resolve(coordinatorNotFound(NO_COORDINATOR, 'This broker has no group coordinator.')) : groups.findCoordinator(key, keyType);
    };
    if (header.apiVersion >= 4) {
      const found = await Promise.all(request.coordinatorKeys.map(async (key) => ({ key, ...(await lookup(key, request.keyType)) })));
      return makeFindCoordinatorResponse({ coordinators: found.map((c) => makeFindCoordinatorResponseCoordinator(c)) });
    }
    const found = await lookup(request.key, header.apiVersion >= 1 ? request.keyType : 0);
    return makeFindCoordinatorResponse({ ...found });
  },
});
