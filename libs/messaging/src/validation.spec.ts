import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { parseAs, rememberValidationRules } from './validation';

class Place {
  @IsIn(['TH-63', 'TH-10'])
  province!: string;
}

class Entry {
  @IsUUID()
  id!: string;
}

class Report extends Entry {
  @ValidateNested()
  @Type(() => Place)
  place!: Place;

  @IsInt()
  count!: number;
}

const ID = '0b8f7c1e-3c41-4a55-9d37-0f3f1f2a9a11';

const INPUTS: unknown[] = [
  { id: ID, place: { province: 'TH-63' }, count: 2 },
  { id: 'not-a-uuid', place: { province: 'TH-99' }, count: 'two' },
  { id: ID, place: { province: 'TH-10', street: 'somewhere' }, count: 1, name: 'someone' },
  { place: {} },
  {},
];

const problemsOf = (input: unknown) => parseAs(Report, input).problems;

describe('checking with remembered validation rules', () => {
  it('finds the same problems as checking without them, and keeps doing so', () => {
    const before = INPUTS.map(problemsOf);
    expect(before[0]).toEqual([]);
    expect(before[1].map(({ field }) => field)).toEqual(['place.province', 'count', 'id']);

    rememberValidationRules();
    rememberValidationRules();

    expect(INPUTS.map(problemsOf)).toEqual(before);
    expect(INPUTS.map(problemsOf)).toEqual(before);
  });

  it('applies a rule registered after a check to the next check, in the class and in those that inherit it', () => {
    rememberValidationRules();
    const withNote = { id: ID, place: { province: 'TH-63' }, count: 1, note: 'a long note' };
    expect(problemsOf(withNote)).toEqual([{ field: 'note', constraints: ['whitelistValidation'] }]);

    IsString()(Entry.prototype, 'note');
    expect(problemsOf(withNote)).toEqual([]);
    expect(parseAs(Entry, { id: ID, note: 'a long note' }).problems).toEqual([]);

    MaxLength(4)(Entry.prototype, 'note');
    expect(problemsOf(withNote)).toEqual([{ field: 'note', constraints: ['maxLength'] }]);
  });
});
