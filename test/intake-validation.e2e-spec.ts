import { TestSystem } from '@nrm/testing';
import { childReferral, ErrorBody, exampleReferral, intakeCounts, post, Referral } from './intake-journey';

const THAI = /[\u0E00-\u0E7F]/;

interface Case {
  name: string;
  referral: Referral;
  /** Every field error expected, with one rule each must name. */
  errors: Record<string, string>;
  /** Exact messages to check for one field, in English and Thai. */
  messages?: { field: string; en: string; th: string };
}

function broken(
  name: string,
  change: (referral: Referral) => void,
  errors: Record<string, string>,
  base = exampleReferral,
): Case {
  const referral = base();
  change(referral);
  return { name, referral, errors };
}

const CASES: Case[] = [
  broken('missing referrer', (r) => delete r.referrer, { referrer: 'isDefined' }),
  broken('missing how the person came to notice', (r) => delete r.cameToNoticeVia, {
    cameToNoticeVia: 'isIn',
  }),
  broken('missing found date', (r) => delete r.found.date, { 'found.date': 'isDateString' }),
  broken('found date not a date', (r) => (r.found.date = '20-11-2026'), { 'found.date': 'isDateString' }),
  broken('found date in the future', (r) => (r.found.date = '2099-01-01'), { 'found.date': 'notInFuture' }),
  broken('unknown province', (r) => (r.found.provinceCode = 'TH-99'), { 'found.provinceCode': 'isIn' }),
  broken('age as text', (r) => (r.person.age = '27'), { 'person.age': 'isInt' }),
  broken('age too high', (r) => (r.person.age = 130), { 'person.age': 'max' }),
  broken('age band not agreeing with age', (r) => (r.person.ageBand = '12-17'), {
    'person.ageBand': 'matchesAge',
  }),
  broken(
    'neither age nor age band',
    (r) => {
      delete r.person.age;
    },
    { 'person.ageBand': 'ageOrAgeBand' },
  ),
  broken('unknown gender', (r) => (r.person.gender = 'man'), { 'person.gender': 'isIn' }),
  {
    ...broken('nationality not an ISO code', (r) => (r.person.nationality = 'Indonesia'), {
      'person.nationality': 'matches',
    }),
    messages: {
      field: 'person.nationality',
      en: 'Nationality must be a three-letter ISO code',
      th: 'สัญชาติต้องเป็นรหัส ISO ตัวอักษรภาษาอังกฤษพิมพ์ใหญ่สามตัว เช่น MMR',
    },
  },
  broken('language not an ISO code', (r) => (r.person.languages = ['indonesian']), {
    'person.languages': 'matches',
  }),
  broken('too many languages', (r) => (r.person.languages = 'abcdefghijk'.split('').map((c) => `${c}aa`)), {
    'person.languages': 'arrayMaxSize',
  }),
  broken('interpreter flag as text', (r) => (r.person.interpreterNeeded = 'yes'), {
    'person.interpreterNeeded': 'isBoolean',
  }),
  {
    ...broken('pregnancy recorded for a man', (r) => (r.person.pregnancy = true), {
      'person.pregnancy': 'notWithGender',
    }),
    messages: {
      field: 'person.pregnancy',
      en: 'Pregnancy cannot be recorded for the gender given',
      th: 'ไม่สามารถบันทึกการตั้งครรภ์สำหรับเพศที่ระบุได้',
    },
  },
  broken('disability kinds without a disability', (r) => (r.person.disabilityKinds = ['visual']), {
    'person.disabilityKinds': 'onlyWithDisability',
  }),
  broken('unknown immigration document status', (r) => (r.person.immigrationDocumentStatus = 'illegal'), {
    'person.immigrationDocumentStatus': 'isIn',
  }),
  broken('no exploitation type', (r) => (r.exploitationTypes = []), { exploitationTypes: 'arrayMinSize' }),
  broken('unknown exploitation type', (r) => (r.exploitationTypes = ['slavery']), {
    exploitationTypes: 'isIn',
  }),
  {
    ...broken('forced labour without its sector', (r) => (r.exploitationTypes = ['forced-labour']), {
      forcedLabourSector: 'requiredForForcedLabour',
    }),
    messages: {
      field: 'forcedLabourSector',
      en: 'Forced-labour sector is required when forced labour is suspected',
      th: 'ต้องระบุประเภทงานที่ถูกบังคับใช้แรงงานเมื่อสงสัยว่ามีการบังคับใช้แรงงาน',
    },
  },
  broken('sector without forced labour', (r) => (r.forcedLabourSector = 'fishing-aquaculture'), {
    forcedLabourSector: 'onlyForForcedLabour',
  }),
  broken(
    'unknown sector',
    (r) => {
      r.exploitationTypes = ['forced-labour'];
      r.forcedLabourSector = 'mining';
    },
    { forcedLabourSector: 'isIn' },
  ),
  broken('unknown forced-labour indicator', (r) => (r.indicators.forcedLabour = ['hunger']), {
    'indicators.forcedLabour': 'isIn',
  }),
  broken('unknown method of control', (r) => (r.indicators.methodsOfControl = ['magic']), {
    'indicators.methodsOfControl': 'isIn',
  }),
  broken('missing needs', (r) => delete r.needs, { needs: 'isDefined' }),
  broken('unknown danger level', (r) => (r.needs.dangerLevel = 'extreme'), { 'needs.dangerLevel': 'isIn' }),
  broken('shelter need as text', (r) => (r.needs.shelter = 'yes'), { 'needs.shelter': 'isBoolean' }),
  {
    ...broken('adult without consent', (r) => delete r.consent, { consent: 'requiredForAdult' }),
    messages: {
      field: 'consent',
      en: 'Consent is required for an adult',
      th: 'ต้องระบุความยินยอมสำหรับผู้ที่มีอายุ 18 ปีขึ้นไป',
    },
  },
  broken('consent purpose missing', (r) => delete r.consent.shareWithServiceProviders, {
    'consent.shareWithServiceProviders': 'isBoolean',
  }),
  broken('consent recorded in the future', (r) => (r.consent.recordedAt = '2099-01-01T00:00:00Z'), {
    'consent.recordedAt': 'notInFuture',
  }),
  broken('consent time without a time', (r) => (r.consent.recordedAt = '2026-11-20'), {
    'consent.recordedAt': 'matches',
  }),
  {
    ...broken(
      'child without guardian consent or best-interest decision',
      (r) => delete r.guardianOrBestInterest,
      {
        guardianOrBestInterest: 'requiredForChild',
      },
      childReferral,
    ),
    messages: {
      field: 'guardianOrBestInterest',
      en: 'Guardian consent or best-interest decision is required for a child (under 18)',
      th: 'ต้องระบุความยินยอมของผู้ปกครองหรือการตัดสินใจเพื่อประโยชน์สูงสุดของเด็กสำหรับเด็ก (อายุต่ำกว่า 18 ปี)',
    },
  },
  broken(
    'child decision of an unknown kind',
    (r) => (r.guardianOrBestInterest.kind = 'teacher'),
    {
      'guardianOrBestInterest.kind': 'isIn',
    },
    childReferral,
  ),
  broken(
    'best-interest decision for an adult',
    (r) => {
      r.guardianOrBestInterest = childReferral().guardianOrBestInterest;
    },
    { guardianOrBestInterest: 'onlyForChild' },
  ),
  broken('date of birth in the future', (r) => (r.identity.dateOfBirth = '2099-03-14'), {
    'identity.dateOfBirth': 'notInFuture',
  }),
  broken('name too long', (r) => (r.identity.fullName = 'x'.repeat(201)), {
    'identity.fullName': 'isLength',
  }),
  broken('narrative too long', (r) => (r.narrative = 'x'.repeat(20_001)), { narrative: 'isLength' }),
  broken('unknown contact channel', (r) => (r.referrer.contactChannel = 'pigeon'), {
    'referrer.contactChannel': 'isIn',
  }),
  {
    ...broken('unknown top-level field', (r) => (r.favouriteColour = 'blue'), {
      favouriteColour: 'whitelistValidation',
    }),
    messages: {
      field: 'favouriteColour',
      en: '"favouriteColour" is not a field of this form',
      th: 'แบบฟอร์มนี้ไม่มีช่องข้อมูล "favouriteColour"',
    },
  },
  broken('unknown nested field', (r) => (r.person.shoeSize = 42), {
    'person.shoeSize': 'whitelistValidation',
  }),
  broken(
    'several problems at once',
    (r) => {
      r.person.nationality = 'indonesian';
      r.found.provinceCode = 'Tak';
      r.exploitationTypes = ['forced-labour'];
      delete r.consent;
      r.extra = true;
    },
    {
      'person.nationality': 'matches',
      'found.provinceCode': 'isIn',
      forcedLabourSector: 'requiredForForcedLabour',
      consent: 'requiredForAdult',
      extra: 'whitelistValidation',
    },
  ),
];

describe('intake refuses invalid referrals', () => {
  const system = new TestSystem();
  let before: Record<string, number>;

  beforeAll(async () => {
    await system.start(['intake']);
    before = await intakeCounts(system);
  });
  afterAll(() => system.stop());

  it('accepts the valid examples it starts from', async () => {
    for (const referral of [exampleReferral(), childReferral()]) {
      const answer = await post(system, '/referrals', referral);
      expect(answer.status).toBe(201);
    }
    before = await intakeCounts(system);
  });

  it.each(CASES.map((c) => [c.name, c] as const))(
    '%s: 400 naming every field, in English and Thai',
    async (_name, c) => {
      const english = await post<ErrorBody>(system, '/referrals', c.referral);
      const thai = await post<ErrorBody>(system, '/referrals', c.referral, {
        'accept-language': 'th-TH,th;q=0.9,en;q=0.5',
      });
      for (const [answer, language] of [
        [english, 'en'],
        [thai, 'th'],
      ] as const) {
        expect(answer.status).toBe(400);
        expect(answer.body.statusCode).toBe(400);
        expect(answer.body.error).toBe('Bad Request');
        expect(answer.body.message).toBe(
          language === 'th' ? 'คำขอมีข้อมูลที่ไม่ถูกต้อง' : 'The request has invalid fields',
        );
        expect(answer.body.errors.map((error) => error.field).sort()).toEqual(Object.keys(c.errors).sort());
        for (const [field, constraint] of Object.entries(c.errors)) {
          const error = answer.body.errors.find((candidate) => candidate.field === field);
          expect(error?.constraints).toContain(constraint);
          expect(error?.message).toEqual(expect.any(String));
          expect(THAI.test(error?.message ?? '')).toBe(language === 'th');
        }
        // Never the rejected value (checked for the text values this table sends).
        for (const error of answer.body.errors) {
          for (const rejected of [
            'Indonesia',
            'indonesian',
            'pigeon',
            'xxxxxxxxxx',
            'blue',
            'slavery',
            'illegal',
          ])
            expect(error.message).not.toContain(rejected);
        }
      }
      if (c.messages) {
        const { field, en, th } = c.messages;
        expect(english.body.errors.find((error) => error.field === field)?.message).toBe(en);
        expect(thai.body.errors.find((error) => error.field === field)?.message).toBe(th);
      }
    },
  );

  it('answers in Thai for th and th-TH, in English otherwise', async () => {
    const referral = exampleReferral();
    referral.person.nationality = 'x';
    for (const [header, expected] of [
      ['th', 'สัญชาติ'],
      ['th-TH', 'สัญชาติ'],
      ['en-GB,th;q=0.5', 'Nationality'],
      ['fr-FR', 'Nationality'],
      ['', 'Nationality'],
    ]) {
      const answer = await post<ErrorBody>(
        system,
        '/referrals',
        referral,
        header ? { 'accept-language': header } : {},
      );
      expect(answer.body.errors[0]?.message.startsWith(expected)).toBe(true);
    }
  });

  it('persisted nothing for any rejected referral', async () => {
    expect(await intakeCounts(system)).toEqual(before);
  });
});
