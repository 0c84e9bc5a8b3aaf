'use strict';

// Runs against a real database prepared by run-tests.sh (the extension, the
// application role, test/fixture.sql), connected as the application role
// through the usual PG* variables.  Every entry is on a fixed past day with
// an explicit time zone, so nothing depends on today, the hour or the time
// zone of the machine or of the session.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const pg = require('pg');
const losslessJson = require('../src/losslessJson');
const {
  createTimeEntry, importTimeEntries, withActor, toHttpError, fieldsOfErrorObject, losslessTypes,
} = require('../src/timeEntries');

const ADMIN = '00000000-0000-4000-8000-0000000000b1';
const LEAD = '00000000-0000-4000-8000-0000000000b2'; // may book for others
const ALAN = '00000000-0000-4000-8000-0000000000b3'; // member: read only
const DEACTIVATED = '00000000-0000-4000-8000-0000000000b4';
const BARBARA = '00000000-0000-4000-8000-0000000000b5';
const DONALD = '00000000-0000-4000-8000-0000000000b6';
const NOBODY = '00000000-0000-4000-8000-0000000000bf';
const WEBSITE = '00000000-0000-4000-8000-0000000000d1'; // billable by default
const INTERNAL = '00000000-0000-4000-8000-0000000000d2';
const DEVELOPMENT = '00000000-0000-4000-8000-0000000000f1';
const ARCHIVED_TYPE = '00000000-0000-4000-8000-0000000000f2';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UTC_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{7})?Z$/;

// A timed entry in the UTC group on a fixed past day.
function utcEntry(userId, day, time, seconds, extra = {}) {
  return {
    userId, typeOfWorkId: DEVELOPMENT, timezone: 'UTC',
    startDateUtc: day, startTimeUtc: time, duration: seconds, ...extra,
  };
}

let client;

before(async () => {
  client = new pg.Client();
  await client.connect();
});

after(async () => {
  await client.end();
});

// err: what fn throws; the test fails when it does not throw
async function errorOf(fn) {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  return assert.fail('expected an error');
}

test('the tests run as the application role, not as a superuser', async () => {
  const { rows: [r] } = await client.query(
    'SELECT current_user AS role, rolsuper FROM pg_roles WHERE rolname = current_user',
  );
  assert.equal(r.role, process.env.PGUSER);
  assert.equal(r.rolsuper, false);
  // and it cannot write the table itself: only the functions can
  const err = await errorOf(() => client.query(
    'DELETE FROM time_entry.time_entries WHERE false',
  ));
  assert.equal(err.code, '42501');
});

test('createTimeEntry returns the created entry', async () => {
  const r = await createTimeEntry(client, ALAN, {
    userId: ALAN,
    typeOfWorkId: DEVELOPMENT,
    projectId: WEBSITE,
    timezone: 'europe/berlin',
    startDateLocal: '2025-03-10',
    startTimeLocal: '09:00',
    endTimeLocal: '11:30',
    note: 'Landing page',
  });

  assert.match(r.id, UUID_V7);
  assert.equal(r.userId, ALAN);
  assert.equal(r.typeOfWorkId, DEVELOPMENT);
  assert.equal(r.projectId, WEBSITE);
  assert.equal(r.taskId, null);
  assert.equal(r.note, 'Landing page');
  assert.equal(r.timezone, 'Europe/Berlin'); // canonical spelling
  // both groups are filled; Berlin is UTC+1 on 10 March 2025
  assert.equal(r.startDateLocal, '2025-03-10T00:00:00');
  assert.equal(r.startTimeLocal, '09:00:00');
  assert.equal(r.endDateLocal, '2025-03-10T00:00:00');
  assert.equal(r.endTimeLocal, '11:30:00');
  assert.equal(r.startDateUtc, '2025-03-10T00:00:00Z');
  assert.equal(r.startTimeUtc, '08:00:00');
  assert.equal(r.endDateUtc, '2025-03-10T00:00:00Z');
  assert.equal(r.endTimeUtc, '10:30:00');
  assert.equal(r.duration, 9000);
  assert.equal(r.breakDuration, 0);
  assert.deepEqual(r.breaks, []);
  assert.equal(r.isBillable, true); // the project's default
  assert.equal(r.isBilled, false);
  assert.equal(r.isExternal, false);
  assert.equal(r.createdBy, ALAN);
  assert.equal(r.updatedBy, ALAN);
  assert.match(r.createdOn, UTC_TIMESTAMP);
  assert.equal(r.updatedOn, r.createdOn);
  assert.equal(typeof r.resourceVersion, 'bigint');
  assert.ok(r.resourceVersion > BigInt(Number.MAX_SAFE_INTEGER));
  assert.deepEqual(r.user, { id: ALAN, firstName: 'Alan', lastName: 'Turing' });
  assert.deepEqual(r.project, { id: WEBSITE, name: 'Website relaunch', isBillableByDefault: true });
  assert.deepEqual(r.typeOfWork, { id: DEVELOPMENT, name: 'Development', icon: 'code', isArchived: false });
  assert.equal(r.task, null);
});

test('a team lead books time for another user', async () => {
  const r = await createTimeEntry(client, LEAD, utcEntry(ALAN, '2025-03-10', '14:00', 1800));
  assert.equal(r.userId, ALAN);
  assert.equal(r.createdBy, LEAD);
  assert.equal(r.endTimeUtc, '14:30:00');
});

test('a malformed property is a 400 naming the property', async () => {
  const err = await errorOf(() => createTimeEntry(
    client, ALAN, utcEntry(ALAN, '2025-03-10', '25:00', 60),
  ));
  assert.equal(err.code, '22007');
  assert.equal(err.column, 'startTimeUtc');
  assert.equal(err.constraint, 'validation-failed');
  assert.deepEqual(toHttpError(err), {
    status: 400,
    body: { code: 'validation-failed', property: 'startTimeUtc', sqlstate: '22007' },
  });
});

test('a missing required property is a 400 naming it', async () => {
  const body = utcEntry(ALAN, '2025-03-10', '09:00', 60);
  delete body.typeOfWorkId;
  const err = await errorOf(() => createTimeEntry(client, ALAN, body));
  assert.deepEqual(toHttpError(err), {
    status: 400,
    body: { code: 'validation-failed', property: 'typeOfWorkId', sqlstate: '23502' },
  });
});

test('an end before the start is a 400 (date-dependency)', async () => {
  const err = await errorOf(() => createTimeEntry(client, ALAN, {
    userId: ALAN, typeOfWorkId: DEVELOPMENT, timezone: 'UTC',
    startDateUtc: '2025-03-10T10:00:00Z', endDateUtc: '2025-03-10T09:00:00Z',
  }));
  assert.equal(toHttpError(err).status, 400);
  assert.equal(toHttpError(err).body.code, 'date-dependency');
  assert.equal(toHttpError(err).body.sqlstate, '23514');
});

test('booking for another user without the permission is a 403', async () => {
  // Alan's workspace role grants only read of project-timetracking
  const err = await errorOf(() => createTimeEntry(
    client, ALAN, utcEntry(LEAD, '2025-03-10', '09:00', 3600),
  ));
  assert.equal(err.code, '42501');
  assert.deepEqual(toHttpError(err), {
    status: 403,
    body: { code: 'unauthorized', property: 'userId', sqlstate: '42501' },
  });
});

test('an unknown or deactivated actor, or none, is a 401', async () => {
  for (const actor of [NOBODY, DEACTIVATED, null]) {
    const err = await errorOf(() => createTimeEntry(
      client, actor, utcEntry(ALAN, '2025-03-10', '09:00', 3600),
    ));
    assert.deepEqual(toHttpError(err), {
      status: 401,
      body: { code: 'unauthorized', property: 'actor', sqlstate: '28000' },
    }, `actor ${actor}`);
  }
});

test('a reference that does not exist is a 422 (not-found)', async () => {
  const err = await errorOf(() => createTimeEntry(client, ALAN, utcEntry(
    ALAN, '2025-03-10', '09:00', 3600, { projectId: '00000000-0000-4000-8000-0000000000df' },
  )));
  assert.deepEqual(toHttpError(err), {
    status: 422,
    body: { code: 'not-found', property: 'projectId', sqlstate: '23503' },
  });
});

test('a second running entry of a user is a 409', async () => {
  // a timer started on a past day: no end, no duration
  const running = { userId: BARBARA, typeOfWorkId: DEVELOPMENT, timezone: 'UTC', startDateUtc: '2025-03-10T08:00:00Z' };
  const first = await createTimeEntry(client, BARBARA, running);
  assert.equal(first.duration, 0);
  assert.equal(first.endTimeUtc, null);
  const err = await errorOf(() => createTimeEntry(client, BARBARA, running));
  assert.deepEqual(toHttpError(err), {
    status: 409,
    body: { code: 'invalid-operation', property: 'userId', sqlstate: '23505' },
  });
});

test('errors of other origin are a 500 without details', () => {
  // a raw constraint violation, a serialization failure, a network error
  for (const err of [
    { code: '23503', constraint: 'time_entries_user_id_fkey', column: undefined },
    { code: '40001' },
    Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    new TypeError('oops'),
  ]) {
    assert.deepEqual(toHttpError(err), { status: 500, body: { code: 'internal-error' } });
  }
});

test('a malformed actor uuid from our own code is a 500, not a client error', async () => {
  const err = await errorOf(() => createTimeEntry(
    client, 'not-a-uuid', utcEntry(ALAN, '2025-03-10', '09:00', 60),
  ));
  assert.equal(err.code, '22P02'); // from the cast $2::uuid, no constraint
  assert.equal(toHttpError(err).status, 500);
});

test('importTimeEntries reports each refused element with its ordinal', async () => {
  const bodies = [
    utcEntry(DONALD, '2025-03-11', '09:00', 3600),
    utcEntry(DONALD, '2025-03-11', '9 o\'clock', 3600),
    7,
    utcEntry(DONALD, '2025-03-11', '11:00', 3600, { typeOfWorkId: ARCHIVED_TYPE }),
    utcEntry(LEAD, '2025-03-11', '12:00', 3600),
    { ...utcEntry(DONALD, '2025-03-11', '13:00', 3600), startTimeUtc: undefined, typo: 1 },
    {
      userId: DONALD, typeOfWorkId: DEVELOPMENT, projectId: INTERNAL, timezone: 'Asia/Tokyo',
      startDateLocal: '2025-03-12', startTimeLocal: '09:00', endTimeLocal: '17:00',
    },
  ];
  const rows = await importTimeEntries(client, DONALD, bodies);

  assert.deepEqual(rows.map((r) => r.ordinal), [1, 2, 3, 4, 5, 6, 7]);
  const summary = rows.map((r) => (r.error === null
    ? 'created'
    : [r.error.code, r.error.sqlstate, r.error.validationErrors[0].property,
      toHttpError(fieldsOfErrorObject(r.error)).status].join(' ')));
  assert.deepEqual(summary, [
    'created',
    'validation-failed 22007 startTimeUtc 400',
    'invalid-model 22023 entry 400',
    'entity-archived 55000 typeOfWorkId 422',
    'unauthorized 42501 userId 403',
    'validation-failed 22023 typo 400', // undefined is dropped, as JSON.stringify does
    'created',
  ]);
  for (const r of rows) {
    if (r.error === null) assert.match(r.id, UUID_V7);
    else assert.equal(r.id, null);
  }
});

test('an import sent as a JS array, not JSON text, fails as a whole', async () => {
  // node-postgres turns a JS array into a PostgreSQL array literal
  // ({"{\"userId\":...}"}), which is not JSON: one error for the whole call
  const err = await errorOf(() => client.query(
    'SELECT * FROM time_entry.import_entries($1::jsonb, $2::uuid)',
    [[utcEntry(DONALD, '2025-03-11', '15:00', 60)], DONALD],
  ));
  assert.equal(err.code, '22P02'); // invalid input syntax for type json
  assert.equal(toHttpError(err).status, 500);
});

test('resourceVersion: JSON.parse rounds it, the lossless parser keeps it', async () => {
  // A fixed value first, so the loss does not depend on the clock: doubles
  // near 6.4e17 are 128 apart.
  const literal = '{"resourceVersion": 638771652000000001}';
  const naive = (await client.query('SELECT $1::jsonb AS j', [literal])).rows[0].j;
  assert.equal(naive.resourceVersion, 638771652000000000); // the nearest double
  assert.notEqual(String(naive.resourceVersion), '638771652000000001');
  const exact = losslessJson.parse(literal);
  assert.equal(exact.resourceVersion, 638771652000000001n);
  assert.equal(losslessJson.stringify(exact), '{"resourceVersion":638771652000000001}');

  // Then a real response, with the server's own text of the number beside it.
  const body = utcEntry(DONALD, '2025-03-13', '09:00', 600);
  const { rows: [r] } = await client.query({
    text: `SELECT response, response->>'resourceVersion' AS digits
             FROM time_entry.create_entry($1::jsonb, $2::uuid) AS response`,
    values: [JSON.stringify(body), DONALD],
    types: losslessTypes,
  });
  assert.equal(typeof r.response.resourceVersion, 'bigint');
  assert.equal(r.response.resourceVersion.toString(), r.digits);
  assert.equal(r.response.resourceVersion, BigInt(r.digits));
  // the same digits through JSON.parse: a double, exact only by chance
  // (when the value is a multiple of 128)
  const rounded = JSON.parse(r.digits);
  assert.equal(Number.isSafeInteger(rounded), false);
  assert.equal(BigInt(rounded) % 128n, 0n);
  assert.equal(BigInt(rounded) === BigInt(r.digits), BigInt(r.digits) % 128n === 0n);

  // and createTimeEntry gives the same exact type
  const r2 = await createTimeEntry(client, DONALD, utcEntry(DONALD, '2025-03-13', '10:00', 600));
  assert.equal(typeof r2.resourceVersion, 'bigint');
  assert.ok(r2.resourceVersion > r.response.resourceVersion);
});

test('the actor may come from time_entry.actor, set for one transaction', async () => {
  const r = await withActor(client, LEAD, (c) => createTimeEntry(
    c, null, utcEntry(ALAN, '2025-03-14', '09:00', 900),
  ));
  assert.equal(r.createdBy, LEAD);
  // set_config(..., true) ended with the transaction
  const { rows: [s] } = await client.query("SELECT current_setting('time_entry.actor', true) AS actor");
  assert.ok(s.actor === null || s.actor === '', `actor left behind: ${s.actor}`);
  // so the next call on this connection has no actor
  const err = await errorOf(() => createTimeEntry(client, null, utcEntry(ALAN, '2025-03-14', '10:00', 900)));
  assert.equal(toHttpError(err).status, 401);
});

test('withActor rolls back on an error', async () => {
  // a timer of Ada, then a malformed request: the timer goes with the
  // transaction, so the same timer can be started again afterwards (a
  // committed one would make it a 409)
  const timer = { userId: ADMIN, typeOfWorkId: DEVELOPMENT, timezone: 'UTC', startDateUtc: '2025-03-15T09:00:00Z' };
  const err = await errorOf(() => withActor(client, ADMIN, async (c) => {
    await createTimeEntry(c, null, timer);
    await createTimeEntry(c, null, utcEntry(ADMIN, '2025-03-15', '25:00', 900));
  }));
  assert.equal(toHttpError(err).status, 400);
  const { rows: [s] } = await client.query("SELECT current_setting('time_entry.actor', true) AS actor");
  assert.ok(s.actor === null || s.actor === '');
  const r = await createTimeEntry(client, ADMIN, timer);
  assert.equal(r.createdBy, ADMIN);
});
