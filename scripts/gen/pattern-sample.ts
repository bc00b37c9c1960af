/**
 * A string that matches a schema's `pattern` (and its length bounds, in code points, as JSON
 * Schema counts them), for the mock's samples.
 *
 * The pattern is parsed by regexpp (ECMAScript's grammar with the `u` flag, as JSON Schema and the
 * generated validators read it), then candidate strings are rendered from its tree: first the
 * plainest ones (the first alternative, the fewest repetitions, a readable character of each
 * class), then ones with more repetitions, then seeded random ones (any alternative, any count,
 * any character of a class). Each candidate is judged by the regex engine itself, so assertions
 * that no renderer can satisfy by construction (lookaheads, lookbehinds, `\b`) are met by search,
 * and a sample is never one that the validator would refuse. Captures are remembered, so a
 * backreference repeats what its group rendered.
 *
 * The search is deterministic (its random choices come from a generator seeded by the pattern), so
 * the generated mock does not drift. When no candidate matches, `NoSampleError` names the place:
 * the caller decides what a missing sample means (the mock's generator warns, and the mock answers
 * that operation with an error naming the schema).
 */
import { RegExpParser, type AST } from '@eslint-community/regexpp';

/** No string of the pattern and the length bounds was found. */
export class NoSampleError extends Error {}

type CharNode =
  AST.Character | AST.CharacterClass | AST.CharacterSet | AST.ExpressionCharacterClass;

/** Characters tried first, in order: readable ones, so samples look like text. */
const READABLE = [...'aA0xb1_-.@ +/:zZ9'];
/** Printable ASCII, then characters of other scripts and categories (`\p{...}` classes). */
const MORE = [
  ...Array.from({ length: 95 }, (_, i) => String.fromCodePoint(32 + i)),
  ...'éßÀΩαЖж中日本あア한١٢אب€£¥©°±×÷–—…•\u00a0\u2003\t\n',
  ...['😀', '𝒜', '𐐀'],
];
/** How many random candidates the search renders before giving up. */
const RANDOM_TRIES = 400;

/** A seeded generator of numbers in [0, 1) (mulberry32): the same pattern, the same choices. */
function seeded(text: string): () => number {
  let seed = 0;
  for (const c of text) seed = (Math.imul(seed, 31) + c.codePointAt(0)!) | 0;
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How one candidate is rendered. */
interface Plan {
  /** Repetitions beyond each quantifier's least (deterministic plans). */
  extra: number;
  /** Random choices of alternatives, counts and characters (random plans). */
  random?: () => number;
  /** The most repetitions a random count adds to a quantifier's least. */
  spread: number;
}

/** Renders candidate strings of one parsed pattern. */
class Renderer {
  private readonly pools = new Map<CharNode, string[]>();
  private captures = new Map<AST.CapturingGroup, string>();

  constructor(private readonly pattern: AST.Pattern) {}

  render(plan: Plan): string {
    this.captures = new Map();
    return this.alternatives(this.pattern.alternatives, plan);
  }

  private pick<T>(list: readonly T[], plan: Plan): T {
    return plan.random ? list[Math.floor(plan.random() * list.length)] : list[0];
  }

  private alternatives(options: AST.Alternative[], plan: Plan): string {
    return this.pick(options, plan)
      .elements.map((element) => this.element(element, plan))
      .join('');
  }

  private element(node: AST.Element, plan: Plan): string {
    switch (node.type) {
      case 'Assertion':
        return ''; // zero-width: the regex judges the candidate
      case 'Quantifier':
        return this.repeat(node, plan);
      case 'Group':
        return this.alternatives(node.alternatives, plan);
      case 'CapturingGroup': {
        const text = this.alternatives(node.alternatives, plan);
        this.captures.set(node, text);
        return text;
      }
      case 'Backreference': {
        const groups = [node.resolved].flat();
        return groups.map((g) => this.captures.get(g)).find((t) => t !== undefined) ?? '';
      }
      default:
        return this.char(node, plan);
    }
  }

  private repeat(node: AST.Quantifier, plan: Plan): string {
    const most = Math.min(node.max, node.min + plan.spread);
    const count = plan.random
      ? node.min + Math.floor(plan.random() * (most - node.min + 1))
      : Math.min(node.min + plan.extra, node.max);
    let text = '';
    for (let i = 0; i < count; i++) text += this.element(node.element, plan);
    return text;
  }

  private char(node: CharNode, plan: Plan): string {
    if (node.type === 'Character') return String.fromCodePoint(node.value);
    const pool = this.poolOf(node);
    return pool.length ? this.pick(pool, plan) : '';
  }

  /** The characters a class or set accepts: readable ones first, then its own, then others. */
  private poolOf(node: CharNode): string[] {
    let pool = this.pools.get(node);
    if (pool) return pool;
    const test = new RegExp(`^${node.raw}$`, 'u');
    const own = ownCharacters(node);
    const accepted = new Set([...READABLE, ...own, ...MORE].filter((c) => test.test(c)));
    if (accepted.size === 0) {
      // A class of rare characters only: the first code point it takes, if any.
      for (let code = 0; code <= 0x10ffff && accepted.size === 0; code++) {
        if (code >= 0xd800 && code <= 0xdfff) continue;
        const c = String.fromCodePoint(code);
        if (test.test(c)) accepted.add(c);
      }
    }
    pool = [...accepted];
    this.pools.set(node, pool);
    return pool;
  }
}

/** The characters a class names itself: its single characters and its ranges' ends and middles. */
function ownCharacters(node: CharNode): string[] {
  if (node.type !== 'CharacterClass' || node.negate) return [];
  const out: string[] = [];
  for (const element of node.elements) {
    if (element.type === 'Character') out.push(String.fromCodePoint(element.value));
    if (element.type === 'CharacterClassRange') {
      const { min, max } = element;
      const middle = Math.floor((min.value + max.value) / 2);
      out.push(...[min.value, middle, max.value].map((c) => String.fromCodePoint(c)));
    }
  }
  return out;
}

const lengthOf = (text: string) => [...text].length;

/** Deterministic plans first (more repetitions each time), then seeded random ones. */
function* plans(pattern: string, minLength: number): Generator<Plan> {
  const spread = Math.max(6, minLength);
  for (let extra = 0; extra <= Math.max(minLength, 1) + 1; extra++) yield { extra, spread };
  const random = seeded(pattern);
  for (let i = 0; i < RANDOM_TRIES; i++) yield { extra: 0, spread, random };
}

/**
 * A string that `pattern` (with the `u` flag) matches, of `minLength` to `maxLength` code points.
 * Throws NoSampleError, naming `at` and the pattern, when the search finds none.
 */
export function patternSample(
  pattern: string,
  minLength: number,
  maxLength: number,
  at: string,
): string {
  let regex: RegExp;
  let tree: AST.Pattern;
  try {
    regex = new RegExp(pattern, 'u');
    tree = new RegExpParser().parsePattern(pattern, 0, pattern.length, { unicode: true });
  } catch (error) {
    throw new NoSampleError(`${at}: the pattern ${pattern} is not a valid regex: ${error}`);
  }
  const renderer = new Renderer(tree);
  const fits = (text: string) => {
    const length = lengthOf(text);
    return length >= minLength && length <= maxLength && regex.test(text);
  };
  for (const plan of plans(pattern, minLength)) {
    const text = renderer.render(plan);
    if (fits(text)) return text;
    if (!plan.random) continue;
    // A pattern not anchored at its end takes more text after what it matches.
    const padded = text.padEnd(text.length + minLength - lengthOf(text), 'x');
    if (padded !== text && fits(padded)) return padded;
  }
  const bounds =
    minLength > 0 || maxLength < Infinity ? ` (length ${minLength} to ${maxLength})` : '';
  throw new NoSampleError(`${at}: no sample string found for the pattern ${pattern}${bounds}`);
}
