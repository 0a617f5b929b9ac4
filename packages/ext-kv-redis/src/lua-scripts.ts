import { createHash } from 'node:crypto';

/**
 * One server-side Lua script. It runs as a function of the {@link FUNCTION_LIBRARY} (`FCALL
 * fn`, the library loaded once per server) where the server allows it, and otherwise as a
 * plain script: `EVALSHA sha`, falling back to `EVAL source` (which also caches it) after
 * a `NOSCRIPT` reply, e.g. once a restarted server has forgotten it.
 */
export interface LuaScript {
  /** What the script is for, in error messages. */
  readonly name: string;
  /** The script as `EVAL` runs it. */
  readonly source: string;
  /** Lowercase hex SHA-1 of {@link source}. */
  readonly sha: string;
  /** The name of the same script in {@link FUNCTION_LIBRARY}. */
  readonly fn: string;
}

/** Where one script's body runs: the helpers it needs, and whether it writes. */
interface ScriptSpec {
  readonly name: string;
  /** `'write'`: the write helpers, with SPACE, IDX, EXP, SIZES and NOW set per call. */
  readonly helpers: 'none' | 'read' | 'write';
  /** Lua statements over KEYS and ARGV, ending in a `return`. */
  readonly body: string;
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

// Layout of one mount (SPACE is the mount's key space: its prefix, or `{prefix}` with a
// hash tag). Every key the mount owns starts with SPACE:
//   SPACE .. key          STRING  the value JSON, verbatim; for a key that expires, the
//                                 value JSON behind a header: NUL, expiresAt (exact decimal
//                                 text, or "inf"), NUL. Native PX expiry of
//                                 ceil(expiresAt - NOW) ms
//   SPACE \xff "keys"     ZSET    every indexed key, score 0, so ZRANGEBYLEX selects a prefix
//   SPACE \xff "expiry"   ZSET    indexed keys that expire, scored by expiresAt (ms, exact)
//   SPACE \xff "sizes"    HASH    key -> bytes it counts (UTF-8 key + value JSON), as "+"
//                                 and the number for a key that never expires (so that
//                                 overwriting it needs no ZREM on "expiry"); the plain
//                                 number means it may expire (builds before this one
//                                 wrote every size so, and parse "+n" as n, so a mount
//                                 moves between them both ways without conversion);
//                                 field "" = their total, field \xff"swept" = last sweep,
//                                 field \xff"pad" = 80 bytes (see PAD)
// Byte 0xFF never occurs in UTF-8 and keys are valid Unicode, so no key can name an index
// key or a bookkeeping field.
//
// A key is live when its STRING exists and it has not expired: expiresAt <= NOW means
// expired, NOW being the caller's clock (the extension's `now`), so every backend
// expires by the same clock. Redis also drops the STRING natively once the same time to
// live has passed by its own clock (PX, relative, never PXAT: a caller whose clock is behind
// the server's would otherwise see a fresh key dropped at once). Reads return only live keys. The expiry travels with the value, so a read
// is one native GET (MGET for several keys) and needs no script; JSON text never holds a
// NUL, so the header cannot be mistaken for a value.
//
// The counts ("keys" cardinality, the "" total) cover every indexed key, so an expired key
// counts until it is dropped: writes that add a key drop a few of the oldest expired ones,
// and before any write is refused for a limit, every expired key (by the later of both
// clocks) is dropped, and at most once a minute every key whose STRING vanished behind the
// index (deleted or evicted by someone else) is forgotten. A refusal is therefore decided on
// live keys only, as core's checkKvLimits demands, without scanning on every write (a
// vanished STRING may still count for up to a minute).
//
// Every script gets SPACE as KEYS[1] (declared for routing; with a hash tag it shares the
// mount's slot) and derives the index names from it, so the client need not send binary
// key names (sending a Buffer costs ioredis measurably more per command); the data keys it
// touches follow in KEYS where the caller knows them. Write scripts get NOW as ARGV[1].
// Scripts that walk the index (list, clear, the purges) reach data keys they were not
// given; they share the mount's slot with a hash tag, which Redis Cluster accepts.
const WRITE_HELPERS = String.raw`
local SPACE, IDX, EXP, SIZES, NOW

-- Set the mount's names and the caller's clock; the first thing every write script does.
-- In a function library the names stay set between calls, so a mount's names are built
-- once while calls for it follow each other.
local function begin(keys, args)
  if keys[1] ~= SPACE then
    SPACE = keys[1]
    IDX, EXP, SIZES = SPACE .. '\255keys', SPACE .. '\255expiry', SPACE .. '\255sizes'
  end
  NOW = tonumber(args[1])
end

-- A field of "sizes" whose value is longer than Redis keeps in a compact hash (listpack,
-- hash-max-listpack-value = 64 by default), set whenever keys are added: it keeps the hash
-- a real hash table, where HGET/HMGET cost O(1) per field instead of a scan of the whole
-- listpack (O(keys) per field in a mount of up to 128 keys).
local PAD = '\255pad'
local PAD_TEXT = '${'-'.repeat(80)}'

local function score_text(n) return string.format('%.17g', n) end

-- Whether an expiry (text) has passed; text that is no number never has (a read then
-- reports the damaged value as corrupt).
local function expired(score)
  local at = tonumber(score) -- nil for nil, false (a missing member) and non-numbers
  return at ~= nil and at <= NOW
end

-- The STRING of a record: the value JSON, behind the expiry header when it expires.
local function stored_text(value, expires)
  if expires == '' then return value end
  return '\0' .. expires .. '\0' .. value
end

-- One command over many items, in slices (Lua's unpack has a stack limit of a few thousand
-- values; the slice is even, so pairs stay together). Returns the replies concatenated.
local function batched(command, key, items)
  local out = {}
  for first = 1, #items, 1000 do
    local last = math.min(first + 999, #items)
    local part
    if key then
      part = redis.call(command, key, unpack(items, first, last))
    else
      part = redis.call(command, unpack(items, first, last))
    end
    if type(part) == 'table' then
      for i = 1, #part do out[#out + 1] = part[i] end
    end
  end
  return out
end

-- The size a "sizes" field holds (text, nil or false) stands for, and whether the key may
-- be in "expiry" (anything but "+n", which this build writes for a key that never expires).
local function size_of(field)
  local size = tonumber(field)
  if size == nil then return nil, false end
  -- "+" sorts before every digit: one comparison, no function call (this runs per record).
  return size, field >= '0'
end

-- The "sizes" field of a key that counts 'size' bytes and expires at 'expires' ('' never).
local function size_field(size, expires)
  if expires == '' then return '+' .. size end
  return tostring(size)
end

local function tidy()
  if redis.call('ZCARD', IDX) == 0 then redis.call('DEL', IDX, EXP, SIZES) end
end

-- Take indexed keys out of the index and the counts; their STRINGs are the caller's.
local function forget(members)
  if #members == 0 then return end
  local total = 0
  for _, field in ipairs(batched('HMGET', SIZES, members)) do total = total + (size_of(field) or 0) end
  batched('ZREM', IDX, members)
  batched('ZREM', EXP, members)
  batched('HDEL', SIZES, members)
  redis.call('HINCRBY', SIZES, '', -total)
end

-- Drop indexed keys with their STRINGs; returns how many of them were live.
local function drop(members)
  if #members == 0 then return 0 end
  local scores = batched('ZMSCORE', EXP, members)
  local live = 0
  for i, member in ipairs(members) do
    if redis.call('DEL', SPACE .. member) == 1 and not expired(scores[i]) then live = live + 1 end
  end
  forget(members)
  return live
end

-- Drop keys expired at 'limit', the earliest first; all of them when count is nil.
local function purge(limit, count)
  local doomed
  if count then
    doomed = redis.call('ZRANGEBYSCORE', EXP, '-inf', score_text(limit), 'LIMIT', 0, count)
  else
    doomed = redis.call('ZRANGEBYSCORE', EXP, '-inf', score_text(limit))
  end
  drop(doomed)
end

-- Make the counts cover live keys only (see the layout notes).
local function clean()
  local t = redis.call('TIME')
  local server_now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
  purge(math.max(NOW, server_now))
  local swept = tonumber(redis.call('HGET', SIZES, '\255swept'))
  if swept and swept > server_now - 60000 then return end
  local members, vanished = redis.call('ZRANGE', IDX, 0, -1), {}
  for _, member in ipairs(members) do
    if redis.call('EXISTS', SPACE .. member) == 0 then vanished[#vanished + 1] = member end
  end
  forget(vanished)
  if #members > #vanished then redis.call('HSET', SIZES, '\255swept', score_text(server_now)) end
end

-- How the writes change the counts. Record i is members[i], values[i], expires[i] and
-- pxs[i] (parallel arrays, so a batch allocates no table per record); expires and pxs
-- may be empty tables or hold '' for none. A record already expired is written as the
-- key's removal. Returns the deltas, whether a key is added, and per record its "sizes"
-- field now (false: not indexed), whether it lives and the size it will count.
local function plan(members, values, expires)
  local fields = batched('HMGET', SIZES, members)
  local lives, sizes = {}, {}
  local d_entries, d_size, fresh = 0, 0, false
  for i = 1, #members do
    local old = tonumber(fields[i])
    local at = expires[i] or ''
    local live = at == '' or tonumber(at) > NOW
    local size = live and (#members[i] + #values[i]) or 0
    lives[i], sizes[i] = live, size
    d_entries = d_entries + (live and 1 or 0) - (old and 1 or 0)
    d_size = d_size + size - (old or 0)
    if live and not old then fresh = true end
  end
  return d_entries, d_size, fresh, fields, lives, sizes
end

-- core's checkKvLimits, inside the script so it is atomic with the write: a change that
-- does not grow a dimension never fails on it. A refusal carries the stats and the change
-- back, so that the caller raises the coded error with checkKvLimits itself.
local function over(d_entries, d_size, max_entries, max_size)
  if d_entries <= 0 and d_size <= 0 then return false end
  local entries = redis.call('ZCARD', IDX)
  local size = tonumber(redis.call('HGET', SIZES, '')) or 0
  if (d_entries > 0 and entries + d_entries > max_entries)
    or (d_size > 0 and size + d_size > max_size) then
    return {0, entries, size, d_entries, d_size}
  end
  return false
end

-- Apply the writes (parallel arrays, see plan), all or none: returns a refusal (nothing
-- written) or false. Commands are grouped (one MSET, one ZADD, one HSET, ...) so that a
-- batch costs a few calls, not a few per key.
local function store(members, values, expires, pxs, max_entries, max_size)
  local d_entries, d_size, fresh, fields, lives, sizes = plan(members, values, expires)
  if over(d_entries, d_size, max_entries, max_size) then
    clean()
    d_entries, d_size, fresh, fields, lives, sizes = plan(members, values, expires)
    local refusal = over(d_entries, d_size, max_entries, max_size)
    if refusal then return refusal end
  end
  local plain, expiring, unexpiring, added, changed, removed = {}, {}, {}, {}, {}, {}
  local total = 0
  for i = 1, #members do
    local member, size, field = members[i], sizes[i], fields[i]
    -- size_of, inlined: this loop runs per record of a batch.
    local old = tonumber(field)
    local may_expire = old ~= nil and field >= '0'
    local at, px = expires[i] or '', pxs[i] or ''
    if lives[i] then
      if px == '' then
        plain[#plain + 1] = SPACE .. member
        plain[#plain + 1] = stored_text(values[i], at)
      else
        redis.call('SET', SPACE .. member, stored_text(values[i], at), 'PX', px)
      end
      if at ~= '' then
        expiring[#expiring + 1] = at
        expiring[#expiring + 1] = member
      elseif may_expire then
        unexpiring[#unexpiring + 1] = member
      end
      if not old then
        added[#added + 1] = 0
        added[#added + 1] = member
      end
      if old ~= size or may_expire ~= (at ~= '') then
        changed[#changed + 1] = member
        changed[#changed + 1] = size_field(size, at)
        total = total + size - (old or 0)
      end
    elseif old then
      removed[#removed + 1] = member
    end
  end
  drop(removed)
  if #plain > 0 then batched('MSET', nil, plain) end
  if #expiring > 0 then batched('ZADD', EXP, expiring) end
  if #unexpiring > 0 then batched('ZREM', EXP, unexpiring) end
  if #added > 0 then
    batched('ZADD', IDX, added)
    changed[#changed + 1] = PAD
    changed[#changed + 1] = PAD_TEXT
  end
  if #changed > 0 then
    batched('HSET', SIZES, changed)
    if total ~= 0 then redis.call('HINCRBY', SIZES, '', total) end
  end
  if fresh then purge(NOW, 16) end
  if #removed > 0 then tidy() end
  return false
end

local function prefix_range(prefix)
  if prefix == '' then return redis.call('ZRANGEBYLEX', IDX, '-', '+') end
  return redis.call('ZRANGEBYLEX', IDX, '[' .. prefix, '(' .. prefix .. '\255')
end
`;

// Read scripts only need to fetch in slices: Lua's unpack has a stack limit of a few
// thousand values.
const READ_HELPERS = String.raw`
local function sliced(command, key, items, prefix)
  local out, n = {}, #items
  for first = 1, n, 1000 do
    local args = {}
    for i = first, math.min(first + 999, n) do args[#args + 1] = (prefix or '') .. items[i] end
    local part
    if key then part = redis.call(command, key, unpack(args)) else part = redis.call(command, unpack(args)) end
    for i = 1, #args do out[#out + 1] = part[i] end
  end
  return out
end
`;

/**
 * Every indexed record under a prefix whose STRING exists, as one snapshot. KEYS: SPACE;
 * ARGV[1] = prefix. Returns {key, STRING} pairs, flattened, in byte order; the caller
 * reads the expiry header and drops expired records.
 */
const LIST_SPEC: ScriptSpec = {
  name: 'list',
  helpers: 'read',
  body: String.raw`
local space, prefix = KEYS[1], ARGV[1]
local members
if prefix == '' then
  members = redis.call('ZRANGEBYLEX', space .. '\255keys', '-', '+')
else
  members = redis.call('ZRANGEBYLEX', space .. '\255keys', '[' .. prefix, '(' .. prefix .. '\255')
end
local values = sliced('MGET', nil, members, space)
local out = {}
for i = 1, #members do
  if values[i] then
    out[#out + 1] = members[i]
    out[#out + 1] = values[i]
  end
end
return out
`,
};

/**
 * Store one record. KEYS: SPACE (the data key shares its slot and is not declared, like
 * setMany's). ARGV: NOW, maxEntries, maxStoreSize, key, value, and for a record that
 * expires also expires and px. Returns 1, or a refusal {0, entries, size, dEntries, dSize}.
 *
 * The common case (a live record that no limit refuses) is written here with two to six
 * commands and no tables: beyond the call itself (~3 µs), each command and each argument
 * is most of what the server spends. Everything else goes through store().
 */
const SET_SPEC: ScriptSpec = {
  name: 'set',
  helpers: 'write',
  body: String.raw`
local max_entries, max_size = tonumber(ARGV[2]), tonumber(ARGV[3])
local member, value, expires, px = ARGV[4], ARGV[5], ARGV[6] or '', ARGV[7] or ''
if expires == '' or tonumber(expires) > NOW then
  local field = redis.call('HGET', SIZES, member)
  local old, may_expire = size_of(field)
  local size = #member + #value
  local d_entries, d_size = old and 0 or 1, size - (old or 0)
  if not over(d_entries, d_size, max_entries, max_size) then
    local key = SPACE .. member
    if px == '' then
      redis.call('SET', key, stored_text(value, expires))
    else
      redis.call('SET', key, stored_text(value, expires), 'PX', px)
    end
    if expires ~= '' then
      redis.call('ZADD', EXP, expires, member)
    elseif may_expire then
      redis.call('ZREM', EXP, member)
    end
    if not old then
      redis.call('ZADD', IDX, 0, member)
      redis.call('HSET', SIZES, member, size_field(size, expires), PAD, PAD_TEXT)
      redis.call('HINCRBY', SIZES, '', d_size)
      purge(NOW, 16)
    elseif old ~= size or may_expire ~= (expires ~= '') then
      redis.call('HSET', SIZES, member, size_field(size, expires))
      if d_size ~= 0 then redis.call('HINCRBY', SIZES, '', d_size) end
    end
    return 1
  end
end
local refusal = store({member}, {value}, {expires}, {px}, max_entries, max_size)
if refusal then return refusal end
return 1
`,
};

/**
 * Store several records, all or nothing. KEYS: SPACE (the data keys are not declared: each
 * declared key costs the server more than the whole write of a small record, and they share
 * the mount's slot). ARGV: NOW, maxEntries, maxStoreSize, STRIDE, then per record (keys
 * distinct) key, value and, when STRIDE is 4, expires and px (STRIDE 2: none expires).
 * Returns 1 or a refusal.
 */
const SET_MANY_SPEC: ScriptSpec = {
  name: 'setMany',
  helpers: 'write',
  body: String.raw`
local stride = tonumber(ARGV[4])
local members, values, expires, pxs = {}, {}, {}, {}
for at = 5, #ARGV, stride do
  local i = #members + 1
  members[i], values[i] = ARGV[at], ARGV[at + 1]
  if stride == 4 then expires[i], pxs[i] = ARGV[at + 2], ARGV[at + 3] end
end
local refusal = store(members, values, expires, pxs, tonumber(ARGV[2]), tonumber(ARGV[3]))
if refusal then return refusal end
return 1
`,
};

/**
 * The commit step of an optimistic update: apply the decision only if the key is still
 * exactly what the decision was computed from. KEYS: SPACE, the data key. ARGV: NOW, key,
 * expected ('0' absent / '1' present), expected value, expected expires ('' none), action
 * ('write' / 'delete'), value, expires, px, maxEntries, maxStoreSize. Returns 1
 * applied, 2 conflict (the caller reads again), or a refusal.
 *
 * "Present" compares the whole STRING, so value and expiry are checked at once; "absent"
 * holds when there is no STRING or it has expired by NOW.
 */
const COMMIT_SPEC: ScriptSpec = {
  name: 'update',
  helpers: 'write',
  body: String.raw`
local member = ARGV[2]
local current = redis.call('GET', SPACE .. member)
if ARGV[3] == '0' then
  if current then
    local expires = string.match(current, '^%z([^%z]*)%z')
    if not expired(expires) then return 2 end
  end
elseif current ~= stored_text(ARGV[4], ARGV[5]) then
  return 2
end
if ARGV[6] == 'delete' then
  drop({member})
  tidy()
  return 1
end
local refusal = store({member}, {ARGV[7]}, {ARGV[8]}, {ARGV[9]}, tonumber(ARGV[10]), tonumber(ARGV[11]))
if refusal then return refusal end
return 1
`,
};

/**
 * Remove keys. KEYS: SPACE, then one data key per key. ARGV: NOW, then the keys (distinct).
 * Returns how many live keys were removed.
 */
const DELETE_SPEC: ScriptSpec = {
  name: 'delete',
  helpers: 'write',
  body: String.raw`
local members = {}
for i = 2, #ARGV do members[#members + 1] = ARGV[i] end
local indexed = {}
for i, size in ipairs(batched('HMGET', SIZES, members)) do
  if size then indexed[#indexed + 1] = members[i] end
end
local removed = drop(indexed)
tidy()
return removed
`,
};

/**
 * Remove every indexed key under a prefix. KEYS: SPACE. ARGV: NOW, prefix. Returns how many
 * of them were live (what list showed).
 */
const CLEAR_SPEC: ScriptSpec = {
  name: 'clear',
  helpers: 'write',
  body: String.raw`
local removed = drop(prefix_range(ARGV[2]))
tidy()
return removed
`,
};

const SPECS = [LIST_SPEC, SET_SPEC, SET_MANY_SPEC, COMMIT_SPEC, DELETE_SPEC, CLEAR_SPEC];

// Function names are global on a server, so every name carries a hash of the whole
// library: two versions of this package can share one server without replacing each
// other's functions.
const TAG = sha1(
  [WRITE_HELPERS, READ_HELPERS, ...SPECS.map((s) => `${s.name}\n${s.helpers}\n${s.body}`)].join(
    '\0',
  ),
).slice(0, 16);

const HELPERS = { none: '', read: READ_HELPERS, write: WRITE_HELPERS } as const;

/** The body as one Lua function of (KEYS, ARGV). */
function callback(spec: ScriptSpec): string {
  const start = spec.helpers === 'write' ? 'begin(KEYS, ARGV)' : '';
  return `function(KEYS, ARGV)\n${start}\n${spec.body}\nend`;
}

/**
 * Every script as one Redis function library (Redis 7+), loaded once per server with
 * `FUNCTION LOAD REPLACE`: the helpers are defined once at load time instead of on every
 * call, which is what a plain script's prelude costs. Read scripts are flagged
 * `no-writes`.
 */
export const FUNCTION_LIBRARY: { readonly name: string; readonly code: string } = Object.freeze({
  name: `rillkit_kv_${TAG}`,
  code: [
    `#!lua name=rillkit_kv_${TAG}`,
    WRITE_HELPERS,
    READ_HELPERS,
    ...SPECS.map(
      (spec) =>
        `redis.register_function{function_name = 'rillkit_kv_${TAG}_${spec.name}', callback = ${callback(spec)}` +
        `${spec.helpers === 'write' ? '' : ", flags = {'no-writes'}"}}`,
    ),
  ].join('\n'),
});

function build(spec: ScriptSpec): LuaScript {
  const source =
    spec.helpers === 'write'
      ? `${WRITE_HELPERS}\nbegin(KEYS, ARGV)\n${spec.body}`
      : `${HELPERS[spec.helpers]}\n${spec.body}`;
  return Object.freeze({
    name: spec.name,
    source,
    sha: sha1(source),
    fn: `rillkit_kv_${TAG}_${spec.name}`,
  });
}

/**
 * The name of the Redis function library this build loads (`rillkit_kv_<hash>`); its
 * functions are `<name>_set`, `<name>_setMany`, ... Libraries of other builds can be removed
 * with `FUNCTION DELETE` once no process of those builds runs.
 */
export const REDIS_KV_FUNCTION_LIBRARY: string = FUNCTION_LIBRARY.name;

export const LIST_SCRIPT = build(LIST_SPEC);
export const SET_SCRIPT = build(SET_SPEC);
export const SET_MANY_SCRIPT = build(SET_MANY_SPEC);
export const COMMIT_SCRIPT = build(COMMIT_SPEC);
export const DELETE_SCRIPT = build(DELETE_SPEC);
export const CLEAR_SCRIPT = build(CLEAR_SPEC);
