import { FieldCipher } from '@nrm/persistence';
import { TestSystem } from '@nrm/testing';
import { exampleReferral, post, Referral } from './intake-journey';
import { identifyingValues } from './referral-journey';

const KEY = Buffer.alloc(32, 'intake-screening-test-key').toString('base64');

interface Submitted {
  id: string;
  possibleDuplicates: { referralId: string; score: number; matchedOn: string[] }[];
}

/** A referral in a province of its own, so that only this file's referrals can match. */
function inMaeHongSon(change: (referral: Referral) => void = () => undefined): Referral {
  const referral = exampleReferral();
  referral.found = { provinceCode: 'TH-58', date: '2026-11-18' };
  referral.person.nationality = 'LAO';
  referral.person.gender = 'female';
  referral.person.age = 30;
  delete referral.identity;
  change(referral);
  return referral;
}

describe('intake stores screening data safely and flags possible duplicates', () => {
  const system = new TestSystem({ FIELD_ENCRYPTION_KEY: KEY, REFERRAL_DUPLICATE_WINDOW_DAYS: '14' });

  beforeAll(() => system.start(['intake']));
  afterAll(() => system.stop());

  async function submit(referral: Referral): Promise<Submitted> {
    const answer = await post<Submitted>(system, '/referrals', referral);
    expect(answer.status).toBe(201);
    return answer.body;
  }

  async function submittedPayload(id: string): Promise<Record<string, unknown>> {
    const [row] = await system.sql<{ payload: Record<string, unknown> }>(
      `SELECT envelope->'payload' AS payload FROM intake.outbox WHERE type = 'referral.submitted' AND envelope->>'caseId' = $1`,
      [id],
    );
    return row?.payload ?? {};
  }

  it('keeps identifying details unreadable without the key, and readable with it', async () => {
    const referral = exampleReferral();
    const { id } = await submit(referral);
    const [raw] = await system.sql<{ row: string; identity_ciphertext: string }>(
      'SELECT row_to_json(r)::text AS row, identity_ciphertext FROM intake.referral r WHERE id = $1',
      [id],
    );
    const secrets = [...identifyingValues(), referral.found.district as string];
    for (const secret of secrets) expect(raw?.row).not.toContain(secret);
    const [outbox] = await system.sql<{ envelopes: string }>(
      `SELECT string_agg(envelope::text, ' ') AS envelopes FROM intake.outbox WHERE envelope->>'caseId' = $1`,
      [id],
    );
    for (const secret of secrets) expect(outbox?.envelopes).not.toContain(secret);

    const decrypted = new FieldCipher(Buffer.from(KEY, 'base64')).decrypt<Referral>(
      raw?.identity_ciphertext ?? '',
    );
    expect(decrypted.identity).toEqual(referral.identity);
    expect(decrypted.narrative).toBe(referral.narrative);
    expect(decrypted.referrer.officer).toBe('officer-1042');
    expect(decrypted.person.district).toBe('Mae Sot');
    expect(() => new FieldCipher(Buffer.alloc(32, 9)).decrypt(raw?.identity_ciphertext ?? '')).toThrow();
  });

  it('stores the non-identifying screening answers and sends them in the event', async () => {
    const { id } = await submit(exampleReferral());
    const [row] = await system.sql<Record<string, unknown>>(
      `SELECT consent_basis, consent_to_share, consent_to_contact, danger_level, medical_need, urgent, screening
         FROM intake.referral WHERE id = $1`,
      [id],
    );
    expect(row).toMatchObject({
      consent_basis: 'person-consent',
      consent_to_share: true,
      consent_to_contact: true,
      danger_level: 'high',
      medical_need: 'non-urgent',
      urgent: true,
      screening: expect.objectContaining({
        immigrationDocumentStatus: 'documents-withheld',
        languages: ['ind'],
      }),
    });
    expect(await submittedPayload(id)).toMatchObject({
      consentToShare: true,
      consentToContact: true,
      childBestInterestRecorded: false,
      dangerLevel: 'high',
      urgent: true,
      interpreterNeeded: true,
      languages: ['ind'],
      forcedLabourSector: null,
      methodsOfControl: expect.arrayContaining(['withholding-documents']),
    });
  });

  it('records a best-interest decision for a child instead of consent', async () => {
    const referral = inMaeHongSon((r) => {
      r.found.provinceCode = 'TH-91';
      r.person.age = 14;
      r.exploitationTypes = ['forced-labour'];
      r.forcedLabourSector = 'fishing-aquaculture';
      delete r.consent;
      r.guardianOrBestInterest = {
        kind: 'best-interest-decision',
        recordedBy: 'sw-1',
        recordedAt: '2026-11-18T09:00:00Z',
      };
    });
    const { id } = await submit(referral);
    expect(await submittedPayload(id)).toMatchObject({
      isChild: true,
      consentToShare: false,
      childBestInterestRecorded: true,
      forcedLabourSector: 'fishing-aquaculture',
    });
  });

  it('flags a close match as a possible duplicate, both ways, and not a different person', async () => {
    const first = await submit(inMaeHongSon((r) => (r.identity = { documentNumber: 'P 1234-567' })));
    expect(first.possibleDuplicates).toEqual([]);

    const again = await submit(
      inMaeHongSon((r) => {
        r.person.age = 24;
        r.found.date = '2026-11-10';
        r.identity = { documentNumber: 'p1234567' };
      }),
    );
    expect(again.possibleDuplicates).toEqual([
      {
        referralId: first.id,
        score: expect.any(Number),
        matchedOn: [
          'foundInProvince',
          'nationality',
          'gender',
          'adjacentAgeBand',
          'foundWithinWindow',
          'documentNumber',
        ],
      },
    ]);
    expect((await submittedPayload(again.id)).possibleDuplicateOf).toEqual([first.id]);
    const firstNow = (
      await system.request<Submitted>('intake', 'GET', `/referrals/${first.id}`, undefined, 'case-worker')
    ).body;
    expect(firstNow.possibleDuplicates.map((d) => d.referralId)).toEqual([again.id]);
    const [stored] = await system.sql<{ row: string }>(
      'SELECT row_to_json(r)::text AS row FROM intake.referral r WHERE id = $1',
      [again.id],
    );
    expect(stored?.row).not.toMatch(/1234567/);

    for (const different of [
      inMaeHongSon((r) => (r.found.provinceCode = 'TH-57')),
      inMaeHongSon((r) => (r.person.nationality = 'MMR')),
      inMaeHongSon((r) => (r.person.gender = 'male')),
      inMaeHongSon((r) => (r.found.date = '2026-10-01')),
      inMaeHongSon((r) => (r.identity = { documentNumber: 'Q7654321' })),
    ]) {
      const answer = await submit(different);
      expect(answer.possibleDuplicates).toEqual([]);
      expect((await submittedPayload(answer.id)).possibleDuplicateOf).toEqual([]);
    }
  });

  it('flags the same people handed over by several case workers at the same moment, each pair once', async () => {
    // Three lists of the same 40 people (told apart by their documents), sent together: each
    // person's three referrals must flag one another once, whichever list is written first.
    const people = Array.from({ length: 40 }, (_, index) =>
      inMaeHongSon((r) => {
        r.found.provinceCode = 'TH-94';
        r.identity = { documentNumber: `M${100_000 + index}` };
      }),
    );
    const lists = await Promise.all(
      [1, 2, 3].map(() => post<{ rows: { referralId: string }[] }>(system, '/referrals/batch', people)),
    );
    const ids = lists.map((list) => list.body.rows.map((row) => row.referralId));
    const flags = new Map<string, string[]>();
    for (const id of ids.flat()) flags.set(id, (await submittedPayload(id)).possibleDuplicateOf as string[]);
    for (const index of people.keys()) {
      const samePerson = ids.map((list) => list[index]);
      for (const [position, id] of samePerson.entries()) {
        expect(flags.get(id)?.every((flagged) => samePerson.includes(flagged))).toBe(true);
        for (const other of samePerson.slice(position + 1))
          expect(
            [flags.get(id)?.includes(other), flags.get(other)?.includes(id)].filter(Boolean),
          ).toHaveLength(1);
      }
    }
  });

  it('flags the same person listed twice in one mass handover, against the row before', async () => {
    const samePerson = (documentNumber: string) =>
      inMaeHongSon((r) => {
        r.found.provinceCode = 'TH-96';
        r.identity = { documentNumber };
      });
    const answer = await post<{ rows: { row: number; referralId: string }[] }>(system, '/referrals/batch', [
      samePerson('N 555 001'),
      samePerson('X 999 999'),
      samePerson('n555001'),
    ]);
    expect(answer.status).toBe(200);
    const [first, other, again] = answer.body.rows.map((row) => row.referralId);
    expect((await submittedPayload(first)).possibleDuplicateOf).toEqual([]);
    expect((await submittedPayload(other)).possibleDuplicateOf).toEqual([]);
    expect((await submittedPayload(again)).possibleDuplicateOf).toEqual([first]);
  });
});
