/**
 * The lattice join in Lua: a field-by-field port of `merge()` (src/state/merge.ts; the rules are
 * in docs/delivery-state.md), with the ranks, limits, time fields and estimate bits interpolated
 * from src/state/ when this module loads, never retyped. The ingest script prepends it.
 *
 * `join(a, b)` mutates the decoded state `a` into the join and returns whether anything changed,
 * exactly when `merge(a, b) !== a` in JS (a property test holds the two together).
 *
 * Two deliberate differences from a naive port:
 * - Strings compare byte by byte (`lt`), never with Lua's `<`: Lua's `<` calls strcoll(), and
 *   Redis sets LC_COLLATE from its environment. UTF-8 byte order is code-point order, which equals
 *   JS's UTF-16 code-unit order except between astral characters and U+E000–U+FFFF (docs/redis.md).
 * - cjson decodes JSON null to `cjson.null` and encodes an empty array as `{}`: `nn()` maps null to
 *   nil, and the JS side restores `[]` for the array fields (codec.ts).
 */
import { MAX_ANNOTATIONS, MAX_ERRORS, MAX_TAGS, RANK, TIME_FIELDS, type TrackMeta } from '../../../state/state.js';

/** The string fields of `TrackMeta`, joined by "greater wins" (the order mergeMeta builds them in). */
export const META_STRINGS = ['campaign', 'wasenderMsgId', 'accountId', 'recipientId'] as const;
// Compile-time guard: a string field added to TrackMeta must be added above.
type MissingMeta = Exclude<Exclude<keyof TrackMeta, 'tags'>, (typeof META_STRINGS)[number]>;
const metaComplete: MissingMeta extends never ? true : never = true;
void metaComplete;

const luaList = (xs: readonly (string | number)[]) => `{ ${xs.map((x) => (typeof x === 'string' ? `'${x}'` : String(x))).join(', ')} }`;

/** The Lua functions: constants, `nn`, `lt`, `join`, `fill`, `decodeState`, `staleRank`, `timeAt`. */
export const LATTICE_LUA = `
local NULL = cjson.null
local MAX_ERRORS, MAX_ANNOTATIONS, MAX_TAGS = ${MAX_ERRORS}, ${MAX_ANNOTATIONS}, ${MAX_TAGS}
local TIME_FIELDS = ${luaList(TIME_FIELDS)}
local TIME_BITS = ${luaList(TIME_FIELDS.map((_, i) => 1 << i))}
local META_STRINGS = ${luaList(META_STRINGS)}
local STALE_MIN, STALE_MAX = ${RANK.pending}, ${RANK.read}

local function nn(v) if v == NULL then return nil end return v end

local function lt(a, b)
  if a == b then return false end
  local la, lb = #a, #b
  local n = la < lb and la or lb
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return la < lb
end

-- absent < present, false < true, strings in byte order
local function cmp(a, b)
  a, b = nn(a), nn(b)
  if a == b then return 0 end
  if a == nil then return -1 end
  if b == nil then return 1 end
  if type(a) == 'boolean' then return (b and -1) or 1 end
  return lt(a, b) and -1 or 1
end

-- greater of two optional strings; JSON null and absent are both below any string
local function maxStr(x, y)
  if x == y or y == nil or y == NULL then return x end
  if x == nil or x == NULL then return y end
  return lt(y, x) and x or y
end

-- sorted union keeping the limit smallest; returns (value, changed)
local function union(a, b, limit)
  if b == nil or b == NULL then return a, false end
  if a == nil or a == NULL then
    if #b <= limit then return b, true end
    local out = {}
    for i = 1, limit do out[i] = b[i] end
    return out, true
  end
  local out, i, j, n, la, lb = {}, 1, 1, 0, #a, #b
  while n < limit and (i <= la or j <= lb) do
    local x, y = a[i], b[j]
    n = n + 1
    if y == nil or (x ~= nil and lt(x, y)) then out[n] = x; i = i + 1
    elseif x == nil or lt(y, x) then out[n] = y; j = j + 1
    else out[n] = x; i = i + 1; j = j + 1 end
  end
  if n == la then
    local same = true
    for k = 1, n do if out[k] ~= a[k] then same = false; break end end
    if same then return a, false end
  end
  return out, true
end

local function compareErrors(a, b)
  local c = cmp(a.title, b.title)
  if c == 0 then c = cmp(a.message, b.message) end
  if c == 0 then c = cmp(a.details, b.details) end
  if c == 0 then c = cmp(a.href, b.href) end
  if c == 0 then c = cmp(a.class, b.class) end
  return c
end

local function mergeErrors(a, b)
  if b == nil or b == NULL then return a, false end
  if a == nil or a == NULL then return b, true end
  local all, changed = {}, false
  for k, v in pairs(a) do all[k] = v end
  for code, e in pairs(b) do
    local prev = all[code]
    if prev == nil or compareErrors(e, prev) > 0 then all[code] = e; changed = true end
  end
  if not changed then return a, false end
  local codes = {}
  for k in pairs(all) do codes[#codes + 1] = k end
  if #codes <= MAX_ERRORS then return all, true end
  table.sort(codes, lt)
  local out = {}
  for i = 1, MAX_ERRORS do out[codes[i]] = all[codes[i]] end
  -- the new codes may all have fallen past the bound: then nothing changed after all
  local na, same = 0, true
  for k, v in pairs(a) do
    na = na + 1
    if out[k] ~= v then same = false end
  end
  if na == MAX_ERRORS and same then return a, false end
  return out, true
end

local function present(x) if x == nil or x == NULL then return nil end return '' end

local function compareBilling(pa, ca, pb, cb)
  local p = nn(pa) or {}
  local q = nn(pb) or {}
  local c = nn(ca) or {}
  local d = nn(cb) or {}
  local r = cmp(present(pa), present(pb))
  if r == 0 then r = cmp(p.billable, q.billable) end
  if r == 0 then r = cmp(p.model, q.model) end
  if r == 0 then r = cmp(p.category, q.category) end
  if r == 0 then r = cmp(p.type, q.type) end
  if r == 0 then r = cmp(present(ca), present(cb)) end
  if r == 0 then r = cmp(c.id, d.id) end
  if r == 0 then r = cmp(c.origin, d.origin) end
  if r == 0 then r = cmp(c.expiresAt, d.expiresAt) end
  return r
end

local function mergeMeta(a, b)
  if b == nil or b == NULL then return a, false end
  if a == nil or a == NULL then return b, true end
  local tags, changed = union(nn(a.tags), nn(b.tags), MAX_TAGS)
  local out = {}
  for _, f in ipairs(META_STRINGS) do
    local v = maxStr(a[f], b[f])
    if v ~= a[f] then changed = true end
    out[f] = v
  end
  if not changed then return a, false end
  out.tags = tags
  return out, true
end

-- a decoded state with the fields compact JSON leaves out (codec.ts encodeState) at their
-- defaults: numbers 0, billingRank -1, tracked false (absent optional objects stay nil, which
-- every rule above reads as null)
local ZERO_FIELDS = ${luaList(['rank', ...TIME_FIELDS, 'estimated'])}
local function fill(s)
  for _, f in ipairs(ZERO_FIELDS) do
    if s[f] == nil then s[f] = 0 end
  end
  if s.billingRank == nil then s.billingRank = -1 end
  if s.tracked == nil then s.tracked = false end
  return s
end
local function decodeState(json) return fill(cjson.decode(json)) end

-- the rank a state is indexed at for findStale (0: none): pending..read without failure evidence
local function staleRank(s)
  local r = s.rank
  if r < STALE_MIN or r > STALE_MAX or s.failedAt ~= 0 or nn(s.errors) ~= nil then return 0 end
  return r
end

-- the time of a progress rank (its TIME_FIELDS entry: the first five are ranks 1..5)
local function timeAt(s, rank) return s[TIME_FIELDS[rank]] end

-- joins b into a (both decoded states of one key); returns true when a changed
local function join(a, b)
  local changed = false
  if b.billingRank > a.billingRank or (b.billingRank == a.billingRank and b.billingRank >= 0
      and compareBilling(b.pricing, b.conversation, a.pricing, a.conversation) > 0) then
    a.billingRank, a.pricing, a.conversation = b.billingRank, b.pricing, b.conversation
    changed = true
  end
  local v, c = maxStr(a.accountId, b.accountId)
  if v ~= a.accountId then a.accountId = v; changed = true end
  v = maxStr(a.recipientId, b.recipientId)
  if v ~= a.recipientId then a.recipientId = v; changed = true end
  if b.rank > a.rank then a.rank = b.rank; changed = true end
  -- each time with its estimate bit: an observed time beats an estimated one, else the earliest non-zero
  local ea, eb, est = a.estimated or 0, b.estimated or 0, 0
  for i, f in ipairs(TIME_FIELDS) do
    local bit1 = TIME_BITS[i]
    local ta, tb = a[f], b[f]
    local xa, xb = bit.band(ea, bit1), bit.band(eb, bit1)
    local take = ta == 0
    if not take and tb ~= 0 then
      if xa ~= xb then take = xa ~= 0 else take = tb < ta end
    end
    if take then
      if ta ~= tb then a[f] = tb; changed = true end
      est = bit.bor(est, xb)
    else
      est = bit.bor(est, xa)
    end
  end
  if est ~= ea then changed = true end
  a.estimated = est
  v, c = mergeErrors(a.errors, b.errors)
  if c then a.errors = v; changed = true end
  v = maxStr(a.bizOpaqueCallbackData, b.bizOpaqueCallbackData)
  if v ~= a.bizOpaqueCallbackData then a.bizOpaqueCallbackData = v; changed = true end
  v, c = union(a.annotations, b.annotations, MAX_ANNOTATIONS)
  if c then a.annotations = v; changed = true end
  if b.tracked == true and a.tracked ~= true then a.tracked = true; changed = true end
  v, c = mergeMeta(a.meta, b.meta)
  if c then a.meta = v; changed = true end
  return changed
end
`;
