import { Module } from '@nestjs/common';
import { BrokerModule } from '../broker/broker.module.js';
import { RegistryModule } from '../registry/registry.module.js';
import { LiveGateway, LiveHubProvider } from './live.gateway.js';

@Module({
  imports: [BrokerModule, RegistryModule],
  providers: [LiveHubProvider, LiveGateway],
})
export class LiveModule {}
