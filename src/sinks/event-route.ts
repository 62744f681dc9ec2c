/**
 * One naming scheme for "what kind of event is this", shared by the CloudEvents `type`
 * (`com.bluetick.<route>`), RabbitMQ routing keys (`<route>`) and NATS subjects
 * (`<prefix>.<route>`), so a consumer learns it once.
 *
 * @packageDocumentation
 */
import type { CanonicalEvent } from '../event/types.js';

/** A token is kept to characters every transport accepts unescaped in a dotted name. */
const UNSAFE = /[^A-Za-z0-9_-]/g;
/** Long provider topics are cut so a route stays far below AMQP's 255-byte routing key. */
const MAX_TOKEN = 64;

function token(raw: string): string {
  return raw.replace(UNSAFE, '_').slice(0, MAX_TOKEN);
}

/**
 * The dot-separated route of an event:
 *
 * | kind | route | examples |
 * |---|---|---|
 * | status | `status.<status>` | `status.delivered`, `status.failed` |
 * | message | `message.<type>` | `message.text`, `message.interactive`, `message.button` |
 * | error | `error` | `error` |
 * | notification | `notification.<topic tokens>` | `notification.account_update`, `notification.session.status` |
 *
 * Each token holds only `A-Z a-z 0-9 _ -` (anything else becomes `_`, empty tokens are dropped),
 * so the route is a valid AMQP topic routing key and NATS subject suffix, and `*` / `#` / `>`
 * wildcards work on it.
 *
 * @example
 * ```ts
 * eventRoute(statusEvent);           // 'status.read'
 * eventRoute(wasenderNotification);  // 'notification.messages.upsert'
 * ```
 */
export function eventRoute(event: CanonicalEvent): string {
  switch (event.kind) {
    case 'status':
      return `status.${token(event.status)}`;
    case 'message':
      return `message.${token(event.type)}`;
    case 'error':
      return 'error';
    case 'notification': {
      const tokens = String(event.topic).split('.').filter((t) => t.length > 0).slice(0, 4).map(token);
      return ['notification', ...(tokens.length > 0 ? tokens : ['unknown'])].join('.');
    }
    default:
      // A kind added later still gets a usable route instead of a crash.
      return token(String((event as { kind?: unknown }).kind ?? 'unknown'));
  }
}
