/**
 * How many terminal columns a string takes, for aligning the report's columns. `.length` counts
 * UTF-16 code units: an emoji is 2 of them but may be one column or two, `é` written as `e` plus a
 * combining accent is 2 and takes one column, a CJK character is 1 and takes two.
 *
 * Rules (UAX #11 East Asian Width and UTS #51 emoji presentation, as terminals apply them): the
 * text is split into grapheme clusters (`Intl.Segmenter`, built into Node); a cluster is 2 columns
 * when it is shown as an emoji (a default-emoji character, a pictograph followed by U+FE0F, a flag,
 * a keycap; ZWJ sequences and skin tones are one cluster) or starts with an East Asian Wide or
 * Fullwidth character; 0 when it is only controls, marks or format characters; otherwise 1.
 * Ambiguous-width characters (`…`, `—`, `°`) count 1, as outside CJK locales.
 *
 * Our own small table instead of a dependency: the CLI ships inside the package, and a width
 * library (string-width and its emoji-regex, get-east-asian-width) would be a runtime dependency of
 * every user for one table of the `report` command. Unicode property escapes cover the emoji;
 * only East Asian Width, which JavaScript regexes do not expose, needs the ranges below.
 */

/** East Asian Wide (W) and Fullwidth (F) ranges outside emoji, from Unicode's EastAsianWidth.txt. */
const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], // Hangul Jamo initial consonants
  [0x2329, 0x232a], // angle brackets
  [0x2e80, 0x303e], // CJK radicals, Kangxi radicals, ideographic description, CJK symbols and punctuation
  [0x3041, 0x33ff], // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, Kanbun, CJK strokes, enclosed CJK, CJK compatibility
  [0x3400, 0x4dbf], // CJK Extension A
  [0x4e00, 0x9fff], // CJK Unified Ideographs
  [0xa000, 0xa4cf], // Yi
  [0xa960, 0xa97f], // Hangul Jamo Extended-A
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe10, 0xfe19], // vertical forms
  [0xfe30, 0xfe6f], // CJK compatibility forms, small form variants
  [0xff00, 0xff60], // fullwidth ASCII
  [0xffe0, 0xffe6], // fullwidth signs
  [0x16fe0, 0x16fff], // ideographic symbols
  [0x17000, 0x18cff], // Tangut, Khitan
  [0x18d00, 0x18d7f], // Tangut supplement
  [0x1aff0, 0x1b2ff], // Kana extended, Kana supplement, Nushu
  [0x1f200, 0x1f2ff], // enclosed ideographic supplement
  [0x20000, 0x3fffd], // CJK Extension B and beyond (supplementary and tertiary ideographic planes)
];

function isWide(codePoint: number): boolean {
  if (codePoint < WIDE[0]![0]) return false;
  let lo = 0;
  let hi = WIDE.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [start, end] = WIDE[mid]!;
    if (codePoint < start) hi = mid - 1;
    else if (codePoint > end) lo = mid + 1;
    else return true;
  }
  return false;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const INVISIBLE = /^[\p{Cc}\p{Cf}\p{Mn}\p{Me}]+$/u;
const EMOJI_PRESENTATION = /\p{Emoji_Presentation}|\p{Regional_Indicator}|\u20e3/u;
const PICTOGRAPH = /\p{Extended_Pictographic}/u;

let segmenter: Intl.Segmenter | undefined;

function clusterWidth(cluster: string): number {
  if (INVISIBLE.test(cluster)) return 0;
  if (EMOJI_PRESENTATION.test(cluster)) return 2;
  if (cluster.includes('\ufe0f') && PICTOGRAPH.test(cluster)) return 2; // text-default pictograph asked to render as emoji
  return isWide(cluster.codePointAt(0) ?? 0) ? 2 : 1;
}

/**
 * The number of terminal columns `text` takes.
 *
 * @example
 * ```ts
 * textWidth('read');     // 4
 * textWidth('配信済み'); // 8
 * textWidth('👍🏽 ok');   // 5
 * ```
 */
export function textWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  segmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  let width = 0;
  for (const { segment } of segmenter.segment(text)) width += clusterWidth(segment);
  return width;
}

/**
 * Pads `text` with spaces to `width` columns, on the right (`'l'`) or on the left (`'r'`).
 *
 * @example
 * ```ts
 * padToWidth('配信', 6, 'l'); // '配信  '
 * ```
 */
export function padToWidth(text: string, width: number, align: 'l' | 'r'): string {
  const padding = ' '.repeat(Math.max(0, width - textWidth(text)));
  return align === 'r' ? padding + text : text + padding;
}
