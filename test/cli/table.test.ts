import { describe, expect, it } from 'vitest';
import { heading, table } from '../../src/cli/report/table.js';
import { padToWidth, textWidth } from '../../src/cli/report/text-width.js';

describe('textWidth: terminal columns, not UTF-16 units', () => {
  it.each([
    ['plain ASCII', 'Message undeliverable', 21],
    ['empty', '', 0],
    ['accents, precomposed', 'ção', 3],
    ['accent as a combining mark', 'e\u0301', 1],
    ['Japanese', '配信済み', 8],
    ['Korean syllables', '읽음', 4],
    ['Chinese with fullwidth punctuation', '已读，谢谢', 10],
    ['fullwidth Latin', 'ＡＢＣ', 6],
    ['halfwidth katakana', 'ｱｲｳ', 3],
    ['an emoji (surrogate pair)', '😀', 2],
    ['an emoji of the BMP', '✅', 2],
    ['a skin tone modifier sequence', '👍🏽', 2],
    ['a ZWJ sequence', '👩‍💻', 2],
    ['a flag', '🇧🇷', 2],
    ['a keycap', '1️⃣', 2],
    ['a text-default pictograph', '❤', 1],
    ['the same with U+FE0F (emoji presentation)', '❤️', 2],
    ['a zero-width joiner alone', '\u200d', 0],
    ['ambiguous-width punctuation', '…—°', 3],
    ['a mixed button title', 'Sim ✅ 是的', 11],
  ])('%s', (_label, text, width) => {
    expect(textWidth(text)).toBe(width);
  });

  it('pads to columns', () => {
    expect(padToWidth('配信', 6, 'l')).toBe('配信  ');
    expect(padToWidth('👍🏽', 4, 'r')).toBe('  👍🏽');
    expect(padToWidth('toolong', 3, 'l')).toBe('toolong');
  });
});

describe('table(): columns align whatever the titles are written in', () => {
  it('pads emoji, CJK and combining accents by their width', () => {
    const lines = table(
      [
        ['button', 'clicks', 'rate'],
        ['Sim ✅', 12, '40.0%'],
        ['配信済み', 3, '10.0%'],
        ['Cafe\u0301', 1_250, '3.3%'],
        ['👩‍💻 Support', 7, '—'],
      ],
      ['l', 'r', 'r'],
    );
    expect(lines).toEqual([
      '  button      clicks   rate',
      '  Sim ✅          12  40.0%',
      '  配信済み         3  10.0%',
      '  Cafe\u0301         1,250   3.3%',
      '  👩‍💻 Support       7      —',
    ]);
    // The last column is right-aligned, so every line ends in the same terminal column.
    expect(new Set(lines.map(textWidth))).toEqual(new Set([27]));
  });

  it('underlines a heading over its width', () => {
    expect(heading('配信 report')).toBe('\n配信 report\n───────────');
  });
});
