'use strict';

// JSON that keeps big integers exact.
//
// PostgreSQL's jsonb holds numbers as `numeric`, so an integer such as the
// response's resourceVersion (about 6.4e17, above Number.MAX_SAFE_INTEGER =
// 2^53 - 1) reaches the client as its exact digits.  JSON.parse (what
// node-postgres uses for json and jsonb) turns every number into a double and
// silently rounds it to a multiple of 128 at that size.  parse() below returns
// such integers as BigInt instead; every other value is what JSON.parse gives.
// stringify() writes BigInt back as plain JSON digits.

const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;

function parse(text) {
  let i = 0;
  const n = text.length;

  function fail(what) {
    throw new SyntaxError(`${what} at position ${i} of JSON text`);
  }

  function skipSpace() {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  }

  function literal(word, v) {
    if (!text.startsWith(word, i)) fail('unexpected token');
    i += word.length;
    return v;
  }

  function string() {
    const start = i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        // the escapes of a string are JSON.parse's business
        return JSON.parse(text.slice(start, i));
      }
      i += c === 0x5c ? 2 : 1;
    }
    return fail('unterminated string');
  }

  function number() {
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m === null) fail('malformed number');
    i = NUMBER.lastIndex;
    const v = Number(m[0]);
    // An integer token whose double is not a safe integer was rounded:
    // keep its digits.  (A safe double means the token was exact.)
    if (m[1] === undefined && m[2] === undefined && !Number.isSafeInteger(v)) {
      return BigInt(m[0]);
    }
    return v;
  }

  function array() {
    i++;
    const a = [];
    skipSpace();
    if (text[i] === ']') {
      i++;
      return a;
    }
    for (;;) {
      a.push(value());
      skipSpace();
      if (text[i] === ',') i++;
      else if (text[i] === ']') {
        i++;
        return a;
      } else fail('expected "," or "]"');
    }
  }

  function object() {
    i++;
    const o = {};
    skipSpace();
    if (text[i] === '}') {
      i++;
      return o;
    }
    for (;;) {
      skipSpace();
      if (text[i] !== '"') fail('expected a property name');
      const key = string();
      skipSpace();
      if (text[i] !== ':') fail('expected ":"');
      i++;
      const v = value();
      // an own property, as JSON.parse makes it, even for "__proto__"
      Object.defineProperty(o, key, { value: v, writable: true, enumerable: true, configurable: true });
      skipSpace();
      if (text[i] === ',') i++;
      else if (text[i] === '}') {
        i++;
        return o;
      } else fail('expected "," or "}"');
    }
  }

  function value() {
    skipSpace();
    const c = text[i];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (c === 't') return literal('true', true);
    if (c === 'f') return literal('false', false);
    if (c === 'n') return literal('null', null);
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    return fail(i >= n ? 'unexpected end' : 'unexpected token');
  }

  const result = value();
  skipSpace();
  if (i !== n) fail('unexpected text after the value');
  return result;
}

// JSON.stringify, except that a BigInt is written as its digits (JSON.stringify
// throws on BigInt).  Returns undefined for undefined and functions, as
// JSON.stringify does.
function stringify(v) {
  if (v !== null && typeof v === 'object' && typeof v.toJSON === 'function') v = v.toJSON();
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) {
    return `[${v.map((e) => stringify(e) ?? 'null').join(',')}]`;
  }
  if (v !== null && typeof v === 'object') {
    const parts = [];
    for (const k of Object.keys(v)) {
      const s = stringify(v[k]);
      if (s !== undefined) parts.push(`${JSON.stringify(k)}:${s}`);
    }
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(v);
}

module.exports = { parse, stringify };
