import { Module } from '@nestjs/common';
import { AclModule } from '../../../acl/acl.module.js';
import { BrokerModule } from '../../../broker/broker.module.js';
import { ClusterIdPipe } from '../common/params.js';
import { AclsController } from './acls.controller.js';
import { AclsService } from './acls.service.js';

/** /v3/clusters/{id}/acls; also brings in the REST door's ACL checks (AclModule, global). */
@Module({
  imports: [BrokerModule, AclModule],
  controllers: [AclsController],
  providers: [AclsService, ClusterIdPipe],
})
export class AclsModule {}
