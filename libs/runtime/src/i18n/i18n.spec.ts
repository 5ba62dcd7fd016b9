import { localiseProblems } from './field-problems';
import { languageOf } from './language';

describe('localised field errors', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['th', 'th'],
    ['th-TH', 'th'],
    ['TH-th', 'th'],
    ['en-US,th;q=0.8', 'en'],
    ['fr,th;q=0.5,en;q=0.4', 'th'],
    ['th;q=0,en', 'en'],
    ['de', 'en'],
  ])('Accept-Language %p answers in %s', (header, language) => expect(languageOf(header)).toBe(language));

  const catalogue = {
    labels: {
      'person.nationality': { en: 'Nationality', th: 'สัญชาติ' },
      'a.list': { en: 'List', th: 'รายการ' },
    },
    messages: { 'person.nationality:matches': { en: 'Nationality: ISO code', th: 'สัญชาติ: รหัส ISO' } },
  };

  it('words each problem with the field label, specific messages first, list positions ignored', () => {
    expect(
      localiseProblems(
        [
          { field: 'person.nationality', constraints: ['matches'] },
          { field: 'a.list.3', constraints: ['isIn'] },
          { field: 'person.shoeSize', constraints: ['whitelistValidation'] },
          { field: 'b', constraints: ['someNewRule'] },
        ],
        'th',
        catalogue,
      ).map((problem) => problem.message),
    ).toEqual([
      'สัญชาติ: รหัส ISO',
      'รายการต้องเป็นรหัสที่อยู่ในรายการที่กำหนด',
      'แบบฟอร์มนี้ไม่มีช่องข้อมูล "person.shoeSize"',
      'bไม่ถูกต้อง',
    ]);
  });

  it('words only the broken kind when a value is of the wrong kind', () => {
    const [problem] = localiseProblems(
      [{ field: 'a.list', constraints: ['isArray', 'arrayMaxSize'] }],
      'en',
      catalogue,
    );
    expect(problem?.message).toBe('List must be a list');
    const [both] = localiseProblems(
      [{ field: 'a.list', constraints: ['arrayMaxSize', 'isIn'] }],
      'en',
      catalogue,
    );
    expect(both?.message).toBe('List has too many entries; List must be one of the listed codes');
  });
});
