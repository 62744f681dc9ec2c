import { idHead } from '../event-ids.js';
import type { Provider } from '../../event/types.js';

/**
 * What the Cloud and On-Premises envelopes tell the shared Meta item mappers: both APIs send the
 * same message and status objects, and differ only in what surrounds them. Cloud builds one per
 * `changes[]` item, On-Premises one per body.
 */
export interface MetaScope {
  provider: Extract<Provider, 'cloud' | 'onprem'>;
  /** WABA id (Cloud `entry[].id`); null on On-Premises. */
  accountId: string | null;
  /** `value.metadata.phone_number_id` (Cloud); null on On-Premises. */
  phoneNumberId: string | null;
  /** The business number as digits (Cloud `metadata.display_phone_number`): the `to` of inbound messages. */
  businessNumber: string | null;
  /** The `contacts[]` describing the senders of the messages beside them (empty when absent). */
  contacts: readonly unknown[];
  /**
   * Which `contacts[]` entries a message was matched with so far, filled while mapping: bit `i`
   * for entry `i` below 30 (a number, so the common one-contact batch allocates nothing), the
   * indexes from 30 on in `usedFar`.
   */
  used: number;
  usedFar: number[] | null;
}

/** The id heads of Meta items, per provider (computed once, not per item). */
export const META_ID_HEADS = {
  cloud: { message: idHead('cloud', 'message'), status: idHead('cloud', 'status') },
  onprem: { message: idHead('onprem', 'message'), status: idHead('onprem', 'status') },
} as const;
