import { Injectable } from '@nestjs/common';
import Joi from 'joi';

const schema = Joi.object({
  REFERRAL_DUPLICATE_WINDOW_DAYS: Joi.number().integer().min(0).max(365).default(14),
}).unknown(true);

/** Settings only intake has; a wrong one stops intake at start, naming it. */
@Injectable()
export class IntakeSettings {
  /** How many days apart two referrals' found dates may be and still be flagged as possible duplicates. */
  readonly duplicateWindowDays: number;

  constructor() {
    const { error, value } = schema.validate(
      { REFERRAL_DUPLICATE_WINDOW_DAYS: process.env.REFERRAL_DUPLICATE_WINDOW_DAYS },
      { abortEarly: false },
    ) as { error?: Joi.ValidationError; value: { REFERRAL_DUPLICATE_WINDOW_DAYS: number } };
    if (error) throw new Error(`invalid settings: ${error.message}`);
    this.duplicateWindowDays = value.REFERRAL_DUPLICATE_WINDOW_DAYS;
  }
}
