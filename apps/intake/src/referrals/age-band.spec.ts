import { adjacentBands, ageAgreesWithBand, ageBandOf, resolveAgeBand } from './age-band';

describe('age bands', () => {
  it.each([
    [0, '0-11'],
    [11, '0-11'],
    [12, '12-17'],
    [17, '12-17'],
    [18, '18-24'],
    [59, '45-59'],
    [60, '60+'],
    [120, '60+'],
  ])('age %i is in band %s', (age, band) => expect(ageBandOf(age)).toBe(band));

  it('resolves the band from the age, the band, or both when they agree', () => {
    expect(resolveAgeBand(17, undefined)).toBe('12-17');
    expect(resolveAgeBand(undefined, '25-34')).toBe('25-34');
    expect(resolveAgeBand(27, '25-34')).toBe('25-34');
    expect(resolveAgeBand(27, '12-17')).toBeUndefined();
    expect(resolveAgeBand('27', undefined)).toBeUndefined();
    expect(resolveAgeBand(undefined, 'adult')).toBeUndefined();
  });

  it('lets a missing or invalid half agree with anything', () => {
    expect(ageAgreesWithBand(undefined, '0-11')).toBe(true);
    expect(ageAgreesWithBand(30, undefined)).toBe(true);
    expect(ageAgreesWithBand(30, '18-24')).toBe(false);
  });

  it('knows which bands are next to each other', () => {
    expect(adjacentBands('18-24', '25-34')).toBe(true);
    expect(adjacentBands('18-24', '18-24')).toBe(true);
    expect(adjacentBands('12-17', '25-34')).toBe(false);
  });
});
