export { bootstrapService, runService } from './bootstrap';
export { strictValidationPipe } from './validation-pipe';
