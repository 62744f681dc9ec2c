/**
 * Lua helpers every bluetick script starts with: the server clock and chunked variadic calls.
 */

/**
 * `now()`: the server's clock in epoch ms (`TIME`), so leases and append times agree across
 * processes whatever their own clocks say. Redis 5 and 6 refuse writes after a non-deterministic
 * command unless the script replicates its effects (the only mode from Redis 7 on).
 *
 * `callChunked(cmd, key, list, prefixArgs)`: `cmd key [prefixArgs…] list…` in chunks, because
 * `unpack` of a long list overflows Lua's C stack (about 8 000 values). Chunks are multiples of 2,
 * so pairs (score member, field value) never split.
 */
export const COMMON_LUA = `
if redis.replicate_commands then redis.replicate_commands() end

local function now()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local CHUNK = 1000
local function callChunked(cmd, key, list, extra)
  local n = #list
  local i = 1
  while i <= n do
    local j = i + CHUNK - 1
    if j > n then j = n end
    if extra then redis.call(cmd, key, extra, unpack(list, i, j))
    else redis.call(cmd, key, unpack(list, i, j)) end
    i = j + 1
  end
end

local function recordId(seq) return string.format('%016.0f', seq) end
`;

/** Record ids as the scripts print them: the sequence number, zero-padded to 16 digits (so they sort). */
export function recordId(seq: number): string {
  return String(seq).padStart(16, '0');
}
