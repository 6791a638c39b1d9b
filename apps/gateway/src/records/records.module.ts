import { Module } from '@nestjs/common';
import { BrokerModule } from '../broker/broker.module.js';
import { RecordsController } from './records.controller.js';
import { RecordsService } from './records.service.js';

@Module({
  imports: [BrokerModule],
  controllers: [RecordsController],
  providers: [RecordsService],
})
export class RecordsModule {}
