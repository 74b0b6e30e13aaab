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
