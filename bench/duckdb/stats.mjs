// The engine benchmark's DuckDB side: loads the exported CSV files into
// DuckDB tables, then runs the aggregation SQL (written by `rollcall bench
// engine`, the same text SQLite runs) several times. Prints one JSON object:
// {"version", "threads", "storage", "load_seconds", "query_seconds": [...], "rows": [...]}.
// Usage: node stats.mjs WORK_DIR THREADS REPEAT [memory|file]
// STORAGE memory (the default) holds the tables in memory; file puts them in
// WORK_DIR/marks.duckdb, compressed, with 12 GB of buffer: for data larger
// than memory (8 million pupils is 2.9 billion rows).
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const [dir, threads, repeat, storage = 'memory'] = process.argv.slice(2);
if (!dir || !threads || !repeat || !['memory', 'file'].includes(storage)) {
  console.error('usage: node stats.mjs WORK_DIR THREADS REPEAT [memory|file]');
  process.exit(2);
}
const file = join(dir, 'marks.duckdb');
if (storage === 'file') {
  rmSync(file, { force: true });
  rmSync(file + '.wal', { force: true });
}
const instance = await DuckDBInstance.create(storage === 'file' ? file : ':memory:', {
  threads: String(threads),
  ...(storage === 'file' ? { memory_limit: '12GB', preserve_insertion_order: 'false' } : {}),
});
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
if (storage === 'file') await conn.run('CHECKPOINT');
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
if (storage === 'file') {
  conn.closeSync();
  instance.closeSync();
  rmSync(file, { force: true });
}
console.log(JSON.stringify({ version, threads: Number(threads), storage, load_seconds: load,
  query_seconds: times, rows }));
