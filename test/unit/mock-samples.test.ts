/**
 * The generator's side of the mock: deterministic samples that their schema accepts (judged by
 * ajv), strings for patterns, path matchers and how parameters read.
 */
import { describe, expect, it } from 'vitest';
import { paramKind, pathMatcher } from '../../scripts/gen/mock.js';
import { NoSampleError, patternSample } from '../../scripts/gen/pattern-sample.js';
import { Sampler, uuidOf } from '../../scripts/gen/samples.js';
import type { Spec } from '../../scripts/lib/spec.js';
import { ajvJudge } from '../support/spec-calls.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/;

const spec: Spec = {
  components: {
    schemas: {
      Node: {
        type: 'object',
        required: ['id', 'children'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          label: { anyOf: [{ type: 'string', maxLength: 3 }, { type: 'null' }] },
          parent: { anyOf: [{ $ref: '#/components/schemas/Node' }, { type: 'null' }] },
          children: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
        },
      },
      Display: {
        type: 'object',
        required: ['view'],
        properties: { view: { const: 'display' }, text: { type: 'string' } },
      },
      Full: {
        type: 'object',
        required: ['view', 'n'],
        properties: { view: { const: 'full' }, n: { type: 'integer' } },
      },
    },
  },
};

const schemas: Record<string, Spec> = {
  bounds: {
    type: 'object',
    properties: {
      score: { type: 'number', exclusiveMinimum: 0, maximum: 0.5 },
      count: { type: 'integer', minimum: 5, maximum: 9 },
      big: { type: 'integer', minimum: 100 },
      defaulted: { type: 'integer', default: 50, maximum: 200 },
    },
  },
  strings: {
    type: 'object',
    properties: {
      when: { type: 'string', format: 'date-time' },
      day: { type: 'string', format: 'date' },
      at: { type: 'string', format: 'time' },
      mail: { type: 'string', format: 'email' },
      slug: { type: 'string', pattern: '^[a-z][a-z0-9_]*$', minLength: 4 },
      phone: { type: 'string', pattern: '^\\+[1-9]\\d{6,14}$' },
      short: { type: 'string', minLength: 12, maxLength: 12 },
      mode: { type: 'string', enum: ['b', 'a'] },
    },
  },
  arrays: {
    type: 'object',
    properties: {
      pair: {
        type: 'array',
        prefixItems: [{ type: 'string' }, { type: 'integer' }],
        minItems: 2,
        maxItems: 2,
      },
      none: { type: 'array', items: { type: 'integer' }, maxItems: 0 },
      many: { type: 'array', items: { type: 'boolean' }, minItems: 3 },
      map: { type: 'object', additionalProperties: { type: 'integer' }, required: ['k'] },
    },
  },
  tree: { $ref: '#/components/schemas/Node' },
  tagged: {
    oneOf: [{ $ref: '#/components/schemas/Full' }, { $ref: '#/components/schemas/Display' }],
    discriminator: {
      propertyName: 'view',
      mapping: { full: '#/components/schemas/Full', display: '#/components/schemas/Display' },
    },
  },
};

describe('samples', () => {
  const judge = ajvJudge(spec);

  it.each(Object.entries(schemas))('of %s are accepted by ajv', (name, schema) => {
    const value = new Sampler(spec).sample(schema, name);
    expect(judge(schema, value)).toBeNull();
  });

  it('are deterministic, and take defaults, the first enum value and length bounds', () => {
    const [a, b] = [new Sampler(spec), new Sampler(spec)].map((s) =>
      s.sample(schemas.strings, 'x'),
    );
    expect(a).toEqual(b);
    const bounds = new Sampler(spec).sample(schemas.bounds, 'b') as Record<string, unknown>;
    expect(bounds).toEqual({ score: 0.5, count: 5, big: 100, defaulted: 50 });
    const strings = a as Record<string, string>;
    expect(strings.mode).toBe('b');
    expect(strings.short).toBe('shortxxxxxxx');
    expect(strings.slug).toMatch(/^[a-z][a-z0-9_]{3,}$/);
  });

  it('give each UUID field its own stable value', () => {
    const tree = new Sampler(spec).sample(schemas.tree, 't') as Record<string, any>;
    expect(tree.id).toMatch(UUID_RE);
    expect(tree.id).toBe(uuidOf('Node.id'));
    expect(uuidOf('a')).not.toBe(uuidOf('b'));
  });

  it('end recursion with the smallest value: required fields only, no items', () => {
    const tree = new Sampler(spec).sample(schemas.tree, 't') as Record<string, any>;
    const smallest = { id: tree.id, children: [] };
    expect(tree).toEqual({ id: tree.id, label: 'lab', parent: smallest, children: [smallest] });
    // Inside the smallest value, a union takes its null branch.
    const wrapped = {
      type: 'object',
      properties: { n: { anyOf: [{ $ref: '#/components/schemas/Node' }, { type: 'null' }] } },
    };
    const node = { ...spec.components.schemas.Node, required: ['id', 'children', 'parent'] };
    const strict: Spec = { components: { schemas: { ...spec.components.schemas, Node: node } } };
    const value = new Sampler(strict).sample(wrapped, 'w') as Record<string, any>;
    expect(value.n.parent).toEqual({ id: value.n.id, children: [], parent: null });
  });

  it('tag a discriminated branch, and prefer examples', () => {
    expect(new Sampler(spec).sample(schemas.tagged, 'x')).toEqual({ view: 'full', n: 1 });
    const example = { type: 'integer', examples: [42] };
    expect(new Sampler(spec).sample(example, 'x')).toBe(42);
  });

  it('fail generation, naming the place, when no number fits', () => {
    expect(() =>
      new Sampler(spec).sample(
        { type: 'integer', exclusiveMinimum: 1, exclusiveMaximum: 2 },
        'Op.n',
      ),
    ).toThrow('Op.n: no sample number fits');
  });
});

describe('patternSample', () => {
  it.each([
    ['^(minute|hour|day|week)$', 0, 'minute'],
    ['^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$', 0, 'a@a.a'],
    ['^\\+[1-9]\\d{6,14}$', 0, '+1000000'],
    ['^[A-Za-z0-9_\\-]{1,120}$', 5, 'aaaaa'],
    ['^(?:ab|cd)?x{2}$', 0, 'xx'],
  ])('%s (minLength %d) -> %s', (pattern, min, expected) => {
    expect(patternSample(pattern, min, Infinity, 'at')).toBe(expected);
  });

  // Each judged by the regex engine and by ajv (a string schema with the pattern and the bounds).
  const judge = ajvJudge({});
  it.each([
    // Pydantic's Decimal: a negative lookahead over the whole string.
    ['^(?!^[-+.]*$)[+-]?0*\\d*\\.?\\d*$', 0, Infinity],
    // Lookaheads that each demand a kind of character somewhere later.
    ['^(?=.*[A-Z])(?=.*\\d)(?=.*[a-z]).{8,}$', 0, Infinity],
    ['^(?=.*[A-Z])(?=.*\\d)(?=.*[!@#$%^&*]).{12,64}$', 0, Infinity],
    ['^(?!(?:admin|root)$)[a-z]+$', 0, Infinity],
    ['^(?!0)\\d{3}$', 0, Infinity],
    // Lookbehinds.
    ['^\\w+(?<=s)$', 0, Infinity],
    ['^.*(?<!\\.)$', 3, Infinity],
    // Backreferences, numbered and named.
    ['^(a|b)-\\1$', 0, Infinity],
    ['^(?<q>["\'])\\w+\\k<q>$', 0, Infinity],
    // Unicode classes and escapes.
    ['^\\p{Lu}\\p{Ll}+$', 0, Infinity],
    ['^\\p{Script=Greek}{3}$', 0, Infinity],
    ['^\\P{ASCII}+$', 0, Infinity],
    ['^[\\u4e00-\\u9fff]{2}$', 0, Infinity],
    ['^[\\x41-\\x43]\\u{1F600}$', 0, Infinity],
    // Bounded repeats, word boundaries, length bounds in code points, unanchored ends.
    ['^x{2,4}y{3}$', 0, Infinity],
    ['^(?:[01]\\d|2[0-3]):[0-5]\\d$', 0, Infinity],
    ['^\\bfoo\\b$', 0, Infinity],
    ['^\\p{Emoji_Presentation}{2}$', 2, 2],
    ['^(job|run)-[a-fA-F0-9]{8}', 20, Infinity],
    ['^[a-z]+$', 2, 3],
  ])('%s (length %d to %d) has a sample that matches', (pattern, minLength, maxLength) => {
    const sample = patternSample(pattern, minLength, maxLength, 'at');
    expect(sample).toMatch(new RegExp(pattern, 'u'));
    expect([...sample].length).toBeGreaterThanOrEqual(minLength);
    expect([...sample].length).toBeLessThanOrEqual(maxLength);
    const schema = {
      type: 'string',
      pattern,
      minLength,
      ...(maxLength < Infinity && { maxLength }),
    };
    expect(judge(schema, sample)).toBeNull();
    // Deterministic: the generated mock must not drift.
    expect(patternSample(pattern, minLength, maxLength, 'elsewhere')).toBe(sample);
  });

  it('fails with NoSampleError, naming the place and the pattern, when nothing matches', () => {
    expect(() => patternSample('^a(?!a)a$', 0, Infinity, 'X.y')).toThrow(
      new NoSampleError('X.y: no sample string found for the pattern ^a(?!a)a$'),
    );
    expect(() => patternSample('^[a-z]{5}$', 0, 3, 'X.y')).toThrow(
      'X.y: no sample string found for the pattern ^[a-z]{5}$ (length 0 to 3)',
    );
    expect(() => patternSample('^(a$', 0, Infinity, 'X.y')).toThrow(NoSampleError);
  });
});

describe('samples without a value', () => {
  const none = { type: 'string', pattern: '^a(?!a)a$' };

  it('leave out an optional property, take another branch, or give an empty array', () => {
    const schema = {
      type: 'object',
      required: ['id', 'pick', 'list'],
      properties: {
        id: { type: 'integer' },
        odd: none,
        pick: { anyOf: [none, { type: 'integer', minimum: 3, maximum: 3 }] },
        list: { type: 'array', items: none },
      },
    };
    expect(new Sampler(spec).sample(schema, 'S')).toEqual({ id: 1, pick: 3, list: [] });
  });

  it('throw NoSampleError naming the place where a required part has none', () => {
    const schema = { type: 'object', required: ['odd'], properties: { odd: none } };
    expect(() => new Sampler(spec).sample(schema, 'S')).toThrow(
      new NoSampleError('S.odd: no sample string found for the pattern ^a(?!a)a$'),
    );
    const bad = { type: 'array', items: none, minItems: 1 };
    expect(() => new Sampler(spec).sample(bad, 'L')).toThrow('L[0]: no sample string');
  });

  it('skip an example that its own schema refuses', () => {
    const schema = { type: 'string', pattern: '^[0-9]+$', example: 'string' };
    expect(new Sampler(spec).sample(schema, 'x')).toBe('0');
    expect(new Sampler(spec).sample({ type: 'integer', maximum: 5, example: 9 }, 'x')).toBe(1);
    expect(new Sampler(spec).sample({ type: 'integer', example: 4 }, 'x')).toBe(4);
  });
});

describe('route table helpers', () => {
  it('pathMatcher matches one segment per parameter, literals escaped', () => {
    const matcher = pathMatcher('/v1/a.b/{id}/items/{item_id}');
    expect(matcher).toBe('/^\\/v1\\/a\\.b\\/([^/]+)\\/items\\/([^/]+)$/');
    const regex = new RegExp(matcher.slice(1, -1));
    expect(regex.exec('/v1/a.b/1/items/2')?.slice(1)).toEqual(['1', '2']);
    expect(regex.test('/v1/aXb/1/items/2')).toBe(false);
    expect(regex.test('/v1/a.b/1/2/items/2')).toBe(false);
  });

  it('paramKind reads types through $refs and nullable unions; arrays repeat', () => {
    const s: Spec = { components: { schemas: { Level: { type: 'integer' } } } };
    expect(paramKind(s, { $ref: '#/components/schemas/Level' })).toBe('integer');
    expect(paramKind(s, { anyOf: [{ type: 'boolean' }, { type: 'null' }] })).toBe('boolean');
    expect(
      paramKind(s, { anyOf: [{ type: 'array', items: { type: 'number' } }, { type: 'null' }] }),
    ).toBe('number[]');
    expect(paramKind(s, { type: 'string', format: 'uuid' })).toBe('string');
    expect(paramKind(s, undefined)).toBe('string');
  });
});
