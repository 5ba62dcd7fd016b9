import 'reflect-metadata';
import { runService } from '@nrm/runtime';
import { ProvinceModule } from './province.module';

runService('province', ProvinceModule);
