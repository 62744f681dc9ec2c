#!/usr/bin/env node
/**
 * The `bluetick` command. No CLI framework: `node:util` parseArgs per command. Commands are
 * loaded on demand, and no optional peer (pg, ioredis, …) is imported unless a flag asks for it.
 *
 * Exit codes: 0 ok, 1 failure (signature does not verify, non-2xx answers, unusable body),
 * 2 usage error. Errors are one line on stderr. A reader that closes the output early
 * (`… | head -1`) ends the command quietly with 0.
 *
 * @packageDocumentation
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BluetickError } from '../errors.js';
import type { Command } from './command.js';
import { CliError, endQuietlyOnClosedPipe, EXIT, println, processIo, type CliIo } from './io.js';

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  verify: { summary: 'check a Meta signature against a body, and say why it fails', load: async () => (await import('./commands/verify.js')).verifyCommand },
  sign: { summary: 'print the X-Hub-Signature-256 header Meta would send for a body', load: async () => (await import('./commands/sign.js')).signCommand },
  normalize: { summary: 'print the canonical events of a webhook body as NDJSON', load: async () => (await import('./commands/normalize.js')).normalizeCommand },
  replay: { summary: 'send webhook files to a receiver, signed as each provider would', load: async () => (await import('./commands/replay.js')).replayCommand },
  listen: { summary: 'run a local receiver that prints events, transitions and the report', load: async () => (await import('./commands/listen.js')).listenCommand },
  report: { summary: 'print the delivery report of the states a store holds', load: async () => (await import('./commands/report.js')).reportCommand },
  reconcile: { summary: 'poll WASenderApi for missed statuses; expire Cloud/On-Prem messages past the horizon', load: async () => (await import('./commands/reconcile.js')).reconcileCommand },
  'dead-letters': { summary: "list a store's dead-lettered events, and replay them", load: async () => (await import('./commands/dead-letters.js')).deadLettersCommand },
};

const USAGE = `Usage: bluetick <command> [options]

WhatsApp webhooks: sign, verify, normalize, replay, receive and report.

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`)
  .join('\n')}

Run bluetick <command> --help for a command's options.
Exit codes: 0 ok, 1 failure, 2 usage error.
`;

/**
 * Runs the CLI with `argv` (without node and the script) and resolves with the exit code. Never
 * throws: errors become one line on stderr.
 *
 * @example
 * ```ts
 * const code = await main(['sign', '--secret', 's', 'body.json'], processIo());
 * ```
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(USAGE);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    println(io.stdout, '0.1.0');
    return EXIT.ok;
  }
  const entry = COMMANDS[name];
  if (entry === undefined) {
    println(io.stderr, `bluetick: unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')})`);
    return EXIT.usage;
  }
  try {
    const command = await entry.load();
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof CliError) {
      println(io.stderr, `bluetick ${error.message}`);
      return error.exitCode;
    }
    const message = error instanceof BluetickError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
    println(io.stderr, `bluetick ${name}: ${message}`);
    return EXIT.failure;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // `bluetick … | head -1`: the reader closing the pipe ends the command, without a stack trace.
  endQuietlyOnClosedPipe(process.stdout);
  endQuietlyOnClosedPipe(process.stderr);
  const controller = new AbortController();
  let signals = 0;
  const stop = () => {
    // A second Ctrl-C exits at once, in case shutting down hangs.
    if (++signals > 1) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  void main(process.argv.slice(2), processIo(controller.signal)).then((code) => {
    process.exitCode = code;
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  });
}
