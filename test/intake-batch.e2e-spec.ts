import { PROVINCE_CODES } from '@nrm/contracts';
import { TestSystem } from '@nrm/testing';
import { exampleReferral, FieldError, intakeCounts, post, Referral } from './intake-journey';

interface BatchReport {
  created: number;
  rejected: number;
  rows: ({ row: number; referralId: string } | { row: number; errors: FieldError[] })[];
}

/** Row i of a mass handover: spread over provinces and ages so that few rows look alike. */
function handoverRow(i: number): Referral {
  const referral = exampleReferral();
  referral.found.provinceCode = PROVINCE_CODES[i % PROVINCE_CODES.length];
  referral.person.age = 18 + (i % 40);
  referral.identity = { fullName: `Person ${i}`, documentNumber: `DOC${i}` };
  return referral;
}

describe('batch intake for mass handovers', () => {
  const system = new TestSystem();

  beforeAll(() => system.start(['intake']));
  afterAll(() => system.stop());

  it('creates the 480 valid rows of 500 and reports the 20 invalid ones with their field errors', async () => {
    const before = await intakeCounts(system);
    const invalidRows = new Set(Array.from({ length: 20 }, (_, k) => 7 + k * 25));
    const rows = Array.from({ length: 500 }, (_, index) => {
      const referral = handoverRow(index);
      if (invalidRows.has(index + 1)) referral.person.nationality = 'Myanmar';
      return referral;
    });
    const answer = await post<BatchReport>(system, '/referrals/batch', rows, { 'accept-language': 'th' });
    expect(answer.status).toBe(200);
    expect(answer.body.created).toBe(480);
    expect(answer.body.rejected).toBe(20);
    expect(answer.body.rows).toHaveLength(500);
    const rejected = answer.body.rows.filter((row) => 'errors' in row);
    expect(rejected.map((row) => row.row)).toEqual([...invalidRows]);
    for (const row of rejected)
      expect('errors' in row && row.errors).toEqual([
        {
          field: 'person.nationality',
          constraints: ['matches'],
          message: 'สัญชาติต้องเป็นรหัส ISO ตัวอักษรภาษาอังกฤษพิมพ์ใหญ่สามตัว เช่น MMR',
        },
      ]);
    const after = await intakeCounts(system);
    expect(after.referrals - (before.referrals ?? 0)).toBe(480);
    expect(after.outbox - (before.outbox ?? 0)).toBe(480);
    expect(after.deadlines - (before.deadlines ?? 0)).toBe(480);
    const ids = answer.body.rows.flatMap((row) => ('referralId' in row ? [row.referralId] : []));
    expect(new Set(ids).size).toBe(480);
  });

  it('takes a CSV upload with the documented columns', async () => {
    const header =
      'referrer.organisation,referrer.officer,referrer.contactChannel,cameToNoticeVia,found.provinceCode,found.date,' +
      'person.age,person.gender,person.nationality,person.languages,exploitationTypes,forcedLabourSector,' +
      'indicators.forcedLabour,needs.dangerLevel,needs.medical,needs.shelter,consent.shareWithServiceProviders,' +
      'consent.contactLater,consent.recordedBy,consent.recordedAt,guardianOrBestInterest.kind,' +
      'guardianOrBestInterest.recordedBy,guardianOrBestInterest.recordedAt,identity.fullName';
    const csv = [
      header,
      'tak-pesdho,sw-12,phone,police-operation,TH-63,2026-11-19,31,male,MMR,mya|tha,forced-labour,fishing-aquaculture,' +
        'debt-bondage|withheld-wages,low,none,true,true,false,sw-12,2026-11-19T10:00:00+07:00,,,,"Ko, Aung"',
      'tak-pesdho,sw-12,phone,police-operation,TH-63,2026-11-19,16,female,MMR,mya,sexual,,,immediate,urgent,yes,,,,,' +
        'best-interest-decision,sw-12,2026-11-19T10:05:00+07:00,Ma Hla',
      'tak-pesdho,sw-12,phone,police-operation,TH-63,2026-11-19,thirty,male,MMR,mya,forced-labour,,,low,none,true,' +
        'true,true,sw-12,2026-11-19T10:10:00+07:00,,,,Ko Min',
    ].join('\r\n');
    const answer = await post<BatchReport>(system, '/referrals/batch', csv, { 'content-type': 'text/csv' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ created: 2, rejected: 1 });
    expect(answer.body.rows[2]).toEqual({
      row: 3,
      errors: [
        { field: 'person.age', constraints: ['max', 'min', 'isInt'], message: 'Age must be a whole number' },
        {
          field: 'forcedLabourSector',
          constraints: ['requiredForForcedLabour'],
          message: 'Forced-labour sector is required when forced labour is suspected',
        },
      ],
    });
    for (const text of ['Ko, Aung', 'Ma Hla', 'Ko Min'])
      expect(JSON.stringify(answer.body)).not.toContain(text);
  });

  it('refuses a whole upload that is not a list, too long, or in unknown columns, creating nothing', async () => {
    const before = await intakeCounts(system);
    const notAList = await post(system, '/referrals/batch', { rows: [] });
    expect(notAList.status).toBe(400);
    expect(notAList.body.errors).toEqual([
      { field: 'rows', constraints: ['isArray'], message: 'The batch must be a list' },
    ]);
    const tooLong = await post(
      system,
      '/referrals/batch',
      Array.from({ length: 1_001 }, () => ({})),
      {
        'accept-language': 'th',
      },
    );
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors[0]?.message).toBe('ชุดข้อมูลที่ส่งมีจำนวนรายการมากเกินไป');
    const unknownColumn = await post(system, '/referrals/batch', 'person.shoeSize\n42\n', {
      'content-type': 'text/csv',
    });
    expect(unknownColumn.status).toBe(400);
    expect(unknownColumn.body.errors).toEqual([
      {
        field: 'person.shoeSize',
        constraints: ['whitelistValidation'],
        message: '"person.shoeSize" is not a field of this form',
      },
    ]);
    expect(await intakeCounts(system)).toEqual(before);
  });
});
