/** The service's Prisma client, as the messaging and scheduling libraries see it. */
export const TRANSACTION_RUNNER = Symbol('TRANSACTION_RUNNER');
