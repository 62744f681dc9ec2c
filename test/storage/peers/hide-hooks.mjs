// ESM resolve hook: the packages listed in BLUETICK_HIDE_PEERS (comma-separated) fail to resolve
// exactly as an absent package does (ERR_MODULE_NOT_FOUND, Node's own wording), and each attempt
// is reported on stderr so a test can tell WHEN the package was first asked for.
const hidden = new Set((process.env.BLUETICK_HIDE_PEERS ?? '').split(',').filter(Boolean));

export async function resolve(specifier, context, next) {
  const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
  if (hidden.has(name)) {
    process.stderr.write(`[hidden peer requested] ${specifier}\n`);
    const error = new Error(`Cannot find package '${specifier}' imported from ${context.parentURL ?? 'the test'}`);
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return next(specifier, context);
}
