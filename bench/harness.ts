/**
 * A tiny benchmark harness: it measures candidates in interleaved rounds (A, B, A, B, …) so
 * that machine noise hits every candidate alike, and reports the median ops/s of each plus the
 * ratio to a baseline measured in the same run. Absolute numbers vary between machines; the
 * ratios are what the targets are stated in.
 */

export interface Candidate {
  name: string;
  /** One operation. Return a value so the JIT cannot drop the work. */
  fn: () => unknown;
}

export interface Measured {
  name: string;
  opsPerSec: number;
}

let sink: unknown;

function opsPerSecond(fn: () => unknown, durationMs: number): number {
  // Calibrate a batch size that takes ~1 ms, then run whole batches until the time is up.
  let batch = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) sink = fn();
    if (performance.now() - t0 >= 1 || batch > 1e7) break;
    batch *= 2;
  }
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < durationMs) {
    for (let i = 0; i < batch; i++) sink = fn();
    ops += batch;
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}

/** The median of a list (the mean of the middle two for an even count; 0 for none). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  if (s.length === 0) return 0;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** `median (min–max)` of a list, each with `digits` decimals. */
export function spread(values: readonly number[], digits: number): string {
  return `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;
}

/** Measures every candidate over `rounds` interleaved rounds of `roundMs` each (after a warm-up). */
export function compare(candidates: Candidate[], { rounds = 7, roundMs = 200 } = {}): Measured[] {
  for (const c of candidates) opsPerSecond(c.fn, 100); // warm-up: let the JIT settle
  const samples = candidates.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    candidates.forEach((c, i) => samples[i]?.push(opsPerSecond(c.fn, roundMs)));
  }
  if (sink === Symbol.for('never')) console.log(sink);
  return candidates.map((c, i) => ({ name: c.name, opsPerSec: median(samples[i] ?? []) }));
}

export function formatOps(ops: number): string {
  if (ops >= 1e6) return `${(ops / 1e6).toFixed(2)} M/s`;
  if (ops >= 1e3) return `${(ops / 1e3).toFixed(1)} k/s`;
  return `${ops.toFixed(0)} /s`;
}

/** Prints one comparison table: each candidate, its ops/s and its ratio to the baseline. */
export function report(title: string, results: Measured[], baseline: string, target?: { name: string; min: number }): boolean {
  const base = results.find((r) => r.name === baseline);
  console.log(`\n${title}`);
  let ok = true;
  for (const r of results) {
    const ratio = base ? r.opsPerSec / base.opsPerSec : Number.NaN;
    const mark = target && r.name === target.name ? (ratio >= target.min ? `  ✓ target ≥ ${target.min}` : `  ✗ target ≥ ${target.min}`) : '';
    if (target && r.name === target.name && ratio < target.min) ok = false;
    console.log(`  ${r.name.padEnd(44)} ${formatOps(r.opsPerSec).padStart(12)}   ×${ratio.toFixed(2)} of ${baseline}${mark}`);
  }
  return ok;
}
