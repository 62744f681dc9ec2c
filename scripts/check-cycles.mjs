#!/usr/bin/env node
// Fails when two top-level parts of src/ import each other in a circle (directly or through
// others). A part is a folder of src/ (state, tracking, storage, …) or a file at its root
// (normalize.ts, errors.ts). Type-only imports count too: a circle of types is still a circle
// in the design. Run by `npm run lint` (and so by CI).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** Every .ts file under a folder. */
function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The part of src/ a file belongs to. */
function partOf(src, file) {
  const rel = relative(src, file);
  const [head] = rel.split(sep);
  return rel.includes(sep) ? head : head.replace(/\.ts$/, '');
}

/** The part graph of a source tree: part → Set of parts it imports (itself excluded). */
export function partGraph(src) {
  const graph = new Map();
  for (const file of files(src)) {
    const from = partOf(src, file);
    if (!graph.has(from)) graph.set(from, new Set());
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = m[1] ?? m[2];
      const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      if (!target.startsWith(src + sep)) continue;
      const to = partOf(src, target);
      if (to !== from) graph.get(from).add(to);
    }
  }
  return graph;
}

/** The strongly connected components with more than one part (Tarjan). */
export function cycles(graph) {
  let index = 0;
  const stack = [];
  const on = new Set();
  const idx = new Map();
  const low = new Map();
  const out = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const src = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'src'));
  const graph = partGraph(src);
  const found = cycles(graph);
  if (found.length === 0) {
    console.log(`check-cycles: ${graph.size} parts of src/, no circular imports between them`);
  } else {
    for (const scc of found) {
      console.error(`check-cycles: these parts of src/ import each other in a circle: ${scc.join(', ')}`);
      for (const from of scc) for (const to of graph.get(from)) if (scc.includes(to)) console.error(`  ${from} → ${to}`);
    }
    process.exit(1);
  }
}
