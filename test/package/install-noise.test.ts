import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

/*
 * A clean `npm ci` and a test run print nothing a maintainer has to learn to ignore. The reasons
 * behind each rule are in docs/maintainers.md.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { engines: { node: string }; overrides: Record<string, unknown>; allowScripts: Record<string, unknown> };
type LockEntry = { version?: string; dev?: boolean; optional?: boolean; engines?: { node?: string } | string[] };
const lock = JSON.parse(readFileSync(`${root}package-lock.json`, 'utf8')) as { packages: Record<string, LockEntry> };
const maintainers = readFileSync(`${root}docs/maintainers.md`, 'utf8');

/** The Node version developing bluetick needs (vitest 4, rolldown): docs/maintainers.md. */
const DEV_NODE_FLOOR = '20.19.0';

function enginesNode(entry: LockEntry): string | undefined {
  return Array.isArray(entry.engines) ? undefined : entry.engines?.node;
}

describe('npm ci prints no EBADENGINE', () => {
  const packages = Object.entries(lock.packages).filter(([path]) => path !== '');

  it('every runtime package accepts the oldest Node bluetick supports (engines)', () => {
    const floor = semver.minVersion(pkg.engines.node)?.version ?? '';
    expect(floor).toBe('20.16.0'); // process.getBuiltinModule (src/internal/node-crypto.ts)
    const refusing = packages.filter(([, e]) => !e.dev && enginesNode(e) !== undefined && !semver.satisfies(floor, enginesNode(e) as string)).map(([p, e]) => `${p} (${enginesNode(e)})`);
    expect(refusing).toEqual([]);
  });

  it(`every development package accepts Node ${DEV_NODE_FLOOR} (optional ones npm skips silently are exempt)`, () => {
    expect(maintainers).toContain('Node 20.19');
    const refusing = packages
      .filter(([, e]) => e.dev && !e.optional && enginesNode(e) !== undefined && !semver.satisfies(DEV_NODE_FLOOR, enginesNode(e) as string))
      .map(([p, e]) => `${p}@${e.version} (${enginesNode(e)})`);
    expect(refusing).toEqual([]);
  });

  it('one esbuild in the tree', () => {
    const copies = packages.filter(([path]) => path === 'node_modules/esbuild' || path.endsWith('/node_modules/esbuild'));
    expect(copies.map(([path, e]) => `${path}@${e.version}`)).toHaveLength(1);
  });
});

describe('package.json says why', () => {
  /** `{ a: '1', b: { c: '2' } }` → ['a', 'b › c']. */
  function overrideNames(overrides: Record<string, unknown>, prefix = ''): string[] {
    return Object.entries(overrides).flatMap(([name, value]) =>
      typeof value === 'object' && value !== null ? overrideNames(value as Record<string, unknown>, `${prefix}${name} › `) : [`${prefix}${name}`],
    );
  }

  it('every override has a row in docs/maintainers.md', () => {
    const names = overrideNames(pkg.overrides);
    expect(names.length).toBeGreaterThan(0);
    const undocumented = names.filter((name) => !maintainers.includes(`| \`${name}: `));
    expect(undocumented).toEqual([]);
  });

  it('every allowScripts entry is explained there too', () => {
    const undocumented = Object.keys(pkg.allowScripts).filter((name) => !maintainers.includes(`- \`${name}\`: `));
    expect(undocumented).toEqual([]);
  });
});

describe('test output', () => {
  it("the AWS SDK's Node-version notice is silenced by the documented switch, and other warnings still print", () => {
    const script = [
      `await import(${JSON.stringify(`${root}test/helpers/aws-sdk.ts`)});`,
      `const { FirehoseClient } = await import('@aws-sdk/client-firehose');`,
      `new FirehoseClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });`,
      `process.emitWarning('a real warning');`,
    ].join('\n');
    const env = { ...process.env };
    delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, env, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('a real warning');
    expect(run.stderr).not.toContain('NodeVersionSupportWarning');
  });
});
