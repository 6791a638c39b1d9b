import { Controller, Get, Inject, Param, Query, UseInterceptors } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import type { BrokerApi, Registry } from '@weir/broker-core';
import { REGISTRY_CHILDREN_DEFAULT_LIMIT, REGISTRY_CHILDREN_MAX_LIMIT, type RegistryNodeData, registryNodeDataSchema, registryNodeQuerySchema, type RegistryNodeQuery } from '@weir/contracts';
import { BROKER } from '../../../broker/broker.module.js';
import { ZodValidationPipe } from '../../../errors/zod-validation.pipe.js';
import { REGISTRY } from '../../../registry/registry.module.js';
import { JsonOnlyInterceptor } from '../common/json-only.interceptor.js';
import { ApiV3 } from '../common/openapi.js';
import { ClusterIdPipe } from '../common/params.js';
import { BaseUrl } from '../common/request-context.js';
import { V3Urls } from '../common/urls.js';
import { readRegistryNode } from './registry-node.js';

const nodeQuery = new ZodValidationPipe(registryNodeQuerySchema, 'query');

/**
 * Weir's read-only registry browser: one znode at a time, as ZooKeeper's `get -s` and
 * `ls` show it. No writes: the registry is the brokers' own state, changed only through
 * the admin APIs that keep it consistent.
 */
@ApiTags('Registry (v3, Weir extension)')
@Controller('v3/clusters/:cluster_id/registry')
@UseInterceptors(JsonOnlyInterceptor)
export class RegistryController {
  constructor(
    @Inject(REGISTRY) private readonly registry: Registry,
    @Inject(BROKER) private readonly broker: BrokerApi,
  ) {}

  @Get('nodes')
  @ApiV3({
    summary: 'Get Registry Node (a znode\'s data, Stat, ephemeral owner and children; Weir extension)',
    description: 'The znode at `path`: its data as UTF-8 text (null when not valid UTF-8) and base64, its Stat, the session owning it when ephemeral and the broker registered under that session, and one page of its children\'s names, sorted (`children.metadata.next` links the next page).',
    status: 200, response: registryNodeDataSchema, errors: [400, 404],
    errorNotes: { 400: 'An invalid path (not absolute, a trailing slash, an empty, "." or ".." segment, a control character) or paging parameter (error_code 400)', 404: 'Unknown cluster, or no znode at the path (error_code 404)' },
  })
  @ApiQuery({ name: 'path', required: false, type: String, description: 'Absolute znode path, e.g. /brokers/ids; default /' })
  @ApiQuery({ name: 'children_limit', required: false, type: Number, description: `Children names per page, 1-${REGISTRY_CHILDREN_MAX_LIMIT}; default ${REGISTRY_CHILDREN_DEFAULT_LIMIT}` })
  @ApiQuery({ name: 'children_after', required: false, type: String, description: 'Only children whose names sort after this one (the previous page\'s last name)' })
  node(@BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) clusterId: string, @Query(nodeQuery) query: RegistryNodeQuery): RegistryNodeData {
    return readRegistryNode(this.registry, clusterId, `${new V3Urls(baseUrl, this.broker.clusterId).cluster}/registry/nodes`, query);
  }
}
