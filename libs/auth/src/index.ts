export { AuthenticatedRequest } from './access.guard';
export { AuthModule } from './auth.module';
export { actorFromClaims, CLAIMS } from './claims';
export { Can, Permission, PERMISSIONS, Public, roleMay } from './permissions';
export { RequestActor } from './request-actor';
export { NotVisible } from './not-visible';
