import 'reflect-metadata';
import { runService } from '@nrm/runtime';

runService('routing', async () => (await import('./routing.module')).RoutingModule);
