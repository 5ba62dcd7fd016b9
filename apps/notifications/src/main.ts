import 'reflect-metadata';
import { runService } from '@nrm/runtime';
import { NotificationsModule } from './notifications.module';

runService('notifications', NotificationsModule);
