import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * Issue 10, item 8: one builder of notification and error events (src/providers/events.ts), one
 * time module (src/event/timestamp.ts), one person reducer (src/event/person.ts). These guard
 * against a provider growing its own copy again.
 */

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

describe('one of each', () => {
  it('only src/providers/events.ts writes notification and error event literals', () => {
    const writers = files(join(src, 'providers')).filter((f) => /kind: '(notification|error)'/.test(readFileSync(f, 'utf8')));
    expect(writers.map((f) => f.slice(src.length + 1))).toEqual(['providers/events.ts']);
  });

  it('the overlapping time helpers are gone: src/event/timestamp.ts is the one time module', () => {
    expect(existsSync(join(src, 'event/iso-ms.ts'))).toBe(false);
    expect(existsSync(join(src, 'providers/iso-or.ts'))).toBe(false);
  });

  it('no provider or state module reduces phone numbers with a regex of its own', () => {
    const reducers = [...files(join(src, 'providers')), ...files(join(src, 'state'))].filter((f) =>
      /replace\(\/\[\^\\d\]\/g|replace\(\/\\D\/g/.test(readFileSync(f, 'utf8')),
    );
    expect(reducers).toEqual([]);
  });
});
