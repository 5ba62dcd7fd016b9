import { Transform } from 'class-transformer';
import { IsString, Length, MaxLength } from 'class-validator';
import { ALL_CONTRACTS, EventEnvelope, findContract } from '@nrm/contracts';
import { ODD_KEYS, ODD_SHAPES, referralSubmittedPayload, SCALARS, variantsOf } from '@nrm/testing';
import { breaksNoRule } from './rule-shortcut';
import { parseAs, rememberValidationRules, validateAs } from './validation';

const ID = '0b8f7c1e-3c41-4a55-9d37-0f3f1f2a9a11';
const OTHER_ID = '5d2f3c8e-8a4b-4f0e-9c61-2b7d9e4f1a22';
const AT = '2026-11-20T08:30:00.000Z';

type Json = Record<string, unknown>;

const ENVELOPE: Json = {
  eventId: ID,
  type: 'referral.routed',
  version: 1,
  caseId: OTHER_ID,
  occurredAt: AT,
  correlationId: ID,
  causationId: OTHER_ID,
  actor: { id: 'cw-tak-1', role: 'case-worker', organisationId: 'dlpw-tak', provinceCode: 'TH-63' },
  payload: {},
};

/** One valid payload of every contract, by event type. */
const PAYLOADS: [string, Json][] = [
  [
    'referral.submitted',
    { ...referralSubmittedPayload(ID), languages: ['mya', 'tha'], possibleDuplicateOf: [OTHER_ID] },
  ],
  ['referral.deadline-breached', { referralId: ID, deadlineId: OTHER_ID, kind: 'opening', dueAt: AT }],
  ['referral.withdrawn', { referralId: ID }],
  [
    'referral.routed',
    {
      referralId: ID,
      decisionId: OTHER_ID,
      responsibleProvince: 'TH-63',
      riskGroup: 'A',
      urgency: 'urgent',
      ruleVersion: 3,
      matchedRules: ['found-in-province', 'shelter-for-adults'],
      offers: [
        { service: 'shelter', organisationId: 'tak-shelter' },
        { service: 'medical-care', organisationId: null },
      ],
    },
  ],
  [
    'service-offer.routed',
    {
      decisionId: ID,
      caseId: OTHER_ID,
      service: 'shelter',
      organisationId: 'tak-shelter',
      attempt: 2,
      ruleVersion: 3,
    },
  ],
  ['case.opened', { caseId: ID, provinceCode: 'TH-63', urgency: 'standard', riskGroup: 'B' }],
  [
    'case.transitioned',
    {
      caseId: ID,
      event: 'transfer',
      from: 'accepted',
      to: 'transferred',
      track: 'case',
      provinceCode: 'TH-63',
      transferTo: 'TH-10',
    },
  ],
  [
    'service-referral.transitioned',
    {
      caseId: ID,
      event: 'accept',
      from: 'offered',
      to: 'accepted',
      serviceReferralId: OTHER_ID,
      provinceCode: 'TH-63',
      service: 'shelter',
      organisationId: 'tak-shelter',
      consentBasis: 'consent',
    },
  ],
  [
    'case.deadline-updated',
    {
      caseId: ID,
      deadlineId: OTHER_ID,
      kind: 'screening',
      subjectId: ID,
      dueAt: AT,
      status: 'pending',
      provinceCode: 'TH-63',
    },
  ],
  [
    'case.escalated',
    {
      caseId: ID,
      escalationId: OTHER_ID,
      reason: 'no-provider',
      provinceCode: 'TH-63',
      deadlineKind: 'screening',
      service: 'shelter',
    },
  ],
  ['case.escalation-resolved', { caseId: ID, escalationId: OTHER_ID, provinceCode: 'TH-63' }],
  [
    'case.assigned',
    { caseId: ID, provinceCode: 'TH-63', caseManagerId: 'coord-tak-1', mdtMemberIds: ['sw-1', 'police@tak'] },
  ],
  [
    'case.follow-up-visit-recorded',
    { caseId: ID, provinceCode: 'TH-63', sequence: 1, outcome: 'doing-well' },
  ],
  [
    'notification.recorded',
    {
      notificationId: ID,
      caseId: OTHER_ID,
      channel: 'email',
      recipient: 'province:TH-63:coordinators',
      kind: 'case.opened',
    },
  ],
];

/** The envelope and every contract's payload, each with its class. */
const VALID: [string, new () => object, Json][] = [
  ['envelope', EventEnvelope, ENVELOPE],
  ...PAYLOADS.map(([type, payload]): [string, new () => object, Json] => [
    type,
    findContract(type, 1)?.payload as new () => object,
    payload,
  ]),
];

const isValid = (cls: new () => object, plain: unknown) => parseAs(cls, plain).problems.length === 0;

describe('the shortcut past class-validator', () => {
  beforeAll(() => rememberValidationRules());

  it('has a valid example of every contract', () => {
    expect(
      VALID.map(([name]) => name)
        .slice(1)
        .sort(),
    ).toEqual(ALL_CONTRACTS.map(({ type }) => type).sort());
    for (const [name, cls, plain] of VALID) expect([name, parseAs(cls, plain).problems]).toEqual([name, []]);
  });

  it('passes exactly what class-validator passes, in every contract and every variant of its values', () => {
    const disagreements: string[] = [];
    let passed = 0;
    let refused = 0;
    for (const [name, cls, plain] of VALID) {
      for (const variant of [plain, ...variantsOf(plain, { values: SCALARS, keys: ['extra'] }), ...SCALARS]) {
        const expected = isValid(cls, variant);
        if (breaksNoRule(cls, variant) !== expected)
          disagreements.push(`${name}: ${JSON.stringify(variant)}`);
        if (expected) passed += 1;
        else refused += 1;
      }
    }
    expect(disagreements).toEqual([]);
    // Both answers are tested: optional fields left out and conditions switched off pass.
    expect(passed).toBeGreaterThan(VALID.length * 3);
    expect(refused).toBeGreaterThan(passed * 5);
  });

  it('never passes what class-validator refuses, whatever the shape', () => {
    const wronglyPassed: string[] = [];
    const changes = { values: [...SCALARS, ...ODD_SHAPES], keys: ODD_KEYS };
    for (const [name, cls, plain] of VALID)
      for (const variant of [...variantsOf(plain, changes), ...ODD_SHAPES])
        if (breaksNoRule(cls, variant) && !isValid(cls, variant))
          wronglyPassed.push(`${name}: ${JSON.stringify(variant)}`);
    expect(wronglyPassed).toEqual([]);
  });

  it('applies a rule added after a check to the next check', () => {
    class Note {
      @IsString()
      text!: string;
    }
    expect(breaksNoRule(Note, { text: 'a long note' })).toBe(true);
    MaxLength(4)(Note.prototype, 'text');
    expect(breaksNoRule(Note, { text: 'a long note' })).toBe(false);
    expect(validateAs(Note, { text: 'a long note' })).toEqual([
      { field: 'text', constraints: ['maxLength'] },
    ]);
  });

  it('leaves a class whose values class-transformer changes to class-validator', () => {
    class Trimmed {
      @Transform(({ value }: { value: string }) => value.trim())
      @Length(1, 3)
      code!: string;
    }
    expect(breaksNoRule(Trimmed, { code: '  ab  ' })).toBe(false);
    expect(validateAs(Trimmed, { code: '  ab  ' })).toEqual([]);
    expect(validateAs(Trimmed, { code: ' abcd ' })).toEqual([{ field: 'code', constraints: ['isLength'] }]);
  });
});
