import { CSV_HEADER, CsvFormatError, parseReferralCsv } from './referral-csv';

describe('referral CSV uploads', () => {
  it('turns dotted columns into nested fields, lists and booleans into their types', () => {
    const csv = [
      'found.provinceCode,person.age,person.languages,needs.shelter,exploitationTypes,narrative',
      'TH-63,27,mya|tha,yes,forced-labour,"Said ""no"", then left"',
      'TH-27,,,,sexual,',
    ].join('\n');
    expect(parseReferralCsv(csv)).toEqual([
      {
        found: { provinceCode: 'TH-63' },
        person: { age: 27, languages: ['mya', 'tha'] },
        needs: { shelter: true },
        exploitationTypes: ['forced-labour'],
        narrative: 'Said "no", then left',
      },
      { found: { provinceCode: 'TH-27' }, exploitationTypes: ['sexual'] },
    ]);
  });

  it('leaves cells of the wrong kind as text, for validation to report', () => {
    const [row] = parseReferralCsv('person.age,needs.shelter\ntwenty,maybe\n');
    expect(row).toEqual({ person: { age: 'twenty' }, needs: { shelter: 'maybe' } });
  });

  it('accepts the documented header', () => {
    expect(parseReferralCsv(`${CSV_HEADER}\n`)).toEqual([]);
  });

  it('refuses unknown or repeated columns and ragged rows, naming columns and lines only', () => {
    const problems = (csv: string) => {
      try {
        parseReferralCsv(csv);
      } catch (error) {
        if (error instanceof CsvFormatError) return error.problems;
      }
      return undefined;
    };
    expect(problems('person.shoeSize,narrative,narrative\nx,y,z\n')).toEqual([
      { field: 'person.shoeSize', constraints: ['whitelistValidation'] },
      { field: 'narrative', constraints: ['csvRepeatedColumn'] },
    ]);
    expect(problems('narrative\nsecret text,more\n')).toEqual([
      { field: 'line 2', constraints: ['csvFormat'] },
    ]);
    expect(problems('')).toEqual([{ field: 'csv', constraints: ['csvHeader'] }]);
  });
});
