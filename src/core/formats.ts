/**
 * The formats the validators assert (src/core/check.ts's `string(format)` and `format(format)`),
 * each its own export, so an app ships only those its schemas use.
 */
import { decodePunycode } from '../internal/punycode.js';

/** A named `format`, with its own message; formats of numbers say so in `type`. */
export interface Format {
  /** Its name in the spec: `uuid`, `date-time`... */
  name: string;
  /** What an issue says of a value that is not in it: `must be a UUID`. */
  message: string;
  /** Whether a value of its type (a string, or a number for `type: 'number'`) is in it. */
  test: (value: never) => boolean;
  /** `number` for a format of numbers (`int32`); strings otherwise. */
  type?: 'number';
}

// Formats, as ajv-formats' full mode has them (node_modules/ajv-formats/dist/formats.js), except
// that `time` takes a time without an offset too (its `iso-time`): Pydantic writes naive times.

// The URN form too, as ajv-formats (and the server, Pydantic) accept it.
const UUID_PATTERN = /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
export const UUID: Format = {
  name: 'uuid',
  message: 'must be a UUID',
  test: (s: string) => UUID_PATTERN.test(s),
};

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DATE_PATTERN = /^(\d\d\d\d)-(\d\d)-(\d\d)$/;

/** A real calendar day, 29 February only in leap years. */
const isDate = (s: string): boolean => {
  const m = DATE_PATTERN.exec(s);
  if (!m) return false;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  // Month 00 has 0 days in DAYS, and months past 12 none (undefined): no day is in range.
  return day >= 1 && day <= (month === 2 && leap ? 29 : DAYS[month]);
};

const TIME_PATTERN = /^(\d\d):(\d\d):(\d\d)(\.\d+)?(z|([+-])(\d\d)(?::?(\d\d))?)?$/i;

/**
 * hh:mm:ss[.frac][offset]; second 60 only as 23:59:60 UTC (a leap second), as ajv-formats has
 * it, except that the fraction never rounds the second up (59.999999999999999 is no leap second,
 * as JSON Schema's suite says and ajv's floats get wrong) and hour 24 is no hour even then.
 */
const isTime = (s: string, zoned: boolean): boolean => {
  const m = TIME_PATTERN.exec(s);
  if (!m) return false;
  const hour = +m[1];
  const minute = +m[2];
  const second = +m[3];
  const tzHour = +(m[7] || 0);
  const tzMinute = +(m[8] || 0);
  if (tzHour > 23 || tzMinute > 59 || (zoned && !m[5]) || hour > 23 || minute > 59) return false;
  if (second < 60) return true;
  // A leap second falls at 23:59 UTC (hour -1: of the day before): the local time minus the
  // offset, plus it west of UTC. Only a minute of -1 borrows an hour; any other below 0 fails.
  const west = m[6] === '-';
  const utcMinute = west ? minute + tzMinute : minute - tzMinute;
  const utcHour = (west ? hour + tzHour : hour - tzHour) - (utcMinute === -1 ? 1 : 0);
  return (
    (utcHour === 23 || utcHour === -1) && (utcMinute === 59 || utcMinute === -1) && second < 61
  );
};

export const DATE: Format = {
  name: 'date',
  message: 'must be an ISO date (YYYY-MM-DD)',
  test: isDate,
};

export const TIME: Format = {
  name: 'time',
  message: 'must be an ISO time (hh:mm:ss)',
  test: (s: string) => isTime(s, false),
};

/** ajv-formats' `iso-time`: what `time` is here. */
export const ISO_TIME: Format = {
  name: 'iso-time',
  message: 'must be an ISO time (hh:mm:ss, offset optional)',
  test: (s: string) => isTime(s, false),
};

const DATE_TIME_SEPARATOR = /t|\s/i;

const isDateTime = (s: string, zoned: boolean) => {
  const parts = s.split(DATE_TIME_SEPARATOR);
  return parts.length === 2 && isDate(parts[0]) && isTime(parts[1], zoned);
};

/** A date and a time with its offset, apart by `T` or a space, as ajv-formats reads RFC 3339. */
export const DATE_TIME: Format = {
  name: 'date-time',
  message: 'must be an ISO date-time',
  test: (s: string) => isDateTime(s, true),
};

/** ajv-formats' `iso-date-time`: a date-time whose offset may be left out. */
export const ISO_DATE_TIME: Format = {
  name: 'iso-date-time',
  message: 'must be an ISO date-time (offset optional)',
  test: (s: string) => isDateTime(s, false),
};

const DURATION_PATTERN = /^P(?!$)((\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?|(\d+W)?)$/;
export const DURATION: Format = {
  name: 'duration',
  message: 'must be an ISO duration',
  test: (s: string) => DURATION_PATTERN.test(s),
};

/**
 * URIs and URI references as RFC 3986 writes them, from its grammar's names (case-insensitive).
 * Built on first use, so that an app whose schemas have no URI builds (and ships) none of it.
 */
// Stryker disable all: built once and cached, a mutant here would live on in the cache for the
// tests of every other mutant. The official suite's format tests (check.formats.test.ts) hold it.
function uriPatterns() {
  const pct = '%[0-9a-f]{2}';
  const unreserved = "a-z0-9\\-._~!$&'()*+,;=";
  const pchar = `(?:[${unreserved}:@]|${pct})`;
  const octet = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
  const h16 = '[0-9a-f]{1,4}';
  const ls32 = `(?:${h16}:${h16}|${octet}(?:\\.${octet}){3})`;
  // RFC 3986's IPv6address: its nine forms.
  const ipv6 = [
    `(?:${h16}:){6}${ls32}`,
    `::(?:${h16}:){5}${ls32}`,
    `(?:${h16})?::(?:${h16}:){4}${ls32}`,
    `(?:(?:${h16}:){0,1}${h16})?::(?:${h16}:){3}${ls32}`,
    `(?:(?:${h16}:){0,2}${h16})?::(?:${h16}:){2}${ls32}`,
    `(?:(?:${h16}:){0,3}${h16})?::${h16}:${ls32}`,
    `(?:(?:${h16}:){0,4}${h16})?::${ls32}`,
    `(?:(?:${h16}:){0,5}${h16})?::${h16}`,
    `(?:(?:${h16}:){0,6}${h16})?::`,
  ].join('|');
  const authority =
    `(?:(?:[${unreserved}:]|${pct})*@)?` +
    `(?:\\[(?:${ipv6}|v[0-9a-f]+\\.[${unreserved}:]+)\\]|(?:[${unreserved}]|${pct})*)(?::\\d*)?`;
  const tail = `(?:/${pchar}*)*`;
  // A path after `//authority`, from the root, or relative (`first`: its first segment). Not
  // empty: `x:` is no URI to ajv-formats (a relative reference may be empty, below).
  const hierarchy = (first: string) =>
    `(?://${authority}${tail}|/(?:${pchar}+${tail})?|${first}+${tail})`;
  const queryFragment = `(?:\\?(?:${pchar}|[/?])*)?(?:#(?:${pchar}|[/?])*)?`;
  const absolute = `[a-z][a-z0-9+\\-.]*:${hierarchy(pchar)}`;
  // A relative reference's first segment has no colon, or it would read as a scheme.
  const relative = hierarchy(`(?:[${unreserved}@]|${pct})`);
  return {
    uri: new RegExp(`^${absolute}${queryFragment}$`, 'i'),
    reference: new RegExp(`^(?:${absolute}|${relative}|)${queryFragment}$`, 'i'),
  };
}
// Stryker restore all
let uris: ReturnType<typeof uriPatterns> | undefined;

/** An absolute URI (RFC 3986). */
export const URI: Format = {
  name: 'uri',
  message: 'must be an absolute URI',
  test: (s: string) => (uris ??= uriPatterns()).uri.test(s),
};

/** A URI or a relative reference (RFC 3986). */
export const URI_REFERENCE: Format = {
  name: 'uri-reference',
  message: 'must be a URI reference',
  test: (s: string) => (uris ??= uriPatterns()).reference.test(s),
};

/** RFC 6570: literals (an apostrophe too, as JSON Schema's suite has it) and `{op var:3,list*}`. */
// Stryker disable all: cached, as uriPatterns.
function uriTemplatePattern(): RegExp {
  const varchar = '(?:[a-z0-9_]|%[0-9a-f]{2})';
  const varspec = `${varchar}(?:\\.?${varchar})*(?::[1-9]\\d{0,3}|\\*)?`;
  const expression = `\\{[+#./;?&=,!@|]?${varspec}(?:,${varspec})*\\}`;
  return new RegExp(`^(?:[^\\x00-\\x20"%<>\\\\^\`{|}\\x7f]|%[0-9a-f]{2}|${expression})*$`, 'iu');
}
// Stryker restore all
let uriTemplate: RegExp | undefined;

/** A URI template (RFC 6570, level 4). */
export const URI_TEMPLATE: Format = {
  name: 'uri-template',
  message: 'must be a URI template',
  test: (s: string) => (uriTemplate ??= uriTemplatePattern()).test(s),
};

/** ajv-formats' `url`: an http(s) or ftp URL with a public host. */
const URL_PATTERN =
  /^(?:https?|ftp):\/\/(?:\S+(?::\S*)?@)?(?:(?!(?:10|127)(?:\.\d{1,3}){3})(?!(?:169\.254|192\.168)(?:\.\d{1,3}){2})(?!172\.(?:1[6-9]|2\d|3[0-1])(?:\.\d{1,3}){2})(?:[1-9]\d?|1\d\d|2[01]\d|22[0-3])(?:\.(?:1?\d{1,2}|2[0-4]\d|25[0-5])){2}(?:\.(?:[1-9]\d?|1\d\d|2[0-4]\d|25[0-4]))|(?:(?:[a-z0-9\u{00a1}-\u{ffff}]+-)*[a-z0-9\u{00a1}-\u{ffff}]+)(?:\.(?:[a-z0-9\u{00a1}-\u{ffff}]+-)*[a-z0-9\u{00a1}-\u{ffff}]+)*(?:\.(?:[a-z\u{00a1}-\u{ffff}]{2,})))(?::\d{2,5})?(?:\/[^\s]*)?$/iu;
export const URL: Format = {
  name: 'url',
  message: 'must be a URL',
  test: (s: string) => URL_PATTERN.test(s),
};

const DOT_ATOM = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/i;
const QUOTED = /^"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e])*"$/;
const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

/**
 * An email address (RFC 5321): ajv-formats' dot-atom and domain, and also what it misses, a
 * quoted local part (`"joe bloggs"@example.com`) and an address literal (`a@[127.0.0.1]`,
 * `a@[IPv6:::1]`).
 */
export const EMAIL: Format = {
  name: 'email',
  message: 'must be an email address',
  test: (s: string) => {
    const at = s.lastIndexOf('@');
    const [local, domain] = [s.slice(0, at), s.slice(at + 1)];
    const literal = /^\[(?:IPv6:(.*)|(.*))\]$/.exec(domain);
    return (
      at !== -1 &&
      (DOT_ATOM.test(local) || QUOTED.test(local)) &&
      (literal
        ? literal[1] !== undefined
          ? IPV6_PATTERN.test(literal[1])
          : IPV4_PATTERN.test(literal[2])
        : DOMAIN.test(domain))
    );
  },
};

const IPV4_PATTERN =
  /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
export const IPV4: Format = {
  name: 'ipv4',
  message: 'must be an IPv4 address',
  test: (s: string) => IPV4_PATTERN.test(s),
};

const IPV6_PATTERN =
  /^((([0-9a-f]{1,4}:){7}([0-9a-f]{1,4}|:))|(([0-9a-f]{1,4}:){6}(:[0-9a-f]{1,4}|((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){5}(((:[0-9a-f]{1,4}){1,2})|:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){4}(((:[0-9a-f]{1,4}){1,3})|((:[0-9a-f]{1,4})?:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){3}(((:[0-9a-f]{1,4}){1,4})|((:[0-9a-f]{1,4}){0,2}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){2}(((:[0-9a-f]{1,4}){1,5})|((:[0-9a-f]{1,4}){0,3}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){1}(((:[0-9a-f]{1,4}){1,6})|((:[0-9a-f]{1,4}){0,4}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(:(((:[0-9a-f]{1,4}){1,7})|((:[0-9a-f]{1,4}){0,5}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:)))$/i;
export const IPV6: Format = {
  name: 'ipv6',
  message: 'must be an IPv6 address',
  test: (s: string) => IPV6_PATTERN.test(s),
};

export const INT32: Format = {
  name: 'int32',
  message: 'must be a 32-bit integer',
  type: 'number',
  test: (n: number) => Number.isInteger(n) && n <= 2 ** 31 - 1 && n >= -(2 ** 31),
};

export const INT64: Format = {
  name: 'int64',
  message: 'must be an integer',
  type: 'number',
  test: (n: number) => Number.isInteger(n),
};

const VIRAMA =
  '\u094d\u09cd\u0a4d\u0acd\u0b4d\u0bcd\u0c4d\u0ccd\u0d4d\u0dca\u0e3a\u0f84\u1039\u103a\u1714\u1734\u17d2\u1a60\u1b44\u1baa\u1bab\u1bf2\u1bf3\u2d7f\ua806\ua8c4\ua953\ua9c0\uaaf6\uabed';
/** Letters that join (Arabic and its kin): around a ZERO WIDTH NON-JOINER they allow it. */
const JOINING = '[\\p{Script=Arabic}\\p{Script=Syriac}\\p{Script=Nko}\\p{Script=Mongolian}]';

/**
 * What IDNA 2008 (RFC 5891, 5892) lets into a U-label: letters, marks and digits (no capitals),
 * its PVALID exceptions, and the characters its context rules (appendix A) judge.
 */
const U_LABEL =
  /^[\p{Ll}\p{Lo}\p{Lm}\p{Mn}\p{Mc}\p{Nd}\u06fd\u06fe\u0f0b\u3007\u00b7\u0375\u05f3\u05f4\u30fb\u200c\u200d-]+$/u;

/** What a U-label must not have; built on first use (two need the virama list in them). */
// Stryker disable all: cached, as uriPatterns.
const uLabelBans = (): RegExp[] => [
  /^\p{M}/u, // no combining mark first
  /^..--/u, // `--` in 3rd and 4th place is for A-labels
  /[\u0640\u07fa\u302e\u302f\u3031-\u3035\u303b]/, // DISALLOWED exceptions
  /(?<!l)\u00b7|\u00b7(?!l)/, // MIDDLE DOT between two l
  /\u0375(?!\p{Script=Greek})/u, // KERAIA before Greek
  /(?<!\p{Script=Hebrew})[\u05f3\u05f4]/u, // GERESH, GERSHAYIM after Hebrew
  new RegExp(`(?<![${VIRAMA}])\\u200d`), // ZERO WIDTH JOINER after a virama
  // ZERO WIDTH NON-JOINER after a virama, or between joining letters.
  new RegExp(
    `(?<![${VIRAMA}])(?<!${JOINING}\\p{Mn}*)\\u200c|(?<![${VIRAMA}])\\u200c(?!\\p{Mn}*${JOINING})`,
    'u',
  ),
];
// Stryker restore all
let bans: RegExp[] | undefined;

const isULabel = (label: string): boolean =>
  U_LABEL.test(label) &&
  !(bans ??= uLabelBans()).some((ban) => ban.test(label)) &&
  // KATAKANA MIDDLE DOT (itself of no script) with Hiragana, Katakana or Han; Arabic-Indic
  // digits of one kind.
  (!label.includes('\u30fb') ||
    /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u.test(label)) &&
  !(/[\u0660-\u0669]/.test(label) && /[\u06f0-\u06f9]/.test(label));

const HOSTNAME_PATTERN =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * A host name (RFC 1123): dot-separated labels of letters, digits and inner hyphens, 63
 * characters at most each and 253 in all, with no trailing dot (as JSON Schema's suite reads it).
 * An A-label (`xn--`) must be the Punycode of a valid U-label (IDNA 2008), which ajv-formats does
 * not check.
 */
export const HOSTNAME: Format = {
  name: 'hostname',
  message: 'must be a host name',
  test: (s: string) =>
    HOSTNAME_PATTERN.test(s) &&
    s.split('.').every((label) => {
      if (label.slice(0, 4).toLowerCase() !== 'xn--') return true;
      const decoded = decodePunycode(label.slice(4));
      return decoded !== undefined && isULabel(decoded);
    }),
};

// JSON pointers (RFC 6901) and relative ones, as ajv-formats has them.
const JSON_POINTER_PATTERN = /^(?:\/(?:[^~/]|~0|~1)*)*$/;
export const JSON_POINTER: Format = {
  name: 'json-pointer',
  message: 'must be a JSON pointer',
  test: (s: string) => JSON_POINTER_PATTERN.test(s),
};

const JSON_POINTER_URI_FRAGMENT_PATTERN =
  /^#(?:\/(?:[a-z0-9_\-.!$&'()*+,;:=@]|%[0-9a-f]{2}|~0|~1)*)*$/i;
export const JSON_POINTER_URI_FRAGMENT: Format = {
  name: 'json-pointer-uri-fragment',
  message: 'must be a JSON pointer URI fragment',
  test: (s: string) => JSON_POINTER_URI_FRAGMENT_PATTERN.test(s),
};

const RELATIVE_JSON_POINTER_PATTERN = /^(?:0|[1-9][0-9]*)(?:#|(?:\/(?:[^~/]|~0|~1)*)*)$/;
export const RELATIVE_JSON_POINTER: Format = {
  name: 'relative-json-pointer',
  message: 'must be a relative JSON pointer',
  test: (s: string) => RELATIVE_JSON_POINTER_PATTERN.test(s),
};

/**
 * A regular expression that compiles as the validators compile `pattern`: ECMA-262 with the `u`
 * flag, which refuses what only browsers' legacy syntax allows (`\Z`, a lone `{`).
 */
export const REGEX: Format = {
  name: 'regex',
  message: 'must be a regular expression',
  test: (s: string) => {
    try {
      new RegExp(s, 'u');
    } catch {
      return false;
    }
    return true;
  },
};

const BYTE_PATTERN = /^(?:[a-z0-9+/]{4})*(?:[a-z0-9+/]{2}==|[a-z0-9+/]{3}=)?$/i;
/** OpenAPI's `byte`: base64. */
export const BYTE: Format = {
  name: 'byte',
  message: 'must be base64',
  test: (s: string) => BYTE_PATTERN.test(s),
};
