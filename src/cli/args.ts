import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from './io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** What {@link parseCommandArgs} returns: values keyed by option name, and the positionals. */
export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
  help: boolean;
}

/**
 * `node:util` parseArgs in strict mode, with `--help`/`-h` added and its TypeErrors turned into
 * usage errors (exit 2) that name the command.
 */
export function parseCommandArgs(command: string, args: readonly string[], options: Options): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as ParsedArgs['values'], positionals, help: values.help === true };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw usageError(`${command}: ${message} (see bluetick ${command} --help)`);
  }
}

/** A string option's value, or undefined. */
export function stringOpt(parsed: ParsedArgs, name: string): string | undefined {
  const v = parsed.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** Every value of a repeatable string option. */
export function stringsOpt(parsed: ParsedArgs, name: string): string[] {
  const v = parsed.values[name];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

/** A required string option. */
export function requiredOpt(command: string, parsed: ParsedArgs, name: string): string {
  const v = stringOpt(parsed, name);
  if (v === undefined || v === '') throw usageError(`${command}: --${name} is required (see bluetick ${command} --help)`);
  return v;
}

/** A numeric option within [min, max], or its default. */
export function numberOpt(command: string, parsed: ParsedArgs, name: string, fallback: number, min: number, max: number, integer = true): number {
  const raw = stringOpt(parsed, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw usageError(`${command}: --${name} must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max}, got "${raw}"`);
  }
  return n;
}

/** True when a boolean flag is set. */
export function flag(parsed: ParsedArgs, name: string): boolean {
  return parsed.values[name] === true;
}
