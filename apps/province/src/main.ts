import 'reflect-metadata';
import { runService } from '@nrm/runtime';

runService('province', async () => (await import('./province.module')).ProvinceModule);
