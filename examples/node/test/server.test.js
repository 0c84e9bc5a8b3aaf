'use strict';

// The HTTP front (src/server.js), against the database of run-tests.sh.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const pg = require('pg');
const { createServer } = require('../src/server');
const losslessJson = require('../src/losslessJson');

const LEAD = '00000000-0000-4000-8000-0000000000b2';
const ALAN = '00000000-0000-4000-8000-0000000000b3';
const DEVELOPMENT = '00000000-0000-4000-8000-0000000000f1';

let pool;
let server;
let base;
let checker; // reads time_entries to check what the server stored

before(async () => {
  // run-tests.sh passes the superuser for this one read: the application
  // role is not meant to read the table directly
  checker = new pg.Client({
    user: process.env.EXAMPLE_CHECK_USER ?? process.env.PGUSER,
    password: process.env.EXAMPLE_CHECK_PASSWORD ?? process.env.PGPASSWORD,
  });
  await checker.connect();
  pool = new pg.Pool({ max: 2 });
  server = createServer(pool);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  await pool.end();
  await checker.end();
});

async function post(path, actor, body) {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(actor ? { authorization: `Bearer ${actor}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

function entry(userId, time, extra = {}) {
  return {
    userId, typeOfWorkId: DEVELOPMENT, timezone: 'America/New_York',
    startDateLocal: '2025-03-10', startTimeLocal: time, duration: 1800, ...extra,
  };
}

test('POST /time-entries: 201 with the response, resourceVersion exact', async () => {
  const { status, text } = await post('/time-entries', ALAN, entry(ALAN, '08:00'));
  assert.equal(status, 201);
  const body = losslessJson.parse(text);
  assert.equal(body.userId, ALAN);
  assert.equal(body.timezone, 'America/New_York');
  assert.equal(body.startTimeUtc, '12:00:00'); // EDT (UTC-4) since 9 March 2025
  assert.equal(body.endTimeLocal, '08:30:00');
  // the body carries the 18 digits the database wrote, as a JSON number
  const digits = /"resourceVersion":(\d+)[,}]/.exec(text)[1];
  assert.equal(digits.length, 18);
  assert.equal(body.resourceVersion, BigInt(digits));
  // and they are the stored value, not a double's rounding of it
  const { rows: [stored] } = await checker.query(
    'SELECT resource_version::text AS v FROM time_entry.time_entries WHERE id = $1', [body.id],
  );
  assert.equal(digits, stored.v);
});

test('POST /time-entries: 400 with the property of the failure', async () => {
  const { status, text } = await post('/time-entries', ALAN, entry(ALAN, '8 am'));
  assert.equal(status, 400);
  assert.deepEqual(JSON.parse(text), { code: 'validation-failed', property: 'startTimeLocal', sqlstate: '22007' });
});

test('POST /time-entries: 403, 401, and 400 for a body that is not JSON', async () => {
  let r = await post('/time-entries', ALAN, entry(LEAD, '09:00'));
  assert.equal(r.status, 403);
  assert.deepEqual(JSON.parse(r.text), { code: 'unauthorized', property: 'userId', sqlstate: '42501' });
  r = await post('/time-entries', null, entry(ALAN, '09:00'));
  assert.equal(r.status, 401);
  r = await post('/time-entries', ALAN, '{"userId": ');
  assert.equal(r.status, 400);
  assert.equal(JSON.parse(r.text).code, 'invalid-json');
});

test('POST /time-entries keeps numbers as sent: 3600.0 is a duration, 3600.5 is not', async () => {
  const ok = await post('/time-entries', ALAN, JSON.stringify(entry(ALAN, '10:00')).replace('"duration":1800', '"duration":1800.0'));
  assert.equal(ok.status, 201);
  const bad = await post('/time-entries', ALAN, JSON.stringify(entry(ALAN, '11:00')).replace('"duration":1800', '"duration":1800.5'));
  assert.equal(bad.status, 400);
  assert.equal(JSON.parse(bad.text).property, 'duration');
});

test('POST /time-entries/import: a result per element', async () => {
  const { status, text } = await post('/time-entries/import', LEAD, [
    entry(ALAN, '12:00'),
    entry(ALAN, '12:00', { timezone: 'Mars/Olympus_Mons' }),
    entry(ALAN, '13:00', { projectId: '00000000-0000-4000-8000-0000000000df' }),
  ]);
  assert.equal(status, 200);
  const { results } = JSON.parse(text);
  assert.deepEqual(results.map((r) => [r.ordinal, r.status, r.error?.code ?? null]), [
    [1, 201, null],
    [2, 400, 'validation-failed'],
    [3, 422, 'not-found'],
  ]);
  assert.equal(results[1].error.validationErrors[0].property, 'timezone');
});
