/**
 * RFC 3492's Punycode, decoded: what the `hostname` format reads in an A-label (`xn--...`).
 * (Runtimes have it in their URL parsers, but only behind IDNA's own checks and mappings.)
 */
const DIGITS = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** The text `xn--` stands before, decoded; undefined when it is not Punycode. */
export function decodePunycode(text: string): string | undefined {
  // The basic code points stand before the last `-`, which a text without them lacks.
  const end = text.lastIndexOf('-');
  let [n, i, bias, k] = [128, 0, 72, end > 0 ? end + 1 : 0];
  const basic = text.slice(0, Math.max(0, k - 1));
  if (/[^\x00-\x7f]/.test(basic)) return undefined;
  const output = [...basic].map((c) => c.charCodeAt(0));
  while (k < text.length) {
    const before = i;
    for (let weight = 1, t = 36; ; t += 36) {
      const digit = k < text.length ? DIGITS.indexOf(text[k++].toLowerCase()) : -1;
      if (digit < 0) return undefined;
      i += digit * weight;
      const threshold = Math.min(Math.max(t - bias, 1), 26);
      if (digit < threshold) break;
      weight *= 36 - threshold;
    }
    // Bias adaptation (RFC 3492, 6.1): the first delta is damped by 700, the others halved.
    let delta = Math.floor((i - before) / (output.length === basic.length ? 700 : 2));
    delta += Math.floor(delta / (output.length + 1));
    let scale = 0;
    for (; delta > 455; scale += 36) delta = Math.floor(delta / 35);
    bias = scale + Math.floor((36 * delta) / (delta + 38));
    n += Math.floor(i / (output.length + 1));
    i %= output.length + 1;
    if (n > 0x10ffff) return undefined;
    output.splice(i++, 0, n);
  }
  return String.fromCodePoint(...output);
}
