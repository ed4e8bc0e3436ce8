// The engine benchmark's DuckDB side: loads the exported CSV files into
// DuckDB tables, then runs the aggregation SQL (written by `rollcall bench
// engine`, the same text SQLite runs) several times. Prints one JSON object:
// {"version", "threads", "load_seconds", "query_seconds": [...], "rows": [...]}.
// Usage: node stats.mjs WORK_DIR THREADS REPEAT
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, threads, repeat] = process.argv.slice(2);
if (!dir || !threads || !repeat) {
  console.error('usage: node stats.mjs WORK_DIR THREADS REPEAT');
  process.exit(2);
}
const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const conn = await instance.connect();
// Room to spill beside the CSV files rather than fail when memory runs out.
await conn.run(`SET temp_directory = '${join(dir, 'duckdb.tmp')}'`);
const version = (await conn.runAndReadAll('SELECT version()')).getRows()[0][0];
const now = () => Number(process.hrtime.bigint()) / 1e9;

let t = now();
await conn.run(`CREATE TABLE marks AS SELECT * FROM read_csv('${join(dir, 'marks.csv')}',
  header = true, columns = {'pupil': 'INTEGER', 'code': 'UTINYINT'})`);
await conn.run(`CREATE TABLE pupils AS SELECT * FROM read_csv('${join(dir, 'pupils.csv')}',
  header = true, columns = {'pupil': 'INTEGER', 'school': 'INTEGER', 'cohorts': 'BIGINT'})`);
await conn.run(`CREATE TABLE bits AS SELECT range AS bit FROM range(64)`);
const load = now() - t;

const statements = readFileSync(join(dir, 'aggregate.sql'), 'utf8')
  .split(';').map((s) => s.trim()).filter((s) => s.length > 0);
const times = [];
let rows = [];
for (let i = 0; i < Number(repeat); ++i) {
  t = now();
  for (let s = 0; s < statements.length - 1; ++s) await conn.run(statements[s]);
  rows = (await conn.runAndReadAll(statements[statements.length - 1])).getRowsJson();
  times.push(now() - t);
  await conn.run('DROP TABLE q');
}
console.log(JSON.stringify({ version, threads: Number(threads), load_seconds: load,
  query_seconds: times, rows }));
