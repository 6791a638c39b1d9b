import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/**
 * The scheme and authority the client addressed (`http://host:port`), from which
 * resource links are built, as Confluent builds them from the request URI.
 */
export const BaseUrl = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  return `${request.protocol}://${request.host}`;
});
