import { KAFKA_ERRORS } from '../../errors.js';
import { API_KEYS } from '../../protocol/api-keys.js';
import {
  decodeCreateAclsRequest, encodeCreateAclsResponse, makeCreateAclsResponse, makeCreateAclsResponseAclCreationResult, type CreateAclsRequestAclCreation,
} from '../../protocol/createAcls/index.js';
import {
  decodeDeleteAclsRequest, encodeDeleteAclsResponse, makeDeleteAclsResponse, makeDeleteAclsResponseFilterResult, makeDeleteAclsResponseMatchingAcl,
  type DeleteAclsRequestFilter,
} from '../../protocol/deleteAcls/index.js';
import {
  decodeDescribeAclsRequest, encodeDescribeAclsResponse, makeDescribeAclsResponse, makeDescribeAclsResponseAclDescription, makeDescribeAclsResponseResource,
  type DescribeAclsRequest,
} from '../../protocol/describeAcls/index.js';
import { AclOperation, type AclBinding, type AclBindingFilter } from '../../security/acl.js';
import { invalidBinding, invalidFilter } from '../../security/acl-filter.js';
import { clusterAuthorized } from '../../security/authorizer-door.js';
import { errorCodeOf } from '../../broker/error-codes.js';
import { defineHandler } from './define-handler.js';

const CLUSTER_DENIED = { errorCode: KAFKA_ERRORS.CLUSTER_AUTHORIZATION_FAILED.code, errorMessage: 'Cluster authorization failed.' };

/**
 * DescribeAcls v0-3: every stored ACL the filter matches, grouped by resource pattern.
 * Needs DESCRIBE on the cluster (Kafka's AclApis); a filter with an UNKNOWN code is INVALID_REQUEST.
 */
export const describeAclsHandler = defineHandler({
  apiKey: API_KEYS.DescribeAcls,
  name: 'DescribeAcls',
  minVersion: 0,
  maxVersion: 3,
  decode: decodeDescribeAclsRequest,
  encode: encodeDescribeAclsResponse,
  handle(ctx, request) {
    if (!clusterAuthorized(ctx, AclOperation.DESCRIBE)) return makeDescribeAclsResponse(CLUSTER_DENIED);
    const filter = filterOf(request);
    const invalid = invalidFilter(filter);
    if (invalid !== undefined) return makeDescribeAclsResponse({ errorCode: KAFKA_ERRORS.INVALID_REQUEST.code, errorMessage: `Invalid filter: ${invalid}` });
    const byResource = new Map<string, ReturnType<typeof makeDescribeAclsResponseResource>>();
    for (const b of ctx.broker.describeAcls(filter)) {
      const key = `${b.resourceType}/${b.patternType}/${b.resourceName}`;
      let resource = byResource.get(key);
      if (resource === undefined) {
        resource = makeDescribeAclsResponseResource({ resourceType: b.resourceType, resourceName: b.resourceName, patternType: b.patternType });
        byResource.set(key, resource);
      }
      resource.acls.push(makeDescribeAclsResponseAclDescription({ principal: b.principal, host: b.host, operation: b.operation, permissionType: b.permissionType }));
    }
    return makeDescribeAclsResponse({ resources: [...byResource.values()] });
  },
});

/** CreateAcls v0-3: needs ALTER on the cluster; each creation is validated and answered on its own. */
export const createAclsHandler = defineHandler({
  apiKey: API_KEYS.CreateAcls,
  name: 'CreateAcls',
  minVersion: 0,
  maxVersion: 3,
  decode: decodeCreateAclsRequest,
  encode: encodeCreateAclsResponse,
  handle(ctx, request) {
    if (!clusterAuthorized(ctx, AclOperation.ALTER)) {
      return makeCreateAclsResponse({ results: request.creations.map(() => makeCreateAclsResponseAclCreationResult(CLUSTER_DENIED)) });
    }
    const problems = request.creations.map((c) => invalidBinding(bindingOf(c)));
    const valid = request.creations.filter((_, i) => problems[i] === undefined).map(bindingOf);
    const result = (i: number, failure?: { errorCode: number; errorMessage: string }) => makeCreateAclsResponseAclCreationResult(
      problems[i] !== undefined ? { errorCode: KAFKA_ERRORS.INVALID_REQUEST.code, errorMessage: problems[i] } : failure ?? {},
    );
    return ctx.broker.createAcls(valid).then(
      () => makeCreateAclsResponse({ results: request.creations.map((_, i) => result(i)) }),
      (err: unknown) => makeCreateAclsResponse({ results: request.creations.map((_, i) => result(i, errorCodeOf(err))) }),
    );
  },
});

/** DeleteAcls v0-3: needs ALTER on the cluster; per filter, the ACLs it removed. */
export const deleteAclsHandler = defineHandler({
  apiKey: API_KEYS.DeleteAcls,
  name: 'DeleteAcls',
  minVersion: 0,
  maxVersion: 3,
  decode: decodeDeleteAclsRequest,
  encode: encodeDeleteAclsResponse,
  handle(ctx, request) {
    if (!clusterAuthorized(ctx, AclOperation.ALTER)) {
      return makeDeleteAclsResponse({ filterResults: request.filters.map(() => makeDeleteAclsResponseFilterResult(CLUSTER_DENIED)) });
    }
    const filters = request.filters.map(filterOf);
    const problems = filters.map(invalidFilter);
    const valid = filters.filter((_, i) => problems[i] === undefined);
    const results = (removed: readonly AclBinding[][] | undefined, failure?: { errorCode: number; errorMessage: string }) => {
      let next = 0;
      return makeDeleteAclsResponse({
        filterResults: filters.map((_, i) => {
          if (problems[i] !== undefined) return makeDeleteAclsResponseFilterResult({ errorCode: KAFKA_ERRORS.INVALID_REQUEST.code, errorMessage: `Invalid filter: ${problems[i]}` });
          if (removed === undefined) return makeDeleteAclsResponseFilterResult(failure);
          return makeDeleteAclsResponseFilterResult({ matchingAcls: removed[next++]!.map((b) => makeDeleteAclsResponseMatchingAcl({ ...b })) });
        }),
      });
    };
    return ctx.broker.deleteAcls(valid).then((removed) => results(removed), (err: unknown) => results(undefined, errorCodeOf(err)));
  },
});

function bindingOf(c: CreateAclsRequestAclCreation): AclBinding {
  return {
    resourceType: c.resourceType, resourceName: c.resourceName, patternType: c.resourcePatternType, principal: c.principal, host: c.host,
    operation: c.operation, permissionType: c.permissionType,
  } as AclBinding;
}

function filterOf(f: DescribeAclsRequest | DeleteAclsRequestFilter): AclBindingFilter {
  return {
    resourceType: f.resourceTypeFilter, resourceName: f.resourceNameFilter, patternType: f.patternTypeFilter, principal: f.principalFilter,
    host: f.hostFilter, operation: f.operation, permissionType: f.permissionType,
  } as AclBindingFilter;
}
