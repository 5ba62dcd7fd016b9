export {
  AUDIT_ACTIONS,
  AuditAction,
  AuditEntry,
  AuditRecord,
  AuditTrail,
  ChainCheck,
  entryHash,
} from './audit-trail';
export { AuditedRead, AuditedWithChange, ChangeAuditRecord } from './audit.interceptor';
export { AuditModule } from './audit.module';
