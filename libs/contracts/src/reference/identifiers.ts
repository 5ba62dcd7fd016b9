/** An account id as an identity provider issues it; never a person's name. */
export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9._:@-]{1,100}$/;

/** An organisation's id in the directory: lowercase letters, digits and hyphens. */
export const ORGANISATION_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,99}$/;
