import 'reflect-metadata';
import { runService } from '@nrm/runtime';

runService('notifications', async () => (await import('./notifications.module')).NotificationsModule);
