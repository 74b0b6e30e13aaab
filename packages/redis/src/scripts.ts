// Lua scripts: each is atomic on the server, so a check and the delete it guards cannot interleave.

/**
 * Deletes KEYS[1] only when its value is exactly ARGV[1]. Releases a lock only for its holder,
 * and removes a corrupt entry only if nobody replaced it meanwhile.
 */
export const deleteIfEquals = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/**
 * Gives KEYS[1] an expiry of ARGV[1] ms when it has none. A lock we could not take is someone
 * else's, and every lock is set with PX: one without an expiry was planted (or left by a bug),
 * and would make every process wait out its lock wait on each token fetch, for good.
 */
export const expireIfPersistent = `
if redis.call('PTTL', KEYS[1]) == -1 then
  return redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return 0
`;

/**
 * Deletes the token entry KEYS[1] only when its envelope's fingerprint is ARGV[1], so a stale
 * 401 in one process never removes the newer token another process stored.
 */
export const deleteIfFingerprint = `
local raw = redis.call('GET', KEYS[1])
if not raw then
  return 0
end
local ok, envelope = pcall(cjson.decode, raw)
if ok and type(envelope) == 'table' and envelope.fp == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/**
 * One `take` of the fleet rate gate: GCRA with reservation, on Redis' own clock.
 *
 * KEYS[1] holds the TAT (theoretical arrival time, epoch ms with 3 decimals): the moment the
 * bucket would be full again if nobody asked. With T = intervalMs / requests (ARGV[1]) and
 * capacity C (ARGV[2]), the slots free now are `C - (TAT - now) / T`; a caller needing one slot
 * is scheduled at `TAT - (C - 1) T` (or now, if that has passed) and moves TAT on by T. So
 * callers are served in the order their `take` reached Redis, C at once, then one every T.
 * A missing or unreadable TAT is a full bucket (at worst one burst too many, never a stall):
 * unreadable is anything but a finite number no later than `now + C·T + ARGV[6]` (ARGV[6] the
 * longest wait any caller may reserve, core's 10-minute ceiling) — garbage, `nan`, `inf`,
 * `1e999`, or a schedule planted far in the future. A TAT before now is now.
 *
 * ARGV[3] maxWaitMs: a slot further away is not reserved. ARGV[4] '1' for background: admitted
 * only with a slot free now and ARGV[5] (headroom) slots still free after it. A wait under a
 * microsecond is float noise (a caller that slept its wait is not turned away for it).
 *
 * Replies `{1, waitMs}` (reserved waitMs from now) or `{0, retryAfterMs}` (nothing reserved).
 * The key always expires: a reservation sets it with PX (when the bucket is full again), and a
 * refusal gives a key found without a TTL one (a value planted without expiry goes by itself).
 * `TIME` makes every host agree on "now" whatever its own clock says; on Redis < 5 scripts need
 * effects replication for a write after `TIME`, which `replicate_commands` turns on (a no-op on 7).
 * No comments inside: the text is sent with every EVAL.
 */
export const rateGateTake = `if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = t[1] * 1000 + t[2] / 1000
local T, cap, maxWait = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local bg = ARGV[4] == '1'
local stored = tonumber(redis.call('GET', KEYS[1]) or '')
if stored == nil or stored ~= stored or stored > now + cap * T + tonumber(ARGV[6]) then stored = now end
local tat = math.max(stored, now)
local need = 1
if bg then need = 1 + tonumber(ARGV[5]) end
local wait = (need - cap) * T + tat - now
if wait < 0.001 then wait = 0 end
if wait > maxWait or (bg and wait > 0) then
  if redis.call('PTTL', KEYS[1]) == -1 then redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil(tat - now))) end
  return {0, math.max(1, math.ceil(wait))}
end
tat = tat + T
redis.call('SET', KEYS[1], string.format('%.3f', tat), 'PX', math.max(1, math.ceil(tat - now)))
return {1, math.ceil(wait)}`;

/**
 * `failed` of the fleet's outage gate: an attempt at endpoint KEYS[1] failed (5xx, no answer).
 * KEYS[1] is a hash { until (epoch ms on Redis' clock), streak (failures in a row) }. A mark still
 * running is kept and its remaining ms returned, so processes failing together count once; else
 * the streak grows (it starts over when the endpoint was left alone 2 × maxMs) and the endpoint is
 * down for `min(maxMs, baseMs × 2^(streak-1))` with equal jitter — the core's back-off formula.
 * ARGV: baseMs, maxMs, random in [0, 1). Replies the ms until the next attempt. The key expires
 * 2 × maxMs after its mark, so a healthy endpoint leaves nothing behind.
 */
export const outageFailed = `if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = t[1] * 1000 + t[2] / 1000
local base, max, r = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local v = redis.call('HMGET', KEYS[1], 'until', 'streak')
local untilAt = tonumber(v[1]) or 0
local streak = tonumber(v[2]) or 0
if untilAt > now then return math.ceil(untilAt - now) end
if now - untilAt > 2 * max then streak = 0 end
streak = math.min(streak + 1, 64)
local ceiling = math.min(max, base * 2 ^ (streak - 1))
local ms = math.max(1, math.floor(ceiling / 2 + ceiling / 2 * r + 0.5))
redis.call('HSET', KEYS[1], 'until', string.format('%.3f', now + ms), 'streak', streak)
redis.call('PEXPIRE', KEYS[1], math.ceil(ms + 2 * max))
return ms`;

/** `downFor` of the fleet's outage gate: the ms until endpoint KEYS[1] may be tried (0: not down). */
export const outageDownFor = `local t = redis.call('TIME')
local now = t[1] * 1000 + t[2] / 1000
local u = tonumber(redis.call('HGET', KEYS[1], 'until') or '')
if not u or u <= now then return 0 end
return math.ceil(u - now)`;

/** `recovered` of the fleet's outage gate: the endpoint answered, its streak ends. */
export const outageRecovered = `return redis.call('DEL', KEYS[1])`;
