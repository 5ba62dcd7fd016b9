import { NotFoundException } from '@nestjs/common';

/**
 * A record the caller may not see. It answers 404 like a record that does not
 * exist, so a refusal tells nothing, and it is audited as a denied access.
 */
export class NotVisible extends NotFoundException {
  constructor(
    readonly what: string,
    readonly id: string,
  ) {
    super(`No such ${what}`);
  }
}
