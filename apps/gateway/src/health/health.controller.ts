import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Registry } from '@weir/broker-core';
import { REGISTRY } from '../registry/registry.module.js';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(@Inject(REGISTRY) private readonly registry: Registry) {}

  @Get('healthz')
  @ApiOperation({ summary: 'Liveness: the process is up and serving HTTP' })
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @ApiOperation({ summary: 'Readiness: the registry is open and answers reads' })
  readyz(): { status: 'ready' } {
    try {
      this.registry.exists('/');
    } catch (err) {
      throw new ServiceUnavailableException(`registry unavailable: ${err instanceof Error ? err.message : String(err)}`);
    }
    return { status: 'ready' };
  }
}
