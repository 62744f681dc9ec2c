// Regenerates package.json `exports`, tsconfig.json `paths` and typedoc.json `entryPoints` from the
// tsup entries, so the four never drift (test/package.test.ts fails when they do). Run: node scripts/sync-exports.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const source = readFileSync(new URL('../tsup.config.ts', import.meta.url), 'utf8');
const block = source.slice(source.indexOf('export const entries'), source.indexOf('};'));
const entries = [...block.matchAll(/^\s+'?([\w/]+)'?: '(src\/[^']+)'/gm)].map((m) => [m[1], m[2]]);

const pkgUrl = new URL('../package.json', import.meta.url);
const pkg = JSON.parse(readFileSync(pkgUrl, 'utf8'));
pkg.exports = {};
for (const [name] of entries) {
  pkg.exports[name === 'index' ? '.' : `./${name}`] = {
    import: { types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` },
    require: { types: `./dist/${name}.d.cts`, default: `./dist/${name}.cjs` },
  };
}
pkg.exports['./package.json'] = './package.json';
writeFileSync(pkgUrl, JSON.stringify(pkg, null, 2) + '\n');

const tsUrl = new URL('../tsconfig.json', import.meta.url);
const tsconfig = JSON.parse(readFileSync(tsUrl, 'utf8'));
tsconfig.compilerOptions.paths = Object.fromEntries(
  entries.map(([name, file]) => [name === 'index' ? 'bluetick' : `bluetick/${name}`, [`./${file}`]]),
);
writeFileSync(tsUrl, JSON.stringify(tsconfig, null, 2) + '\n');
const docUrl = new URL('../typedoc.json', import.meta.url);
const typedoc = JSON.parse(readFileSync(docUrl, 'utf8'));
typedoc.entryPoints = entries.map(([, file]) => file);
writeFileSync(docUrl, JSON.stringify(typedoc, null, 2) + '\n');
console.log(`synced ${entries.length} entries`);
