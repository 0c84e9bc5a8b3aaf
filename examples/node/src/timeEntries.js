'use strict';

// Creating time entries from Node.js through the time_entry extension.
//
// The application never writes time_entry.time_entries itself: it calls the
// extension's SECURITY DEFINER functions, which check the request, the
// permissions and the workspace settings, and insert.  Three things matter in
// a driver:
//
// 1. The actor (the authenticated user) is passed as the functions' `actor`
//    argument, a bind parameter.  No session setting is left behind, so this
//    is safe behind any connection pool (withActor() below shows the other
//    way, the setting time_entry.actor, scoped to one transaction).
// 2. Requests go to the server as JSON *text* ($1::jsonb with JSON.stringify):
//    node-postgres turns a JS array into a PostgreSQL array literal, which is
//    not JSON, so import_entries would fail with 22P02.
// 3. json/jsonb results are parsed with losslessJson.parse, so integers above
//    2^53 (resourceVersion, about 6.4e17) come back exact, as BigInt.

const pg = require('pg');
const losslessJson = require('./losslessJson');

const JSON_OID = 114;
const JSONB_OID = 3802;

// A node-postgres type set: json and jsonb through the lossless parser,
// everything else as node-postgres does by default.  Passed per query (the
// `types` property of a query config), so it works with any client or pool
// and changes nothing for other code sharing the process.
const losslessTypes = {
  getTypeParser(oid, format) {
    if ((oid === JSONB_OID || oid === JSON_OID) && format !== 'binary') {
      return losslessJson.parse;
    }
    return pg.types.getTypeParser(oid, format);
  },
};

// A request body as JSON text.  A string is taken to be JSON text already and
// is sent as it is (the HTTP server passes the body it received, so numbers
// such as 3600.0 reach the extension as written).
function jsonText(body) {
  return typeof body === 'string' ? body : losslessJson.stringify(body);
}

// POST /time-entries: returns the response object of SPEC 5 (resourceVersion
// as BigInt), or throws the extension's error (a pg DatabaseError whose code,
// column and constraint fields toHttpError() reads).
//
// actor: the authenticated user's id (uuid text).  null means "no argument":
// the extension then reads the setting time_entry.actor (see withActor()).
async function createTimeEntry(client, actor, body) {
  const { rows } = await client.query({
    text: 'SELECT time_entry.create_entry($1::jsonb, $2::uuid) AS response',
    values: [jsonText(body), actor],
    types: losslessTypes,
  });
  return rows[0].response;
}

// POST /time-entries/import: one result per element of `bodies` (an array of
// request objects, or JSON text of one), in order:
//   { ordinal, id, error }   id for a created entry, error for a refused one
// where error is the extension's error object (SPEC 7.2):
//   { code, sqlstate, description, validationErrors: [{ property, message }] }
// The valid elements are created even when others are refused; run it inside
// a transaction and roll back if you want all or nothing.  import_entries
// holds its whole array in memory: send batches of 1 000 to 10 000 elements.
async function importTimeEntries(client, actor, bodies) {
  const { rows } = await client.query({
    text: `SELECT ordinal, id, error
             FROM time_entry.import_entries($1::jsonb, $2::uuid)
            ORDER BY ordinal`,
    values: [jsonText(bodies), actor],
    types: losslessTypes,
  });
  return rows;
}

// Runs fn(client) in a transaction whose actor is the setting
// time_entry.actor, set with set_config(..., true): it ends with the
// transaction, so a pooled connection (pgbouncer in transaction mode
// included) never hands it to the next client.  `SET LOCAL time_entry.actor
// = $1` is not an alternative: SET takes no bind parameters (42601).
async function withActor(client, actor, fn) {
  await client.query('BEGIN');
  try {
    await client.query("SELECT set_config('time_entry.actor', $1, true)", [actor]);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}

// ---------------------------------------------------------------------------
// Errors to HTTP
//
// Decided here (the SPEC gives SQLSTATEs and codes, not HTTP statuses):
//   401  28000 unauthorized         no actor, unknown or deactivated actor
//   403  42501 unauthorized         a permission of SPEC 6.4 is missing
//   400  the request itself is wrong; fix the property named:
//        22023 invalid-model, and validation-failed (22023, 22P02, 22007,
//        23502), date-out-of-range (22008), value-out-of-range (22003,
//        22001), date-dependency (23514)
//   422  the request is well-formed but names something that cannot be used
//        or breaks a rule of the workspace:
//        23503 not-found (a user, type of work, project or task of the
//        body; 422, not 404, because the URL exists: a 404 would read as
//        "no such endpoint" to clients, proxies and retry logic),
//        55000 entity-archived / deactivated-user,
//        23514 invalid-operation (task/project mismatch, billed but not
//        billable, closed project)
//   409  conflicts with the user's other entries; may succeed once they
//        change: 23505 (another running entry), 23P01 (overlap)
//   500  anything else: errors of other origin (a connection error, a
//        statement timeout, a serialization failure, a malformed actor
//        uuid from our own code) are not the client's to fix, and their
//        details are not shown to the client.
//
// Only the fields `code` (SQLSTATE), `column` (COLUMN_NAME: the request
// property) and `constraint` (CONSTRAINT_NAME: the API code) are read, never
// the message, which is for people and may change wording.  A status is
// given only to the (SQLSTATE, code) pairs of the SPEC's table.

const STATUS = new Map(Object.entries({
  '28000/unauthorized': 401,
  '42501/unauthorized': 403,
  '22023/invalid-model': 400,
  '22023/validation-failed': 400,
  '22P02/validation-failed': 400,
  '22007/validation-failed': 400,
  '23502/validation-failed': 400,
  '22008/date-out-of-range': 400,
  '22003/value-out-of-range': 400,
  '22001/value-out-of-range': 400,
  '23514/date-dependency': 400,
  '23503/not-found': 422,
  '55000/entity-archived': 422,
  '55000/deactivated-user': 422,
  '23514/invalid-operation': 422,
  '23505/invalid-operation': 409,
  '23P01/invalid-operation': 409,
}));

// err: an error thrown by node-postgres (or anything else).
// Returns { status, body } where body is
//   { code: <API code>, property: <request property or null>, sqlstate }
// or, for a status 500, { code: 'internal-error' } only.
function toHttpError(err) {
  const sqlstate = err?.code;
  const constraint = err?.constraint;
  const status = STATUS.get(`${sqlstate}/${constraint}`);
  if (status === undefined) {
    return { status: 500, body: { code: 'internal-error' } };
  }
  return {
    status,
    body: { code: constraint, property: err.column ?? null, sqlstate },
  };
}

// The error object of an import row (SPEC 7.2) as the three fields
// toHttpError() reads, so a refused row maps to the same status as the same
// problem raised by createTimeEntry.
function fieldsOfErrorObject(error) {
  return {
    code: error.sqlstate,
    constraint: error.code,
    column: error.validationErrors?.[0]?.property ?? null,
  };
}

module.exports = {
  createTimeEntry,
  importTimeEntries,
  withActor,
  toHttpError,
  fieldsOfErrorObject,
  losslessTypes,
};
