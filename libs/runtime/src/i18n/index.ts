export { CONSTRAINT_MESSAGES, INVALID_REQUEST, Localised } from './constraint-messages';
export { FieldCatalogue, LocalisedFieldProblem, localiseProblems } from './field-problems';
export { DEFAULT_LANGUAGE, Language, languageOf, LANGUAGES } from './language';
export { InvalidRequestBody, invalidRequestBody, LocalisedValidationFilter } from './localised-errors.filter';
export { REFERRAL_FIELDS } from './referral-fields';
