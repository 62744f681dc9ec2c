// Prints the plain closing line of a vitest JSON report: "N passed, N failed, N skipped".
// Expected failures (it.fails) count as passed: they are tests that must fail, and did.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const passed = report.numPassedTests;
const failed = report.numFailedTests;
const skipped = report.numPendingTests + report.numTodoTests;
if (passed === 0) {
  console.error('no test ran');
  process.exit(1);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
// CI has every service and the shared fixtures: a skipped test there is a test that did not run.
if (skipped > 0) console.error(`${skipped} test(s) skipped in CI: every test must run here.`);
process.exit(failed === 0 && skipped === 0 ? 0 : 1);
