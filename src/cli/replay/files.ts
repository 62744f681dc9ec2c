import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Provider } from '../../event/types.js';
import { detectProvider } from '../../providers/detect.js';
import { CliError } from '../io.js';
import type { ReplayPayload } from './request.js';

/** A file that was not sent, and why. */
export interface SkippedFile {
  path: string;
  reason: string;
}

async function walk(path: string, out: string[]): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new CliError('input_unreadable', `replay: cannot read ${path}: no such file or folder`);
  }
  if (!info.isDirectory()) {
    out.push(path);
    return;
  }
  const names = (await readdir(path)).sort();
  for (const name of names) {
    const child = join(path, name);
    if ((await stat(child)).isDirectory()) await walk(child, out);
    else if (name.endsWith('.json')) out.push(child);
  }
}

/** The provider a body belongs to, judged by its envelope like the receiver does. */
export function providerOf(text: string): Provider | null {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    return detectProvider(parsed as Record<string, unknown>);
  } catch {
    return null;
  }
}

/**
 * Reads files and folders (recursively, `*.json`, in name order) into payloads, detecting each
 * one's provider. Files that are not a provider's webhook are returned as skipped, not sent.
 */
export async function loadPayloadFiles(paths: readonly string[]): Promise<{ payloads: ReplayPayload[]; skipped: SkippedFile[] }> {
  const files: string[] = [];
  for (const p of paths) await walk(p, files);
  const payloads: ReplayPayload[] = [];
  const skipped: SkippedFile[] = [];
  for (const path of files) {
    const bytes = await readFile(path);
    const provider = providerOf(bytes.toString('utf8'));
    if (provider === null) skipped.push({ path, reason: 'not JSON, or no known provider envelope' });
    else payloads.push({ label: path, provider, body: bytes });
  }
  return { payloads, skipped };
}
