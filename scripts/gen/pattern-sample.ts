/**
 * A string that matches a schema's `pattern` (and its length bounds), for the mock's samples.
 *
 * It walks the regular expression (alternatives, groups, classes, escapes, quantifiers) and takes
 * the first alternative, a character each class accepts (asked of the regex engine itself, so
 * negated classes and ranges need no code here), and the fewest repetitions, adding repetitions
 * until the length bounds are met. The result is checked against the pattern: a construct this
 * walker gets wrong fails generation, naming the pattern, instead of giving a sample that lies.
 */

type Node =
  | { kind: 'chars'; test: RegExp }
  | { kind: 'literal'; text: string }
  | { kind: 'alt'; options: Node[][] }
  | { kind: 'repeat'; node: Node; min: number; max: number };

const CANDIDATES = [...'aA0xb1_-.@ +/:', ...'zZ9'];

class Parser {
  at = 0;
  constructor(readonly source: string) {}

  alternatives(): Node[][] {
    const options: Node[][] = [this.sequence()];
    while (this.source[this.at] === '|') {
      this.at++;
      options.push(this.sequence());
    }
    return options;
  }

  private sequence(): Node[] {
    const nodes: Node[] = [];
    while (this.at < this.source.length && !'|)'.includes(this.source[this.at])) {
      const atom = this.atom();
      if (atom) nodes.push(this.quantified(atom));
    }
    return nodes;
  }

  private atom(): Node | undefined {
    const c = this.source[this.at++];
    if (c === '^' || c === '$') return undefined;
    if (c === '(') {
      if (this.source[this.at] === '?') this.at += this.source[this.at + 1] === '<' ? 3 : 2;
      const options = this.alternatives();
      this.at++; // ')'
      return { kind: 'alt', options };
    }
    if (c === '[') return { kind: 'chars', test: new RegExp(`^[${this.classBody()}]$`, 'u') };
    if (c === '.') return { kind: 'chars', test: /^.$/u };
    if (c === '\\') {
      const e = this.source[this.at++];
      return /[dDwWsS]/.test(e)
        ? { kind: 'chars', test: new RegExp(`^\\${e}$`, 'u') }
        : { kind: 'literal', text: e };
    }
    return { kind: 'literal', text: c };
  }

  private classBody(): string {
    const start = this.at;
    while (this.source[this.at] !== ']' || this.at === start) {
      if (this.source[this.at] === '\\') this.at++;
      this.at++;
    }
    return this.source.slice(start, this.at++);
  }

  private quantified(node: Node): Node {
    const rest = this.source.slice(this.at);
    const match = /^(?:([*+?])|\{(\d+)(?:(,)(\d*))?\})\??/.exec(rest);
    if (!match) return node;
    this.at += match[0].length;
    const [, symbol, low, comma, high] = match;
    if (symbol) {
      return {
        kind: 'repeat',
        node,
        min: symbol === '+' ? 1 : 0,
        max: symbol === '?' ? 1 : Infinity,
      };
    }
    const min = Number(low);
    return { kind: 'repeat', node, min, max: comma ? (high ? Number(high) : Infinity) : min };
  }
}

/** The node's text, with `extra` more repetitions than the least in every open quantifier. */
function render(node: Node, extra: number): string {
  switch (node.kind) {
    case 'literal':
      return node.text;
    case 'chars':
      return CANDIDATES.find((c) => node.test.test(c)) ?? '';
    case 'alt':
      return node.options[0].map((n) => render(n, extra)).join('');
    case 'repeat':
      return render(node.node, extra).repeat(Math.min(node.min + extra, node.max));
  }
}

export function patternSample(pattern: string, minLength: number, maxLength: number, at: string) {
  const regex = new RegExp(pattern, 'u');
  const tree: Node = { kind: 'alt', options: new Parser(pattern).alternatives() };
  for (let extra = 0; extra <= Math.max(minLength, 1) + 1; extra++) {
    const text = render(tree, extra);
    if (regex.test(text) && text.length >= minLength && text.length <= maxLength) return text;
  }
  throw new Error(`${at}: no sample string found for the pattern ${pattern}`);
}
