import { Client } from 'pg';
import { chooseTestInfrastructure } from '../../testing/src/infrastructure';
import { jsonRecords } from './json-records';

describe('JSON array parameters as rows', () => {
  const table = `json_records_probe_${process.pid}`;
  const client = new Client({ connectionString: chooseTestInfrastructure().databaseUrl });
  const given = JSON.stringify([
    { id: 7, label: 'seven', tags: ['a', 'b'] },
    { id: 19_999, label: null, tags: [] },
  ]);

  beforeAll(async () => {
    await client.connect();
    await client.query(`CREATE TABLE ${table} (id int PRIMARY KEY, pad text)`);
    await client.query(`INSERT INTO ${table} SELECT g, 'pad' FROM generate_series(1, 20000) AS g`);
    await client.query(`ANALYZE ${table}`);
  });
  afterAll(async () => {
    await client.query(`DROP TABLE IF EXISTS ${table}`);
    await client.end();
  });

  const joined = (rows: string) =>
    `SELECT given.id, given.label, given.tags, probe.pad FROM ${rows} JOIN ${table} probe ON probe.id = given.id ORDER BY given.id`;
  const planOf = async (sql: string) =>
    (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, [given])).rows
      .map((row) => row['QUERY PLAN'])
      .join('\n');

  it('gives the rows jsonb_to_recordset gives, and joins them to a table by its index instead of reading it all', async () => {
    const columns = 'id int, label text, tags text[]';
    const recordset = joined(`jsonb_to_recordset($1::jsonb) AS given(${columns})`);
    const records = joined(`${jsonRecords('$1', columns)} AS given`);

    const [expected, actual] = await Promise.all([
      client.query(recordset, [given]),
      client.query(records, [given]),
    ]);

    expect(actual.rows).toEqual(expected.rows);
    expect(actual.rows).toEqual([
      { id: 7, label: 'seven', tags: ['a', 'b'], pad: 'pad' },
      { id: 19_999, label: null, tags: [], pad: 'pad' },
    ]);
    expect(await planOf(recordset)).toContain(`Seq Scan on ${table}`);
    expect(await planOf(records)).toContain(`Index Scan using ${table}_pkey`);
    expect(await planOf(records)).not.toContain('Seq Scan');
  });
});
