import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { cycles, partGraph } from '../../scripts/check-cycles.mjs';

describe('scripts/check-cycles.mjs', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function tree(files: Record<string, string>): string {
    dir = mkdtempSync(join(tmpdir(), 'cycles-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return dir;
  }

  it('finds a circle through three folders, type-only and dynamic imports included', () => {
    const src = tree({
      'a/x.ts': "import type { B } from '../b/y.js';",
      'b/y.ts': "export { c } from '../c/z.js';",
      'c/z.ts': "const m = await import('../a/x.js');",
      'd/w.ts': "import { a } from '../a/x.js';",
    });
    expect(cycles(partGraph(src))).toEqual([['a', 'b', 'c']]);
  });

  it('accepts layers, and files at the root of src/ as parts of their own', () => {
    const src = tree({
      'state/s.ts': "import { e } from '../event/e.js';",
      'event/e.ts': "import { E } from '../errors.js';",
      'errors.ts': '',
      'tracking/t.ts': "import { s } from '../state/s.js';\nimport { n } from './n.js';",
      'tracking/n.ts': '',
    });
    expect(cycles(partGraph(src))).toEqual([]);
  });

  it('the real src/ has no circle between its parts', () => {
    const graph = partGraph(join(__dirname, '..', '..', 'src'));
    expect(cycles(graph)).toEqual([]);
  });
});
