import 'reflect-metadata';
import { CATCH_UP_SERVICES, CatchUpService } from '@nrm/config';
import { HostedService, runServices } from '@nrm/runtime';

const rootModules: Record<CatchUpService, HostedService['loadRootModule']> = {
  routing: async () => (await import('../../routing/src/routing.module')).RoutingModule,
  province: async () => (await import('../../province/src/province.module')).ProvinceModule,
  notifications: async () =>
    (await import('../../notifications/src/notifications.module')).NotificationsModule,
  oversight: async () => (await import('../../oversight/src/oversight.module')).OversightModule,
};

runServices(CATCH_UP_SERVICES.map((service) => ({ service, loadRootModule: rootModules[service] })));
