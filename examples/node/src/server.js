'use strict';

// A tiny HTTP front for createTimeEntry and importTimeEntries (node:http, no
// framework):
//
//   POST /time-entries           body: a request object    → 201 + response
//   POST /time-entries/import    body: an array of them    → 200 + results
//
// Authentication is out of scope: the example takes the authenticated user's
// id from "Authorization: Bearer <user uuid>".  A real service verifies its
// token and passes the user id it belongs to as the actor.
//
// Connection settings come from the usual PGHOST, PGPORT, PGUSER,
// PGPASSWORD, PGDATABASE; PORT chooses the HTTP port (default 3000).

const http = require('node:http');
const pg = require('pg');
const losslessJson = require('./losslessJson');
const {
  createTimeEntry, importTimeEntries, toHttpError, fieldsOfErrorObject,
} = require('./timeEntries');

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const MAX_BODY = 16 * 1024 * 1024;

function send(res, status, body) {
  const text = losslessJson.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(Object.assign(new Error('body too large'), { httpStatus: 413 }));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function actorOf(req) {
  const m = /^Bearer\s+(\S+)$/.exec(req.headers.authorization ?? '');
  return m && UUID.test(m[1]) ? m[1] : null;
}

function createServer(pool) {
  return http.createServer(async (req, res) => {
    try {
      const route = req.method === 'POST' ? req.url : null;
      if (route !== '/time-entries' && route !== '/time-entries/import') {
        return send(res, 404, { code: 'no-such-route' });
      }
      const actor = actorOf(req);
      if (actor === null) {
        return send(res, 401, { code: 'unauthorized', property: 'actor', sqlstate: null });
      }
      const text = await readBody(req);
      try {
        JSON.parse(text); // syntax only; the text itself goes to the database
      } catch {
        return send(res, 400, { code: 'invalid-json', property: null, sqlstate: null });
      }
      if (route === '/time-entries') {
        const response = await createTimeEntry(pool, actor, text);
        return send(res, 201, response);
      }
      const results = (await importTimeEntries(pool, actor, text)).map((r) => (
        r.error === null
          ? { ordinal: r.ordinal, id: r.id, status: 201 }
          : { ordinal: r.ordinal, id: null, status: toHttpError(fieldsOfErrorObject(r.error)).status, error: r.error }
      ));
      return send(res, 200, { results });
    } catch (err) {
      if (err.httpStatus) return send(res, err.httpStatus, { code: 'request-too-large' });
      const { status, body } = toHttpError(err);
      if (status === 500) console.error(err);
      return send(res, status, body);
    }
  });
}

if (require.main === module) {
  const pool = new pg.Pool();
  const port = Number(process.env.PORT ?? 3000);
  createServer(pool).listen(port, () => console.log(`listening on http://localhost:${port}`));
}

module.exports = { createServer };
