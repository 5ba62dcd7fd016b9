import { Module } from '@nestjs/common';
import { PlatformModule } from '@nrm/runtime';
import { CasesController } from './cases/cases.controller';
import { CasesService } from './cases/cases.service';
import { ProvinceDatabase } from './persistence/province-database.service';

@Module({
  imports: [PlatformModule.forService({ service: 'province', database: ProvinceDatabase })],
  controllers: [CasesController],
  providers: [CasesService],
})
export class ProvinceModule {}
