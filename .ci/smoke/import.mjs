// ESM consumer of the packed tarball: every subpath through import() (the .js builds).
import checks from './checks.cjs';

await checks.runChecks('esm import', (specifier) => import(specifier));
