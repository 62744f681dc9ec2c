/**
 * The CLI's view of the outside world: where it writes and what it reads. Commands take a
 * {@link CliIo} instead of touching `process` so tests can run them in-process and capture output.
 */
import { BluetickError } from '../errors.js';

/** A text sink: `process.stdout`, `process.stderr`, or a test buffer. */
export interface CliOutput {
  write(chunk: string): unknown;
  /** True on an interactive terminal: progress lines are redrawn in place only there. */
  isTTY?: boolean;
}

/** Streams and signals a command runs with. */
export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  /** Read when a command is given `-` (or no file) as its input. */
  stdin: AsyncIterable<Uint8Array | string> & { isTTY?: boolean };
  /** Aborted on SIGINT/SIGTERM; long-running commands (listen) stop when it fires. */
  signal?: AbortSignal;
}

/** Exit codes of every command. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/**
 * A failure the CLI reports as one line on stderr and an exit code: `usage` errors exit 2,
 * everything else 1.
 *
 * @example
 * ```ts
 * throw new CliError('usage', 'verify: --secret is required', EXIT.usage);
 * ```
 */
export class CliError extends BluetickError {
  /** Process exit code for this error. */
  readonly exitCode: number;

  constructor(code: string, message: string, exitCode: number = EXIT.failure) {
    super(code, message, 500);
    this.exitCode = exitCode;
  }
}

/** A usage error (exit code 2). */
export function usageError(message: string): CliError {
  return new CliError('usage', message, EXIT.usage);
}

/** The process's own streams, for the real `bluetick` binary. */
export function processIo(signal?: AbortSignal): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, signal };
}

/**
 * Ends the process quietly, with exit code 0, when the reader of `stream` goes away. After
 * `bluetick replay … | head -1`, `head` has what it wanted and closes the pipe; Node reports the
 * next write as an `EPIPE` error event on the stream, which is an uncaught exception with a stack
 * trace unless someone listens. Any other stream error is still thrown.
 *
 * @example
 * ```ts
 * endQuietlyOnClosedPipe(process.stdout);
 * ```
 */
export function endQuietlyOnClosedPipe(stream: NodeJS.WritableStream, exit: (code: number) => void = (code) => process.exit(code)): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') exit(EXIT.ok);
    else throw error;
  });
}

/** Writes one line. */
export function println(out: CliOutput, line = ''): void {
  out.write(`${line}\n`);
}

/** Prints a command's help text on stdout; returns the exit code 0. */
export function printHelp(io: CliIo, text: string): number {
  io.stdout.write(text);
  return EXIT.ok;
}
