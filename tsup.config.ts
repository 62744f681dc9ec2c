import { defineConfig } from 'tsup';

/**
 * One entry per public subpath. Optional peers (pg, ioredis, express, …) stay external:
 * each is loaded only by the subpath that needs it.
 */
export const entries = {
  index: 'src/index.ts',
};

export default defineConfig({
  entry: entries,
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
});
