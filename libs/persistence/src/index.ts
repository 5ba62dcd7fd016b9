export { createPrismaAdapter, DatabaseOptions, DatabaseSettings, openDatabase } from './prisma-adapter';
export { qualifiedTable, SqlExecutor, TransactionRunner } from './sql-executor';
export { isTransientInfrastructureError } from './transient-errors';
export { FieldCipher, fieldCipherOf, keyIdOf } from './field-cipher';
export { jsonColumn } from './json-column';
export { jsonRecords } from './json-records';
export { GroupedCalls } from './grouped-calls';
export { runAsOneStatement, SqlPart } from './single-statement';
