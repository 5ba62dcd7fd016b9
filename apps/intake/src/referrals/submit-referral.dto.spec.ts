import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { instanceBreaksNoRule, rememberValidationRules } from '@nrm/messaging';
import { strictValidationOptions, strictValidationPipe } from '@nrm/runtime';
import { ODD_KEYS, ODD_SHAPES, SCALARS, variantsOf } from '@nrm/testing';
import { SubmitReferralDto } from './submit-referral.dto';

const EXAMPLE: unknown = JSON.parse(
  readFileSync(join(__dirname, '../../../../examples/referral.json'), 'utf8'),
);
const BODY: ArgumentMetadata = { type: 'body', metatype: SubmitReferralDto };

const outcomeOf = (pipe: ValidationPipe, body: unknown): Promise<unknown> =>
  pipe.transform(structuredClone(body), BODY).then(
    (value: unknown) => ({ value }),
    (error: { getResponse(): unknown }) => ({ error: error.getResponse() }),
  );

describe('checking a referral submission', () => {
  beforeAll(() => rememberValidationRules());

  it('gives, through the request pipe, the answer class-validator alone gives to every variant of the example', async () => {
    const pipe = strictValidationPipe();
    const reference = new ValidationPipe(strictValidationOptions());
    const disagreements: string[] = [];
    for (const body of [
      EXAMPLE,
      ...variantsOf(EXAMPLE, { values: [...SCALARS, ...ODD_SHAPES], keys: ODD_KEYS }),
    ]) {
      const [answer, expected] = await Promise.all([outcomeOf(pipe, body), outcomeOf(reference, body)]);
      if (!isDeepStrictEqual(answer, expected)) disagreements.push(JSON.stringify(body));
    }
    expect(disagreements).toEqual([]);
  });

  it('lets through without class-validator exactly the submissions class-validator passes', () => {
    const disagreements: string[] = [];
    let passed = 0;
    for (const body of [EXAMPLE, ...variantsOf(EXAMPLE, { values: SCALARS, keys: ['extra'] })]) {
      const referral = plainToInstance(SubmitReferralDto, body);
      const expected = validateSync(referral, { whitelist: true, forbidNonWhitelisted: true }).length === 0;
      if (instanceBreaksNoRule(referral) !== expected) disagreements.push(JSON.stringify(body));
      if (expected) passed += 1;
    }
    expect(disagreements).toEqual([]);
    expect(passed).toBeGreaterThan(10);
  });
});
