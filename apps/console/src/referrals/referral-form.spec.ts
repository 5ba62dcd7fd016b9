import { errorLinks, errorsByField, formValues, referralOf, valuesOf } from './referral-form';

describe('the referral form', () => {
  const typed = {
    'referrer.organisation': ' tak-immigration-police ',
    'person.age': '27',
    'person.languages': 'ind, mya',
    'person.interpreterNeeded': 'true',
    'needs.shelter': 'false',
    exploitationTypes: ['online-scam-compound', 'forced-criminality'],
    'consent.recordedAt': '2026-11-20T14:30',
    'identity.fullName': '',
    'person.gender': ['female', 'male'],
    _csrf: 'not a field',
  };

  it('sends the API only what was filled in, typed as it expects, times in Bangkok', () => {
    expect(referralOf(formValues(typed))).toEqual({
      referrer: { organisation: 'tak-immigration-police' },
      person: { age: 27, languages: ['ind', 'mya'], interpreterNeeded: true, gender: 'female' },
      needs: { shelter: false },
      exploitationTypes: ['online-scam-compound', 'forced-criminality'],
      consent: { recordedAt: '2026-11-20T14:30:00+07:00' },
    });
  });

  it('passes a value it cannot type as it is, so that the API names the problem', () => {
    expect(referralOf(formValues({ 'person.age': 'twenty' }))).toEqual({ person: { age: 'twenty' } });
  });

  it('shows a saved draft again as it was typed', () => {
    const values = valuesOf(referralOf(formValues(typed)));
    expect(values).toMatchObject({
      'referrer.organisation': 'tak-immigration-police',
      'person.age': '27',
      'person.languages': 'ind, mya',
      'needs.shelter': 'false',
      exploitationTypes: ['online-scam-compound', 'forced-criminality'],
      'consent.recordedAt': '2026-11-20T14:30',
      'identity.fullName': '',
    });
  });

  it("puts the API's errors beside their field, and a group's at its section", () => {
    const errors = [
      { field: 'exploitationTypes.1', message: 'one' },
      { field: 'exploitationTypes.0', message: 'two' },
      { field: 'consent', message: 'three' },
    ];
    expect(errorsByField(errors)).toEqual({ exploitationTypes: 'one two', consent: 'three' });
    expect(errorLinks(errors).map((link) => link.anchor)).toEqual([
      'field-exploitationTypes',
      'field-exploitationTypes',
      'field-consent-shareWithServiceProviders',
    ]);
  });
});
