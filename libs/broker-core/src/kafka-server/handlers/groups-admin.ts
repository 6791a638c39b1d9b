import { groupCoordinatorOf } from '../../group/group-coordinator.js';
import { API_KEYS } from '../../protocol/api-keys.js';
import { decodeDeleteGroupsRequest, encodeDeleteGroupsResponse, makeDeleteGroupsResponse, makeDeleteGroupsResponseDeletableGroupResult } from '../../protocol/deleteGroups/index.js';
import {
  decodeDescribeGroupsRequest, encodeDescribeGroupsResponse, makeDescribeGroupsResponse, makeDescribeGroupsResponseDescribedGroup,
  makeDescribeGroupsResponseDescribedGroupMember,
} from '../../protocol/describeGroups/index.js';
import { decodeListGroupsRequest, encodeListGroupsResponse, makeListGroupsResponse, makeListGroupsResponseListedGroup } from '../../protocol/listGroups/index.js';
import { OPERATIONS_NOT_REQUESTED } from './authorized-operations.js';
import { defineHandler } from './define-handler.js';
import { NO_COORDINATOR } from './groups-coordinator.js';

/** AclOperation bits that apply to a group (READ, DELETE, DESCRIBE), all allowed without ACLs (KIP-430). */
const GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8);

/**
 * DescribeGroups v0-v5: state, protocol type, chosen protocol and members of each group
 * this broker coordinates; member metadata and assignments only while the group is
 * Stable. A group it does not know is described as Dead; one another broker coordinates
 * answers NOT_COORDINATOR.
 */
export const describeGroupsHandler = defineHandler({
  apiKey: API_KEYS.DescribeGroups,
  name: 'DescribeGroups',
  minVersion: 0,
  maxVersion: 5,
  decode: decodeDescribeGroupsRequest,
  encode: encodeDescribeGroupsResponse,
  handle({ broker }, request) {
    const groups = groupCoordinatorOf(broker);
    return makeDescribeGroupsResponse({
      groups: request.groups.map((groupId) => {
        if (groups === undefined) return makeDescribeGroupsResponseDescribedGroup({ groupId, errorCode: NO_COORDINATOR });
        const d = groups.describeGroup(groupId);
        return makeDescribeGroupsResponseDescribedGroup({
          errorCode: d.errorCode, groupId, groupState: d.state, protocolType: d.protocolType, protocolData: d.protocol,
          members: d.members.map((m) => makeDescribeGroupsResponseDescribedGroupMember({
            memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, clientHost: m.clientHost,
            memberMetadata: m.metadata, memberAssignment: m.assignment,
          })),
          authorizedOperations: request.includeAuthorizedOperations ? GROUP_OPERATIONS : OPERATIONS_NOT_REQUESTED,
        });
      }),
    });
  },
});

/** ListGroups v0-v4: the groups this broker coordinates; v4 filters by state (case-insensitive) and reports it. */
export const listGroupsHandler = defineHandler({
  apiKey: API_KEYS.ListGroups,
  name: 'ListGroups',
  minVersion: 0,
  maxVersion: 4,
  decode: decodeListGroupsRequest,
  encode: encodeListGroupsResponse,
  handle({ broker }, request) {
    const groups = groupCoordinatorOf(broker);
    if (groups === undefined) return makeListGroupsResponse({ errorCode: NO_COORDINATOR });
    const listing = groups.listGroups(request.statesFilter);
    return makeListGroupsResponse({
      errorCode: listing.errorCode,
      groups: listing.groups.map((g) => makeListGroupsResponseListedGroup({ groupId: g.groupId, protocolType: g.protocolType, groupState: g.state })),
    });
  },
});

/** DeleteGroups v0-v2: Empty groups go with their offsets; others answer NON_EMPTY_GROUP, unknown ones GROUP_ID_NOT_FOUND. */
export const deleteGroupsHandler = defineHandler({
  apiKey: API_KEYS.DeleteGroups,
  name: 'DeleteGroups',
  minVersion: 0,
  maxVersion: 2,
  decode: decodeDeleteGroupsRequest,
  encode: encodeDeleteGroupsResponse,
  async handle({ broker }, request) {
    const groups = groupCoordinatorOf(broker);
    const results = groups === undefined ? request.groupsNames.map((groupId) => ({ groupId, errorCode: NO_COORDINATOR })) : await groups.deleteGroups(request.groupsNames);
    return makeDeleteGroupsResponse({ results: results.map((r) => makeDeleteGroupsResponseDeletableGroupResult(r)) });
  },
});
