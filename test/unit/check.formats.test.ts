/**
 * Every format of src/core/check.ts, value by value: valid strings and near-misses (one character
 * off, an anchor's worth of junk around, a field one past its range), each with the verdict it
 * must get, held to ajv with ajv-formats as the oracle reads a spec (`time` as its `iso-time`).
 * The table says the verdict itself, so a change in ajv-formats shows here as a disagreement rather
 * than silently moving both sides. Then each format's issue: its rule, params and message, which
 * callers (the mock server's 422s, RequestValidationError's text) read.
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePunycode } from '../../src/internal/punycode.js';
import {
  BYTE,
  DATE,
  DATE_TIME,
  DURATION,
  EMAIL,
  format,
  HOSTNAME,
  INT32,
  INT64,
  IPV4,
  IPV6,
  ISO_DATE_TIME,
  ISO_TIME,
  JSON_POINTER,
  JSON_POINTER_URI_FRAGMENT,
  REGEX,
  RELATIVE_JSON_POINTER,
  string,
  TIME,
  URI,
  URI_REFERENCE,
  URI_TEMPLATE,
  URL,
  UUID,
  type Format,
  type Issue,
} from '../../src/core/check.js';
import { specAjv } from '../support/oracle.js';
import {
  KEPT_FROM_AJV_FORMATS,
  suiteFiles,
  suiteGroups,
  testId,
} from '../support/json-schema-suite.js';

const ajv = specAjv({ strict: true, strictTypes: false });

/** Valid values, then near-misses. */
type Cases = { valid: unknown[]; invalid: unknown[] };

const ID = '0190a7c2-6b1e-4f3a-9c2d-1e2f3a4b5c6d';

const CASES: [Format, Cases][] = [
  [
    UUID,
    {
      valid: [ID, ID.toUpperCase(), `urn:uuid:${ID}`, `URN:UUID:${ID.toUpperCase()}`],
      invalid: [
        `x${ID}`,
        `${ID}x`,
        ` ${ID}`,
        ID.replace(/-/g, ''),
        ID.slice(0, -1),
        `${ID}0`,
        ID.replace('0190', '019g'),
        '0190a7c2-6b1e-4f3a-1e2f3a4b5c6d',
        '0190a7c2-6b1e-4f3a-9c2d-9c2d-1e2f3a4b5c6d',
        `urn:uuid${ID}`,
        `uuid:${ID}`,
        'urn:uuid:',
        '',
      ],
    },
  ],
  [
    DATE,
    {
      valid: ['2024-02-29', '2000-02-29', '2023-02-28', '2023-12-31', '2023-04-30', '0000-01-01'],
      invalid: [
        '2023-02-29',
        '1900-02-29',
        '2023-04-31',
        '2023-00-01',
        '2023-13-01',
        '2023-99-01',
        '2023-01-00',
        '2023-01-32',
        '2023-1-01',
        '20230-01-01',
        ' 2023-01-01',
        '2023-01-01 ',
        '2023/01/01',
      ],
    },
  ],
  [
    TIME,
    {
      valid: [
        ...['09:00:00', '23:59:59', '12:00:00.5', '12:00:00z', '12:00:00+0530', '12:00:00-08'],
        // Leap seconds: 23:59:60 UTC, whatever the offset makes it locally, either way of UTC.
        ...['23:59:60', '23:59:60Z', '23:59:60.5Z', '23:59:60-00:00', '15:59:60-08:00'],
        ...['22:59:60-01:00', '23:29:60-00:30', '00:59:60+01:00', '00:29:60+00:30'],
        ...['05:29:60+05:30', '00:00:60+00:01', '12:00:00+23:59', '12:00:00-23:00'],
      ],
      invalid: [
        ...['x09:00:00', '109:00:00', '09:00:00x', '9:00:00', '09:00', '12:00:00.', '12:00:00 Z'],
        ...['24:00:00', '12:60:00', '12:00:60', '12:00:60Z', '23:59:61Z', '23:58:60Z'],
        ...['23:59:60-00:01', '00:00:60+00:30', '00:59:60-01:00', '23:59:60+01:00'],
        ...['12:00:00+24:00', '12:00:00+05:60', '12:00:00+5:30', '12:00:00+05:3'],
      ],
    },
  ],
  [
    DATE_TIME,
    {
      valid: [
        '2024-02-29T23:59:59Z',
        '2026-01-02t03:04:05z',
        '2026-01-02 03:04:05.123456+02:00',
        '2026-01-02\t03:04:05-0230',
        '2016-12-31T23:59:60Z',
      ],
      invalid: [
        '2023-02-29T00:00:00Z',
        '2026-01-02T24:00:00Z',
        '2026-01-02T03:04:05',
        '2026-01-02TT03:04:05Z',
        '2026-01-02',
        'T03:04:05Z',
        '2026-01-02T03:04:05Z ',
      ],
    },
  ],
  [
    DURATION,
    {
      valid: [
        ...['P1Y', 'P1M', 'P1D', 'P1W', 'PT1H', 'PT1M', 'PT1S', 'P1Y2M3DT4H5M6S', 'P1DT1S'],
        ...['P10Y', 'P10M', 'P10D', 'P10W', 'PT10H', 'PT10M', 'PT10S', 'P0D'],
      ],
      invalid: [
        ...['P', 'PT', 'P1DT', 'xP1D', 'P1Dx', ' P1D', '1D', 'p1d', 'P1d', 'P1H', 'PT1D'],
        ...['P1S', 'P1W1D', 'P1D1W', 'P1M1Y', 'PT1S1M', 'P1.5D', 'P-1D', 'PY', 'PTH'],
      ],
    },
  ],
  [
    EMAIL,
    {
      valid: [
        ...['a@b.c', 'ab@example.com', 'a.b@example.com', 'a.bc.def@example.info'],
        ...['a@mail.example.com', 'a@ex-ample.com', "o'neil+tag@example.com", 'A@EXAMPLE.COM'],
      ],
      invalid: [
        ...['.a@example.com', ' a@example.com', 'a@example.com-', 'a@example.com ', 'a@'],
        ...['@example.com', 'a@@example.com', 'a..b@example.com', 'a.@example.com'],
        ...['a@-example.com', 'a@example-.com', 'a@example.-com', 'a b@example.com'],
        ...['a@example', 'a@example..com', 'a@exa_mple.com', 'a@.com'],
        ...['ab.cd', 'joe@a[127.0.0.1]', 'joe@[127.0.0.1]x', 'joe@[IPv6:1.2.3.4]'],
      ],
    },
  ],
  [
    URI,
    {
      valid: ['https://example.com/a?b=c#d', 'urn:isbn:1', 'mailto:a@example.com', 'x:y'],
      invalid: ['x:', 'example.com', '/relative/path', '1http://example.com', 'http://a b', ''],
    },
  ],
  [
    IPV4,
    {
      valid: [
        ...['0.0.0.0', '1.2.3.4', '12.34.56.78', '255.255.255.255'],
        ...['250.1.1.1', '240.1.1.1', '199.1.1.1', '100.1.1.1'],
        ...['1.1.1.250', '1.1.1.240', '1.1.1.199', '1.1.1.100', '1.1.1.12'],
      ],
      invalid: [
        ...['01.2.3.4', '1.1.2.3.4', '1.2.3.4x', '1.2.3.4.', '1.2.3', '1.2.3.04'],
        ...['256.1.1.1', '260.1.1.1', '300.1.1.1', '1.1.1.256', '1.1.1.260', '1.1.1.300'],
        ...['1.1.1.1000', 'a.1.1.1', '1.1.1.a', '1..1.1'],
      ],
    },
  ],
  [
    IPV6,
    {
      valid: [
        '::',
        '::1',
        '2001:db8::1',
        '2001:0db8:0000:0000:0000:0000:0000:0001',
        '::ffff:1.2.3.4',
      ],
      invalid: ['2001:db8::1::2', '2001:db8:::1', '12345::', '1.2.3.4', ':::', 'g::1'],
    },
  ],
  [
    ISO_TIME,
    { valid: ['09:00:00', '09:00:00.5Z', '09:00:00+01:00'], invalid: ['24:00:00', '9:00:00'] },
  ],
  [
    ISO_DATE_TIME,
    {
      valid: ['2026-01-02T03:04:05', '2026-01-02 03:04:05Z'],
      invalid: ['2026-01-02', '2026-02-30T03:04:05'],
    },
  ],
  [
    HOSTNAME,
    {
      valid: [
        'example.com',
        'a',
        '1host',
        'a--b.com',
        'ab--cd.com',
        'ab--xn--a.com',
        'xn--mnchen-3ya.de',
        `${'a'.repeat(63)}.com`,
      ],
      invalid: ['', '.', '-a.com', 'a-.com', 'a_b.com', `${'a'.repeat(64)}.com`, 'a..b', 'é.com'],
    },
  ],
  [
    URI_REFERENCE,
    {
      valid: ['', '/a/b', '//example.com/p', 'a/b?c#d', '#frag', 'http://example.com/a?b#c'],
      invalid: ['\\\\server\\share', '#frag\\ment', 'a b', 'http://a b', '%', '%zz'],
    },
  ],
  [
    URI_TEMPLATE,
    {
      valid: ['', 'http://example.com/{a}', '{+path}/x{?q,r*}', '{v:3}', 'a%41b'],
      invalid: ['{', '{}', 'a}', '{a,}', '{v:0}', '{v:10000}', 'a b', '{var=def}'],
    },
  ],
  [
    URL,
    {
      valid: ['https://example.com', 'http://example.com:8080/a?b', 'ftp://example.com/x'],
      invalid: ['example.com', 'mailto:a@b.c', 'http://127.0.0.1', 'https://', 'http://a b.com'],
    },
  ],
  [
    JSON_POINTER,
    { valid: ['', '/', '/a/b', '/a~0b/~1', '/0'], invalid: ['a', '/a~', '/a~2', '#/a'] },
  ],
  [
    JSON_POINTER_URI_FRAGMENT,
    { valid: ['#', '#/a/b', '#/a%20b', '#/~0~1'], invalid: ['', '/a', '#a', '#/a b', '#/%zz'] },
  ],
  [
    RELATIVE_JSON_POINTER,
    { valid: ['0', '1/a', '0#', '10/~0'], invalid: ['', '/a', '-1', '01', '0##', '1/a~'] },
  ],
  [
    REGEX,
    {
      valid: ['^a+$', '(?<n>x)', '\\p{L}', '', '\\\\Z'],
      invalid: ['(', '[', 'a{2,1}', '^\\Z', 'a\\Z'],
    },
  ],
  [
    BYTE,
    { valid: ['', 'YQ==', 'YWI=', 'YWJj', 'YWJjZA=='], invalid: ['YQ=', 'Y', 'YQ==YQ==', '!!!!'] },
  ],
  // (No Infinity: JSON cannot carry it, and ajv's compiled `format` lets it through.)
  [
    INT32,
    {
      valid: [0, -1, 2 ** 31 - 1, -(2 ** 31), 2.0],
      invalid: [2 ** 31, -(2 ** 31) - 1, 1.5, -0.5],
    },
  ],
  [
    INT64,
    {
      valid: [0, -1, 2 ** 53, -(2 ** 53), 2 ** 31],
      invalid: [1.5, -0.5, 2 ** 31 + 0.5, 1e-9],
    },
  ],
];

/** What `format()` does to values of another type: nothing; `type` is another keyword's to say. */
const OTHER_TYPES = (f: Format) => [f.type === 'number' ? '1' : 1, null, true, [], {}];

describe('each format against ajv-formats, on a table of valid values and near-misses', () => {
  it.each(CASES.map(([f, cases]) => [f.name, f, cases] as const))(
    '%s',
    (name, f, { valid, invalid }) => {
      const judge = ajv.compile({ format: name });
      const check = format(f);
      const verdicts = (values: unknown[]) =>
        values.map((value) => ({ value, ajv: judge(value), sdk: check(value, [], []) }));
      const expected = (values: unknown[], verdict: boolean) =>
        values.map((value) => ({ value, ajv: verdict, sdk: verdict }));
      expect(verdicts(valid)).toEqual(expected(valid, true));
      expect(verdicts(invalid)).toEqual(expected(invalid, false));
      expect(verdicts(OTHER_TYPES(f))).toEqual(expected(OTHER_TYPES(f), true));
    },
  );
});

/**
 * Where the SDK parts from ajv-formats on purpose: ajv is wrong by JSON-Schema-Test-Suite (the
 * suite's test is named), and the SDK has the suite's verdict. ajv's verdict is asserted too, so
 * a fix in ajv-formats shows here.
 */
const DEPARTURES: [Format, string, boolean, string][] = [
  [TIME, '24:00:60+00:01', false, 'hour 24 is invalid even with a leap second'],
  [
    DATE_TIME,
    '1985-04-12T00:59:59.999999999999999Z',
    true,
    'a second fraction of fifteen nines is valid',
  ],
  [HOSTNAME, 'example.', false, 'trailing dot'],
  [HOSTNAME, 'xn--X', false, 'invalid Punycode'],
  [HOSTNAME, 'xn--hello-txk', false, 'Begins with a Spacing Combining Mark'],
  [HOSTNAME, 'xn--al-0ea', false, "MIDDLE DOT with no preceding 'l'"],
  [HOSTNAME, 'XN--aa---o47jg78q', false, 'contains "--" in the 3rd and 4th position'],
  [
    EMAIL,
    '"joe bloggs"@example.com',
    true,
    'a quoted string with a space in the local part is valid',
  ],
  [EMAIL, 'joe.bloggs@[127.0.0.1]', true, 'an IPv4-address-literal after the @ is valid'],
  [EMAIL, 'joe.bloggs@[IPv6:::1]', true, 'an IPv6-address-literal after the @ is valid'],
  [URI, 'http://example.com:abc/path', false, 'non-numeric port is invalid'],
  [URI, 'http://[::ffff:01.2.3.4]', false, 'leading zero in an embedded IPv4 address is invalid'],
  [URI, 'http:/[::1]', false, 'square brackets are not allowed in a path segment'],
  [URI_REFERENCE, '/a"b', false, 'a double quote in a path'],
  [URI_REFERENCE, '//a@b@example.com/', false, 'more than one at-sign in the authority'],
  [URI_REFERENCE, '1:b', false, 'a colon in the first segment of a relative-path reference'],
  [URI_TEMPLATE, '{a.b}', true, 'a dotted variable name is valid'],
  [URI_TEMPLATE, "a'b", true, 'an apostrophe in a literal is valid'],
  [URI_TEMPLATE, 'a\x7fb', false, 'a delete character in a literal is invalid'],
];

/** And where it parts on purpose with no test of the suite's to say: each with its reason. */
const CHOSEN: [Format, string, boolean, string][] = [
  // A regex must compile as `pattern` does: ECMA-262 with `u` (ajv-formats compiles without).
  [REGEX, '{', false, 'a lone brace is legacy syntax, refused with the u flag'],
  [REGEX, '\\-', false, 'an identity escape of a non-syntax character, refused with the u flag'],
];

describe("where the SDK has JSON-Schema-Test-Suite's verdict and ajv-formats not", () => {
  it.each(
    [...DEPARTURES, ...CHOSEN].map(
      ([f, value, verdict, test]) => [test, f, value, verdict] as const,
    ),
  )('%s', (_test, f, value, verdict) => {
    const judge = ajv.compile({ format: f.name });
    expect({ ajv: judge(value), sdk: format(f)(value, [], []) }).toEqual({
      ajv: !verdict,
      sdk: verdict,
    });
  });
});

const ISSUES: [Format, unknown, string][] = [
  [UUID, ID.slice(1), 'must be a UUID'],
  [DATE, '2023-02-29', 'must be an ISO date (YYYY-MM-DD)'],
  [TIME, '24:00:00', 'must be an ISO time (hh:mm:ss)'],
  [DATE_TIME, '2026-01-02T03:04:05', 'must be an ISO date-time'],
  [DURATION, 'P', 'must be an ISO duration'],
  [EMAIL, 'a@', 'must be an email address'],
  [URI, 'example.com', 'must be an absolute URI'],
  [IPV4, '256.1.1.1', 'must be an IPv4 address'],
  [IPV6, '12345::', 'must be an IPv6 address'],
  [ISO_TIME, '9:00', 'must be an ISO time (hh:mm:ss, offset optional)'],
  [ISO_DATE_TIME, '2026-01-02', 'must be an ISO date-time (offset optional)'],
  [HOSTNAME, 'a_b', 'must be a host name'],
  [URI_REFERENCE, 'a b', 'must be a URI reference'],
  [URI_TEMPLATE, '{', 'must be a URI template'],
  [URL, 'example.com', 'must be a URL'],
  [JSON_POINTER, 'a', 'must be a JSON pointer'],
  [JSON_POINTER_URI_FRAGMENT, '/a', 'must be a JSON pointer URI fragment'],
  [RELATIVE_JSON_POINTER, '/a', 'must be a relative JSON pointer'],
  [REGEX, '(', 'must be a regular expression'],
  [BYTE, '!', 'must be base64'],
  [INT32, 2 ** 31, 'must be a 32-bit integer'],
  [INT64, 1.5, 'must be an integer'],
];

describe("each format's issue: the rule, the format's name as ajv's params have it, a message", () => {
  it.each(ISSUES.map(([f, value, message]) => [f.name, f, value, message] as const))(
    '%s',
    (name, f, value, message) => {
      const issues: Issue[] = [];
      expect(format(f)(value, ['a', 0], issues)).toBe(false);
      const issue = { path: ['a', 0], rule: 'format', params: { format: name }, message };
      expect(issues).toEqual([issue]);
      // ajv names the same format in its error's params.
      const judge = ajv.compile({ format: name });
      judge(value);
      expect(judge.errors?.map((e) => [e.keyword, e.params])).toEqual([
        ['format', { format: name }],
      ]);
      // string(format) says the same of a string, and `type` of anything else.
      if (f.type === undefined) {
        const more: Issue[] = [];
        expect(string(f)(value, ['a', 0], more)).toBe(false);
        expect(string(f)(1, ['a', 0], more)).toBe(false);
        expect(more).toEqual([
          issue,
          { path: ['a', 0], rule: 'type', params: { type: 'string' }, message: 'must be a string' },
        ]);
      }
    },
  );

  it('every format has a message of its own', () => {
    const messages = ISSUES.map(([, , message]) => message);
    expect(new Set(messages).size).toBe(messages.length);
    expect(ISSUES.map(([f]) => f.message)).toEqual(messages);
  });
});

describe("JSON-Schema-Test-Suite's format tests, each format alone", () => {
  const formats = new Map(
    [
      ...[UUID, DATE, TIME, DATE_TIME, DURATION, EMAIL, URI, URI_REFERENCE, URI_TEMPLATE, URL],
      ...[IPV4, IPV6, HOSTNAME, JSON_POINTER, RELATIVE_JSON_POINTER, REGEX],
    ].map((f) => [f.name, f]),
  );
  const groups = suiteGroups().filter((g) =>
    formats.has(g.file.replace(/^optional\/format\/|\.json$/g, '')),
  );

  it('covers every format file of the suite in scope (but unknown.json)', () => {
    const files = suiteFiles().filter((f) => /^optional\/format\/(?!unknown)/.test(f));
    expect(files.length).toBeGreaterThan(10);
    expect(new Set(groups.map((g) => g.file))).toEqual(new Set(files));
  });

  it.each(groups.map((g) => [`${g.file}: ${g.description}`, g] as const))('%s', (_name, group) => {
    const f = formats.get(group.file.replace(/^optional\/format\/|\.json$/g, ''))!;
    const check = format(f);
    const wrong = group.tests.filter(
      (test) =>
        check(test.data, [], []) !== test.valid &&
        !Object.hasOwn(KEPT_FROM_AJV_FORMATS, testId(group, test)),
    );
    expect(wrong.map((t) => t.description)).toEqual([]);
  });
});

describe('Punycode (RFC 3492), which hostname decodes A-labels with', () => {
  const letters = [...'abz09-ßüéñøåłžščęőÿ한국어中文日本語ไทยαλφаяक्षि'];

  it("decodes what Node's URL parser encodes, to what it decodes", () => {
    const label = fc.string({ unit: fc.constantFrom(...letters), minLength: 1, maxLength: 24 });
    let decoded = 0;
    fc.assert(
      fc.property(label, (unicode) => {
        const ascii = domainToASCII(unicode);
        if (!ascii.startsWith('xn--') || ascii.includes('.')) return;
        decoded++;
        expect(decodePunycode(ascii.slice(4))).toBe(domainToUnicode(ascii));
      }),
      { numRuns: 500 },
    );
    expect(decoded).toBeGreaterThan(250);
  });

  it('refuses what is not Punycode: a digit it lacks, a sequence cut short, non-ASCII basics, a code point past Unicode', () => {
    for (const text of ['a!b', 'abc-9', 'ü-ca', '-a', '99999999999', 'bb00h']) {
      expect(decodePunycode(text), text).toBeUndefined();
    }
    expect(decodePunycode('mnchen-3ya')).toBe('münchen');
    expect(decodePunycode('MNCHEN-3YA')).toBe('MüNCHEN');
    expect(decodePunycode('')).toBe('');
    expect(decodePunycode('abc-')).toBe('abc');
  });
});
