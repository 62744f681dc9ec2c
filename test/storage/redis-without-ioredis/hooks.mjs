// Module resolve hook: `ioredis` is not installed, exactly as Node reports a missing package. It
// notes the time of the attempt in $BLUETICK_MARK_FILE so the test can tell WHEN it was imported.
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, next) {
  if (specifier === 'ioredis' || specifier.startsWith('ioredis/')) {
    if (process.env.BLUETICK_MARK_FILE) appendFileSync(process.env.BLUETICK_MARK_FILE, `${Date.now()}\n`);
    const err = new Error(`Cannot find package '${specifier}' imported from ${context.parentURL ?? 'unknown'}`);
    err.code = 'ERR_MODULE_NOT_FOUND';
    throw err;
  }
  return next(specifier, context);
}
