import 'reflect-metadata';
import { runService } from '@nrm/runtime';

runService('oversight', async () => (await import('./oversight.module')).OversightModule);
