import 'reflect-metadata';
import { runService } from '@nrm/runtime';
import { RoutingModule } from './routing.module';

runService('routing', RoutingModule);
