'use strict';

// The lossless JSON parser alone (no database).

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { parse, stringify } = require('../src/losslessJson');

test('integers above 2^53 - 1 come back as BigInt, exact', () => {
  assert.equal(parse('9007199254740991'), 9007199254740991); // MAX_SAFE_INTEGER: a number
  assert.equal(parse('9007199254740992'), 9007199254740992n);
  assert.equal(parse('9007199254740993'), 9007199254740993n); // JSON.parse: ...992
  assert.equal(parse('-639315656353359701'), -639315656353359701n);
  assert.equal(parse('[1, {"v": 639315656353359701}]')[1].v, 639315656353359701n);
  assert.equal(parse('99999999999999999999999999'), 99999999999999999999999999n);
});

test('every other value is what JSON.parse gives', () => {
  for (const text of [
    '{"a": 1, "b": [true, false, null], "c": {"d": "e"}}',
    '"digits 639315656353359701 in a string"',
    '"escapes: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\ud83d\\ude00"',
    '[-0, 0, 1.5, -2.5e-3, 1E400, 6.39e17, 639315656353359701.0]',
    ' \n\t{ "__proto__" : {"x": 1}, "k" : [ ] , "o" : { } } ',
    '{"dup": 1, "dup": 2}',
    '[]', '{}', 'null', 'true', '0',
  ]) {
    assert.deepStrictEqual(parse(text), JSON.parse(text), text);
  }
  assert.equal(Object.getPrototypeOf(parse('{"__proto__": {"x": 1}}')), Object.prototype);
});

test('malformed JSON is a SyntaxError', () => {
  for (const text of ['', '{', '[1,]', '{"a" 1}', '01', '1 2', '"open', 'nul', '[1] x', '{"a":1,}', '-']) {
    assert.throws(() => parse(text), SyntaxError, text);
  }
});

test('stringify writes BigInt as JSON digits and is JSON.stringify otherwise', () => {
  assert.equal(stringify({ v: 639315656353359701n, a: [1n, null] }), '{"v":639315656353359701,"a":[1,null]}');
  const plain = { s: 'x"y', n: 1.5, b: true, z: null, u: undefined, f() {}, a: [undefined, 2], d: new Date(0) };
  assert.equal(stringify(plain), JSON.stringify(plain));
  const text = '{"resourceVersion":639315656353359701,"user":{"id":"x"}}';
  assert.equal(stringify(parse(text)), text);
});
