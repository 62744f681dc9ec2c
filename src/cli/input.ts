import { readFile } from 'node:fs/promises';
import { CliError, usageError, type CliIo } from './io.js';

/**
 * The bytes of a command's input: a file path, or stdin for `-` or no argument (refused when
 * stdin is an interactive terminal, where waiting for input would look like a hang).
 */
export async function readInput(command: string, path: string | undefined, io: CliIo): Promise<Buffer> {
  if (path !== undefined && path !== '-') {
    try {
      return await readFile(path);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
      throw new CliError('input_unreadable', `${command}: cannot read ${path}: ${reason}`);
    }
  }
  if (io.stdin.isTTY === true) throw usageError(`${command}: give a file, or pipe the body on stdin (use - to read stdin)`);
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks);
}
