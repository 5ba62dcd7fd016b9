import 'reflect-metadata';
import { runService } from '@nrm/runtime';

runService('intake', async () => (await import('./intake.module')).IntakeModule);
