import { DocumentFingerprint, DuplicateTraits, matchDuplicate, normaliseDocumentNumber } from './duplicates';

const base: DuplicateTraits = {
  provinceCode: 'TH-63',
  nationality: 'MMR',
  gender: 'female',
  ageBand: '25-34',
  foundOn: '2026-11-20',
  documentHmac: null,
};

describe('possible duplicates', () => {
  it('matches the same traits found on the same day with a high score', () => {
    expect(matchDuplicate(base, base, 14)).toEqual({
      score: 80,
      matchedOn: ['foundInProvince', 'nationality', 'gender', 'ageBand', 'foundOn'],
    });
  });

  it('matches an adjacent age band within the window, with a lower score', () => {
    const match = matchDuplicate(base, { ...base, ageBand: '18-24', foundOn: '2026-11-13' }, 14);
    expect(match?.matchedOn).toEqual([
      'foundInProvince',
      'nationality',
      'gender',
      'adjacentAgeBand',
      'foundWithinWindow',
    ]);
    expect(match?.score).toBe(63);
  });

  it.each([
    ['another province', { provinceCode: 'TH-27' }],
    ['another nationality', { nationality: 'KHM' }],
    ['another gender', { gender: 'male' }],
    ['a band two away', { ageBand: '45-59' }],
    ['found outside the window', { foundOn: '2026-11-05' }],
    ['another document', { documentHmac: 'b' }],
  ] as const)('does not match %s', (_name, change) => {
    expect(
      matchDuplicate({ ...base, documentHmac: 'a' }, { ...base, documentHmac: 'a', ...change }, 14),
    ).toBeNull();
  });

  it('adds the document number when both carry the same one', () => {
    const match = matchDuplicate({ ...base, documentHmac: 'a' }, { ...base, documentHmac: 'a' }, 14);
    expect(match).toEqual({ score: 100, matchedOn: expect.arrayContaining(['documentNumber']) });
  });

  it('fingerprints document numbers after normalising them, with a key', () => {
    expect(normaliseDocumentNumber(' mc-123 456 ')).toBe('MC123456');
    const fingerprint = new DocumentFingerprint(Buffer.alloc(32, 1));
    expect(fingerprint.of('MC123456')).toBe(fingerprint.of('mc-123 456'));
    expect(fingerprint.of('MC123456')).not.toContain('123456');
    expect(fingerprint.of('MC123456')).not.toBe(new DocumentFingerprint(Buffer.alloc(32, 2)).of('MC123456'));
    expect(fingerprint.of(undefined)).toBeNull();
    expect(fingerprint.of(' - ')).toBeNull();
  });
});
