import { groupCoordinatorOf } from '../../group/group-coordinator.js';
import { API_KEYS } from '../../protocol/api-keys.js';
import { decodeDeleteGroupsRequest, encodeDeleteGroupsResponse, makeDeleteGroupsResponse, makeDeleteGroupsResponseDeletableGroupResult } from '../../protocol/deleteGroups/index.js';
import {
  decodeDescribeGroupsRequest, encodeDescribeGroupsResponse, makeDescribeGroupsResponse, makeDescribeGroupsResponseDescribedGroup,
  makeDescribeGroupsResponseDescribedGroupMember,
} from '../../protocol/describeGroups/index.js';
import { decodeListGroupsRequest, encodeListGroupsResponse, makeListGroupsResponse, makeListGroupsResponseListedGroup } from '../../protocol/listGroups/index.js';
import { OPERATIONS_NOT_REQUESTED } from './authorized-operations.js';
import { KAFKA_ERRORS } from '../../errors.js';
import { AclOperation, AclResourceType } from '../../security/acl.js';
import { clusterAuthorized, groupAuthorized, kafkaAuthorizedOperations } from '../../security/authorizer-door.js';
import { defineHandler } from './define-handler.js';
import { NO_COORDINATOR } from './groups-coordinator.js';

const GROUP_DENIED = KAFKA_ERRORS.GROUP_AUTHORIZATION_FAILED.code;

/**
 * DescribeGroups v0-v5: state, protocol type, chosen protocol and members of each group
 * this broker coordinates; member metadata and assignments only while the group is
 * Stable. A group it does not know is described as Dead; one another broker coordinates
 * answers NOT_COORDINATOR. Each group needs DESCRIBE.
 */
export const describeGroupsHandler = defineHandler({
  apiKey: API_KEYS.DescribeGroups,
  name: 'DescribeGroups',
  minVersion: 0,
  maxVersion: 5,
  decode: decodeDescribeGroupsRequest,
  encode: encodeDescribeGroupsResponse,
  handle(ctx, request) {
    const groups = groupCoordinatorOf(ctx.broker);
    return makeDescribeGroupsResponse({
      groups: request.groups.map((groupId) => {
        if (!groupAuthorized(ctx, AclOperation.DESCRIBE, groupId)) return makeDescribeGroupsResponseDescribedGroup({ groupId, errorCode: GROUP_DENIED });
        if (groups === undefined) return makeDescribeGroupsResponseDescribedGroup({ groupId, errorCode: NO_COORDINATOR });
        const d = groups.describeGroup(groupId);
        return makeDescribeGroupsResponseDescribedGroup({
          errorCode: d.errorCode, groupId, groupState: d.state, protocolType: d.protocolType, protocolData: d.protocol,
          members: d.members.map((m) => makeDescribeGroupsResponseDescribedGroupMember({
            memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, clientHost: m.clientHost,
            memberMetadata: m.metadata, memberAssignment: m.assignment,
          })),
          authorizedOperations: request.includeAuthorizedOperations ? kafkaAuthorizedOperations(ctx, AclResourceType.GROUP, groupId) : OPERATIONS_NOT_REQUESTED,
        });
      }),
    });
  },
});

/**
 * ListGroups v0-v4: the groups this broker coordinates; v4 filters by state (case-insensitive)
 * and reports it. Without DESCRIBE on the cluster, only the groups the principal may DESCRIBE.
 */
export const listGroupsHandler = defineHandler({
  apiKey: API_KEYS.ListGroups,
  name: 'ListGroups',
  minVersion: 0,
  maxVersion: 4,
  decode: decodeListGroupsRequest,
  encode: encodeListGroupsResponse,
  handle(ctx, request) {
    const groups = groupCoordinatorOf(ctx.broker);
    if (groups === undefined) return makeListGroupsResponse({ errorCode: NO_COORDINATOR });
    const listing = groups.listGroups(request.statesFilter);
    const all = clusterAuthorized(ctx, AclOperation.DESCRIBE);
    return makeListGroupsResponse({
      errorCode: listing.errorCode,
      groups: listing.groups.filter((g) => all || groupAuthorized(ctx, AclOperation.DESCRIBE, g.groupId)).map((g) => makeListGroupsResponseListedGroup({ groupId: g.groupId, protocolType: g.protocolType, groupState: g.state })),
    });
  },
});

/**
 * DeleteGroups v0-v2: Empty groups go with their offsets; others answer NON_EMPTY_GROUP,
 * unknown ones GROUP_ID_NOT_FOUND. Each group needs DELETE.
 */
export const deleteGroupsHandler = defineHandler({
  apiKey: API_KEYS.DeleteGroups,
  name: 'DeleteGroups',
  minVersion: 0,
  maxVersion: 2,
  decode: decodeDeleteGroupsRequest,
  encode: encodeDeleteGroupsResponse,
  async handle(ctx, request) {
    const groups = groupCoordinatorOf(ctx.broker);
    const allowed = request.groupsNames.filter((g) => groupAuthorized(ctx, AclOperation.DELETE, g));
    const denied = request.groupsNames.filter((g) => !allowed.includes(g)).map((groupId) => ({ groupId, errorCode: GROUP_DENIED }));
    const results = groups === undefined ? allowed.map((groupId) => ({ groupId, errorCode: NO_COORDINATOR }))
      : allowed.length === 0 ? [] : await groups.deleteGroups(allowed);
    return makeDeleteGroupsResponse({ results: [...results, ...denied].map((r) => makeDeleteGroupsResponseDeletableGroupResult(r)) });
  },
});
