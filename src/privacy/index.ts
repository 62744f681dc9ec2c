/**
 * `bluetick/privacy`: redacting personal data (phone numbers, texts, media, names) before events
 * leave the process: {@link createRedactor} for your own logs, {@link redactedSink} per sink.
 * A subpath, not the core entry, so a receiver that redacts nothing does not carry it.
 *
 * @packageDocumentation
 */
export { createRedactor } from './redact.js';
export type { RedactionPolicy, Redactor } from './redact.js';
export { redactedSink } from './redacted-sink.js';
