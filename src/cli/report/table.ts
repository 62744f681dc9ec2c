/** Plain-text layout helpers: aligned columns, thousands separators, durations. No colors. */
import { padToWidth, textWidth } from './text-width.js';

/** Column alignment: left or right. */
export type Align = 'l' | 'r';

/**
 * Lays rows out in aligned columns (two spaces between columns), each line indented. Widths are
 * terminal columns ({@link textWidth}), so emoji, CJK and combining accents in titles align.
 *
 * @example
 * ```ts
 * table([['code', 'count'], ['200', '12']], ['l', 'r']); // ['  code  count', '  200      12']
 * ```
 */
export function table(rows: ReadonlyArray<ReadonlyArray<string | number>>, align: readonly Align[], indent = '  '): string[] {
  const cells = rows.map((row) => row.map((c) => (typeof c === 'number' ? count(c) : c)));
  const widths: number[] = [];
  for (const row of cells) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, textWidth(c))));
  return cells.map((row) => (indent + row.map((c, i) => padToWidth(c, widths[i] ?? 0, align[i] ?? 'l')).join('  ')).trimEnd());
}

/** 12345 → "12,345". */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A share as a percentage with one decimal ("—" when the total is 0). */
export function percent(part: number, total: number): string {
  return total === 0 ? '—' : `${((part / total) * 100).toFixed(1)}%`;
}

/** Milliseconds as a short human duration: 850 ms, 4.2 s, 3.5 min, 2.1 h, 1.3 d. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms < 86_400_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}

/** A section heading. */
export function heading(title: string): string {
  return `\n${title}\n${'─'.repeat(textWidth(title))}`;
}
