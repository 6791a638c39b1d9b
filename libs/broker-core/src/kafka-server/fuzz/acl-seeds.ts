import { API_KEYS } from '../../protocol/api-keys.js';
import { encodeCreateAclsRequest, makeCreateAclsRequest, makeCreateAclsRequestAclCreation } from '../../protocol/createAcls/index.js';
import { encodeDeleteAclsRequest, makeDeleteAclsRequest, makeDeleteAclsRequestFilter } from '../../protocol/deleteAcls/index.js';
import { encodeDescribeAclsRequest, makeDescribeAclsRequest } from '../../protocol/describeAcls/index.js';
import type { Rng } from './random.js';
import { count, int32, text, times, type SeedBuilder } from './seeds.js';

/**
 * Seeds for the ACL APIs. Created ACLs name only `fuzz-acl-*` topics, groups and
 * transactional ids and `User:fuzz-*` principals, so they never restrict the good client
 * (User:ANONYMOUS, on its own topics); filters and codes are sometimes out of range, to
 * reach INVALID_REQUEST.
 */
const code = (rng: Rng, valid: readonly number[]): number => rng.weighted([[8, () => rng.pick(valid)], [1, () => rng.range(-1, 20)], [1, () => int32(rng) & 0xff]])();
const resourceType = (rng: Rng): number => code(rng, [2, 3, 5]);
const resourceName = (rng: Rng): string => `fuzz-acl-${rng.weighted([[6, () => String(rng.range(0, 3))], [1, () => text(rng)]])()}`;
const principal = (rng: Rng): string => `User:fuzz-${rng.range(0, 2)}`;

const describeAcls: SeedBuilder = (rng, v, _ctx, out) => {
  encodeDescribeAclsRequest(out, makeDescribeAclsRequest({
    resourceTypeFilter: code(rng, [1, 2, 3, 4, 5]), resourceNameFilter: rng.chance(0.5) ? null : resourceName(rng),
    patternTypeFilter: code(rng, [1, 2, 3, 4]), principalFilter: rng.chance(0.5) ? null : principal(rng), hostFilter: rng.chance(0.7) ? null : '*',
    operation: code(rng, [1, 2, 3, 4, 8]), permissionType: code(rng, [1, 2, 3]),
  }), v);
};

const createAcls: SeedBuilder = (rng, v, _ctx, out) => {
  encodeCreateAclsRequest(out, makeCreateAclsRequest({
    creations: times(count(rng, 3), () => makeCreateAclsRequestAclCreation({
      resourceType: resourceType(rng), resourceName: resourceName(rng), resourcePatternType: code(rng, [3, 4]), principal: principal(rng),
      host: rng.chance(0.8) ? '*' : '10.0.0.1', operation: code(rng, [2, 3, 4, 8]), permissionType: code(rng, [2, 3]),
    })),
  }), v);
};

const deleteAcls: SeedBuilder = (rng, v, _ctx, out) => {
  encodeDeleteAclsRequest(out, makeDeleteAclsRequest({
    filters: times(count(rng, 2), () => makeDeleteAclsRequestFilter({
      resourceTypeFilter: code(rng, [1, 2, 3, 5]), resourceNameFilter: rng.chance(0.3) ? null : resourceName(rng),
      patternTypeFilter: code(rng, [1, 3, 4]), principalFilter: rng.chance(0.5) ? null : principal(rng), hostFilter: null,
      operation: code(rng, [1, 3, 4]), permissionType: code(rng, [1, 2, 3]),
    })),
  }), v);
};

export const ACL_SEED_BUILDERS: readonly (readonly [number, SeedBuilder])[] = [
  [API_KEYS.DescribeAcls, describeAcls],
  [API_KEYS.CreateAcls, createAcls],
  [API_KEYS.DeleteAcls, deleteAcls],
];
