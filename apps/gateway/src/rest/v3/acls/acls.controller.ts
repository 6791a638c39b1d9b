import { applyDecorators, Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { JsonOnlyInterceptor } from '../common/json-only.interceptor.js';
import { ApiV3 } from '../common/openapi.js';
import { ClusterIdPipe } from '../common/params.js';
import { BaseUrl } from '../common/request-context.js';
import {
  aclCreateBody, aclCreateRequestSchema, aclDataListSchema, aclDeleteResponseSchema, aclFilterQuery, aclFilterQuerySchema,
  type AclCreateRequest, type AclDataList, type AclDeleteResponse, type AclFilterQuery,
} from './acl-schemas.js';
import { AclsService } from './acls.service.js';

const FILTER_NOTE = 'Every query parameter is optional and narrows the match: resource_type, pattern_type (ANY, MATCH, LITERAL, PREFIXED), operation and permission accept ANY; MATCH finds the literal, wildcard (*) and prefixed ACLs that apply to resource_name.';
const FilterQueries = (): MethodDecorator => applyDecorators(...Object.keys(aclFilterQuerySchema.shape).map((name) => ApiQuery({ name, required: false, type: String })));
const ERRORS = [400, 403, 404] as const;
const NOTES = { 400: 'A bad enum or field (40002)', 403: 'Not an admin (40301)' };

/** Confluent REST Proxy's ACL endpoints (Kafka's DescribeAcls, CreateAcls, DeleteAcls); admins only (route-roles). */
@ApiTags('ACL (v3)')
@Controller('v3/clusters/:cluster_id/acls')
@UseInterceptors(JsonOnlyInterceptor)
export class AclsController {
  constructor(private readonly acls: AclsService) {}

  @Get()
  @ApiV3({ summary: 'Search ACLs', description: FILTER_NOTE, status: 200, response: aclDataListSchema, errors: ERRORS, errorNotes: NOTES })
  @FilterQueries()
  list(@BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) _c: string, @Query(aclFilterQuery) query: AclFilterQuery): AclDataList {
    return this.acls.list(baseUrl, query);
  }

  @Post()
  @HttpCode(201)
  @ApiV3({ summary: 'Create an ACL', status: 201, body: aclCreateRequestSchema, errors: ERRORS, errorNotes: NOTES })
  create(@Param('cluster_id', ClusterIdPipe) _c: string, @Body(aclCreateBody) body: AclCreateRequest): Promise<void> {
    return this.acls.create(body);
  }

  @Delete()
  @HttpCode(200)
  @ApiV3({ summary: 'Delete ACLs', description: `Deletes every ACL the filter matches and answers them. ${FILTER_NOTE}`, status: 200, response: aclDeleteResponseSchema, errors: ERRORS, errorNotes: NOTES })
  @FilterQueries()
  delete(@BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) _c: string, @Query(aclFilterQuery) query: AclFilterQuery): Promise<AclDeleteResponse> {
    return this.acls.delete(baseUrl, query);
  }
}
