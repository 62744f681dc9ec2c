/**
 * WASender's send API answers with a numeric `msgId`, while its webhooks name the WhatsApp key id
 * (and some name the numeric one). `track({ messageId, wasenderMsgId })` records
 * `wasenderMsgId → messageId`; any status event or query naming the alias is read as naming
 * `messageId`, so both resolve to one state. Bounded: past `max` the oldest alias is dropped.
 */
export interface AliasMap {
  set(alias: string, messageId: string): void;
  resolve(messageId: string): string;
  readonly size: number;
}

/** Creates a bounded alias map. */
export function createAliasMap(max: number): AliasMap {
  const map = new Map<string, string>();
  return {
    set(alias, messageId) {
      if (alias === messageId) return;
      map.delete(alias);
      map.set(alias, messageId);
      while (map.size > max) {
        const first = map.keys().next();
        if (first.done === true) break;
        map.delete(first.value);
      }
    },
    resolve: (messageId) => (map.size === 0 ? messageId : (map.get(messageId) ?? messageId)),
    get size() {
      return map.size;
    },
  };
}
