import 'reflect-metadata';
import { runService } from '@nrm/runtime';
import { IntakeModule } from './intake.module';

runService('intake', IntakeModule);
