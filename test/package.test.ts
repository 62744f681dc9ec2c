import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { entries } from '../tsup.config.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, unknown>;
  dependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional: boolean }>;
  sideEffects: boolean;
};

describe('package manifest', () => {
  it('exports exactly one subpath per tsup entry, each with types per condition', () => {
    const subpaths = Object.keys(entries).map((name) => (name === 'index' ? '.' : `./${name}`));
    expect(Object.keys(pkg.exports).filter((k) => k !== './package.json').sort()).toEqual(subpaths.sort());
    for (const name of Object.keys(entries)) {
      const key = name === 'index' ? '.' : `./${name}`;
      expect(pkg.exports[key]).toEqual({
        import: { types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` },
        require: { types: `./dist/${name}.d.cts`, default: `./dist/${name}.cjs` },
      });
    }
  });

  it('has only zod, eventemitter3 and p-retry as runtime dependencies; every other integration is an optional peer', () => {
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['eventemitter3', 'p-retry', 'zod']);
    for (const meta of Object.values(pkg.peerDependenciesMeta)) expect(meta.optional).toBe(true);
    expect(pkg.sideEffects).toBe(false);
  });

  it('keeps optional peers out of the core entry: src/index.ts reaches none of them', async () => {
    const { readdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const peers = Object.keys(pkg.peerDependenciesMeta);
    const seen = new Set<string>();
    const offenders: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^(?:import|export)(?!\s+type\b)[^'"]*from\s+'([^']+)'/gm)) {
        const spec = m[1] as string;
        if (spec.startsWith('.')) visit(join(file, '..', spec.replace(/\.js$/, '.ts')));
        else if (peers.some((p) => spec === p || spec.startsWith(`${p}/`))) offenders.push(`${file} imports ${spec}`);
      }
    };
    visit(join(process.cwd(), 'src/index.ts'));
    expect(seen.size).toBeGreaterThan(20);
    expect(offenders).toEqual([]);
    expect(readdirSync(join(process.cwd(), 'src')).length).toBeGreaterThan(0);
  });
});

describe('source aliases', () => {
  it('tsconfig paths map bluetick and every subpath to the same source as the tsup entries', () => {
    const tsconfig = JSON.parse(readFileSync(new URL('../tsconfig.json', import.meta.url), 'utf8')) as {
      compilerOptions: { paths: Record<string, string[]> };
    };
    const expected = Object.fromEntries(
      Object.entries(entries).map(([name, file]) => [name === 'index' ? 'bluetick' : `bluetick/${name}`, [`./${file}`]]),
    );
    expect(tsconfig.compilerOptions.paths).toEqual(expected);
  });
});

describe('API reference', () => {
  it('typedoc documents every subpath', () => {
    const typedoc = JSON.parse(readFileSync(new URL('../typedoc.json', import.meta.url), 'utf8')) as { entryPoints: string[] };
    expect(typedoc.entryPoints).toEqual(Object.values(entries));
  });
});
