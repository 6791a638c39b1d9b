import { Inject, Injectable, type PipeTransform } from '@nestjs/common';
import type { BrokerApi } from '@weir/broker-core';
import { topicNameSchema } from '@weir/contracts';
import { z } from 'zod';
import { BROKER } from '../../../broker/broker.module.js';
import { RestError } from '../../../errors/rest-error.js';
import { ZodValidationPipe } from '../../../errors/zod-validation.pipe.js';

/** Path parameters arrive as strings; ids are non-negative int32 in decimal. */
const int32Id = z
  .string()
  .regex(/^\d{1,10}$/, 'must be a non-negative integer')
  .transform(Number)
  .refine((n) => n <= 2_147_483_647, 'must fit in 32 bits');

export const topicNameParam = new ZodValidationPipe(topicNameSchema, 'topic name');
export const partitionIdParam = new ZodValidationPipe(int32Id, 'partition id');
export const brokerIdParam = new ZodValidationPipe(int32Id, 'broker id');
export const configNameParam = new ZodValidationPipe(z.string().min(1).max(255), 'config name');

/**
 * Checks `{cluster_id}` against the broker's cluster id: a request for another cluster
 * is Confluent's 404 "Cluster <id> cannot be found." before any work is done.
 */
@Injectable()
export class ClusterIdPipe implements PipeTransform<string, string> {
  constructor(@Inject(BROKER) private readonly broker: BrokerApi) {}

  transform(clusterId: string): string {
    return requireClusterId(this.broker, clusterId);
  }
}

/** ClusterIdPipe's check, for a route that checks its parameters itself. */
export function requireClusterId(broker: BrokerApi, clusterId: string): string {
  if (clusterId !== broker.clusterId) throw RestError.clusterNotFound(clusterId);
  return clusterId;
}
