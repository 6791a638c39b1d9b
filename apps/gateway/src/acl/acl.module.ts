import { Global, Module } from '@nestjs/common';
import { BrokerModule } from '../broker/broker.module.js';
import { RestAuthorizer } from './rest-authorizer.js';

/** The REST door's ACL checks, for every controller and service that reaches data or changes the cluster. */
@Global()
@Module({
  imports: [BrokerModule],
  providers: [RestAuthorizer],
  exports: [RestAuthorizer],
})
export class AclModule {}
