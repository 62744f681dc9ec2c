import type { DeliveryStatus } from '../../event/types.js';

/**
 * Baileys ack levels (WAMessageStatus), the values WASender sends in `update.status`:
 * 0 ERROR, 1 PENDING, 2 SERVER_ACK, 3 DELIVERY_ACK, 4 READ, 5 PLAYED.
 */
const BY_LEVEL: readonly DeliveryStatus[] = ['failed', 'pending', 'sent', 'delivered', 'read', 'played'];

/**
 * The canonical status of a WASender/Baileys status value: a number, a numeric string (`"3"`),
 * the enum name (`"DELIVERY_ACK"`) or the lowercase word some SDKs document (`"delivered"`).
 * Anything else is `unknown`, never an exception.
 *
 * @example
 * ```ts
 * ackStatus(3);              // 'delivered'
 * ackStatus('4');            // 'read'
 * ackStatus('DELIVERY_ACK'); // 'delivered'
 * ackStatus(9);              // 'unknown'
 * ```
 */
export function ackStatus(value: unknown): DeliveryStatus {
  let level: number | undefined;
  if (typeof value === 'number') level = value;
  else if (typeof value === 'string' && /^\d{1,2}$/.test(value)) level = Number(value);
  if (level !== undefined) return Number.isInteger(level) ? (BY_LEVEL[level] ?? 'unknown') : 'unknown';
  if (typeof value !== 'string') return 'unknown';
  switch (value.toUpperCase()) {
    case 'ERROR':
    case 'FAILED':
      return 'failed';
    case 'PENDING':
      return 'pending';
    case 'SERVER_ACK':
    case 'SENT':
      return 'sent';
    case 'DELIVERY_ACK':
    case 'DELIVERED':
      return 'delivered';
    case 'READ':
      return 'read';
    case 'PLAYED':
      return 'played';
    default:
      return 'unknown';
  }
}
