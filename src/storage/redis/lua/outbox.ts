/**
 * The outbox scripts (one consumer each; the layout is in keys.ts, the design in outbox.ts):
 *
 * - lease   KEYS q p n           ARGV limit leaseMs ttlMs          → { now, (id, attempts, payload)… }
 * - ack     KEYS q p n           ARGV id…                          → removed count
 * - release KEYS q               ARGV id…                          → released count
 * - dead    KEYS q p n dz dp dm consumers  ARGV ttlMs max consumer (id, reason JSON)… → moved count
 * - list    KEYS dz dp dm        ARGV limit (-1: all)              → { (id, at, payload, reason)… }
 * - replay  KEYS q p n dz dp dm consumers  ARGV ttlMs consumer limit id… → { moved, seen }
 * - stats   KEYS consumers (q dz)…          ARGV consumer…        → { pending, dead }… (drops names with neither)
 *
 * A record is available when its score (lease end, epoch ms of the server clock) is ≤ now; 0
 * means "available now" (released or replayed). The lease-count hash holds how many leases a
 * record had; absent means 1: every appended record starts leased to its appender.
 */
import { COMMON_LUA } from './common.js';

export const LEASE_LUA = `${COMMON_LUA}
local t = now()
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', t, 'LIMIT', 0, tonumber(ARGV[1]))
local leaseEnd = t + tonumber(ARGV[2])
local out, gone = { t }, {}
for _, id in ipairs(ids) do
  local payload = redis.call('HGET', KEYS[2], id)
  if payload then
    redis.call('ZADD', KEYS[1], leaseEnd, id)
    local n = tonumber(redis.call('HGET', KEYS[3], id) or '1')
    redis.call('HSET', KEYS[3], id, n + 1)
    out[#out + 1] = id
    out[#out + 1] = n
    out[#out + 1] = payload
  else
    gone[#gone + 1] = id -- no payload: nothing to deliver (never written whole, or expired)
  end
end
if #gone > 0 then callChunked('ZREM', KEYS[1], gone) end
if #ids > 0 then
  for k = 1, 3 do redis.call('PEXPIRE', KEYS[k], ARGV[3]) end
end
return out
`;

export const ACK_LUA = `${COMMON_LUA}
local ids = {}
for k = 1, #ARGV do ids[k] = ARGV[k] end
local before = redis.call('ZCARD', KEYS[1])
callChunked('ZREM', KEYS[1], ids)
callChunked('HDEL', KEYS[2], ids)
callChunked('HDEL', KEYS[3], ids)
return before - redis.call('ZCARD', KEYS[1])
`;

export const RELEASE_LUA = `${COMMON_LUA}
local pairs0 = {}
for k = 1, #ARGV do
  pairs0[#pairs0 + 1] = 0
  pairs0[#pairs0 + 1] = ARGV[k]
end
callChunked('ZADD', KEYS[1], pairs0, 'XX')
return #ARGV
`;

export const DEAD_LETTER_LUA = `${COMMON_LUA}
local t = now()
local max = tonumber(ARGV[2])
local moved = 0
for k = 4, #ARGV, 2 do
  local id = ARGV[k]
  local payload = redis.call('HGET', KEYS[2], id)
  if payload then
    redis.call('ZREM', KEYS[1], id)
    redis.call('HDEL', KEYS[2], id)
    redis.call('HDEL', KEYS[3], id)
    redis.call('ZADD', KEYS[4], t, id)
    redis.call('HSET', KEYS[5], id, payload)
    redis.call('HSET', KEYS[6], id, ARGV[k + 1])
    moved = moved + 1
  end
end
if moved > 0 then
  local excess = redis.call('ZCARD', KEYS[4]) - max
  if excess > 0 then
    local old = redis.call('ZRANGE', KEYS[4], 0, excess - 1)
    redis.call('ZREMRANGEBYRANK', KEYS[4], 0, excess - 1)
    callChunked('HDEL', KEYS[5], old)
    callChunked('HDEL', KEYS[6], old)
  end
  for k = 4, 6 do redis.call('PEXPIRE', KEYS[k], ARGV[1]) end
  redis.call('SADD', KEYS[7], ARGV[3])
end
return moved
`;

export const DEAD_LIST_LUA = `
local limit = tonumber(ARGV[1])
local ids = redis.call('ZRANGE', KEYS[1], 0, limit < 0 and -1 or limit - 1, 'WITHSCORES')
local out = {}
for k = 1, #ids, 2 do
  local payload = redis.call('HGET', KEYS[2], ids[k])
  if payload then
    out[#out + 1] = ids[k]
    out[#out + 1] = ids[k + 1]
    out[#out + 1] = payload
    out[#out + 1] = redis.call('HGET', KEYS[3], ids[k]) or '{}'
  end
end
return out
`;

export const REPLAY_LUA = `${COMMON_LUA}
local ids
if #ARGV > 3 then
  ids = {}
  for k = 4, #ARGV do ids[#ids + 1] = ARGV[k] end
else
  ids = redis.call('ZRANGE', KEYS[4], 0, tonumber(ARGV[3]) - 1)
end
local moved = 0
for _, id in ipairs(ids) do
  local payload = redis.call('HGET', KEYS[5], id)
  if payload then
    redis.call('HSET', KEYS[2], id, payload)
    redis.call('ZADD', KEYS[1], 0, id)
    redis.call('HSET', KEYS[3], id, 0)
    moved = moved + 1
  end
  redis.call('ZREM', KEYS[4], id)
  redis.call('HDEL', KEYS[5], id)
  redis.call('HDEL', KEYS[6], id)
end
if moved > 0 then
  for k = 1, 3 do redis.call('PEXPIRE', KEYS[k], ARGV[1]) end
  redis.call('SADD', KEYS[7], ARGV[2])
end
return { moved, #ids }
`;

export const STATS_LUA = `
local out = {}
for c = 1, #ARGV do
  local pending = redis.call('ZCARD', KEYS[2 * c])
  local dead = redis.call('ZCARD', KEYS[2 * c + 1])
  if pending == 0 and dead == 0 then redis.call('SREM', KEYS[1], ARGV[c]) end
  out[#out + 1] = pending
  out[#out + 1] = dead
end
return out
`;
