import type { CliIo } from './io.js';

/** One `bluetick <name>` command: a help text and a run function returning the exit code. */
export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full `--help` text. */
  help: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}
