//! The queue's Lua scripts. Each state change of a job is one script, so it is atomic: a crash
//! can never leave a job acknowledged but not recorded, or recorded but lost.

/// KEYS: job hash, stream. ARGV: envelope, kind, owner, now_ms, max_attempts.
/// Returns 1 when created, 0 when a job with this id exists already.
pub const ENQUEUE: &str = r#"
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'kind', ARGV[2], 'owner', ARGV[3], 'status', 'queued',
  'attempts', 0, 'max_attempts', ARGV[5], 'deliveries', 0,
  'created_at', ARGV[4], 'updated_at', ARGV[4])
redis.call('XADD', KEYS[2], '*', 'job', ARGV[1])
return 1
"#;

/// Promotes due retries into the stream, then claims entries idle longer than the queue's
/// visibility timeout (their worker died or paused) for this consumer. The timeout is the one
/// stored with the queue (`settings` hash), so workers configured differently agree on it.
/// KEYS: stream, delayed zset, settings hash. ARGV: group, consumer, now_ms, fallback
/// min_idle_ms, count.
/// Returns a flat list: entry id, job field (empty when missing), …
pub const MAINTAIN: &str = r#"
local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[3], 'LIMIT', 0, 100)
for _, member in ipairs(due) do
  redis.call('XADD', KEYS[1], '*', 'job', member)
  redis.call('ZREM', KEYS[2], member)
end
local out = {}
local min_idle = redis.call('HGET', KEYS[3], 'visibility_ms') or ARGV[4]
local claimed = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], min_idle, '0-0', 'COUNT', ARGV[5])
for _, entry in ipairs(claimed[2]) do
  if entry and entry[1] then
    local job = ''
    local fields = entry[2]
    if fields then
      for i = 1, #fields, 2 do
        if fields[i] == 'job' then job = fields[i + 1] end
      end
    end
    table.insert(out, entry[1])
    table.insert(out, job)
  end
end
return out
"#;

/// Marks a delivered job running. KEYS: job hash, stream. ARGV: group, entry id, now_ms,
/// consumer, max_attempts. Returns the delivery count, which is also the delivery's token (the
/// fence every later outcome must show), -1 when the job already finished
/// (a duplicate delivery: acknowledged and dropped), or -2 when it has been delivered too many
/// times without finishing (the caller buries it).
pub const START: &str = r#"
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'succeeded' or status == 'failed' or status == 'dead' then
  redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
  redis.call('XDEL', KEYS[2], ARGV[2])
  return -1
end
local deliveries = redis.call('HINCRBY', KEYS[1], 'deliveries', 1)
local attempts = tonumber(redis.call('HGET', KEYS[1], 'attempts') or '0')
if deliveries - attempts > tonumber(ARGV[5]) then return -2 end
redis.call('HSET', KEYS[1], 'status', 'running', 'updated_at', ARGV[3], 'worker', ARGV[4],
  'token', deliveries)
redis.call('HDEL', KEYS[1], 'next_attempt_at')
return deliveries
"#;

/// The outcome scripts below are fenced: they change nothing and return 0 unless the job is
/// running under the delivery token they are given (a stale worker's late outcome is refused).
///
/// KEYS: job hash, stream. ARGV: group, entry id, result, now_ms, attempts, ttl_s, token.
pub const SUCCEED: &str = r#"
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[7] or
   redis.call('HGET', KEYS[1], 'status') ~= 'running' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'succeeded', 'result', ARGV[3], 'updated_at', ARGV[4],
  'attempts', ARGV[5])
redis.call('HDEL', KEYS[1], 'last_error')
redis.call('EXPIRE', KEYS[1], ARGV[6])
redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[2], ARGV[2])
return 1
"#;

/// KEYS: job hash, stream, delayed zset. ARGV: group, entry id, next envelope, due_ms, error,
/// now_ms, attempts, token, deliveries delta (0 for a retry, -1 for a postponement, which
/// spends no delivery).
pub const RETRY: &str = r#"
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[8] or
   redis.call('HGET', KEYS[1], 'status') ~= 'running' then return 0 end
redis.call('HINCRBY', KEYS[1], 'deliveries', tonumber(ARGV[9]))
redis.call('HSET', KEYS[1], 'status', 'queued', 'last_error', ARGV[5], 'updated_at', ARGV[6],
  'attempts', ARGV[7], 'next_attempt_at', ARGV[4])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[3])
redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[2], ARGV[2])
return 1
"#;

/// KEYS: job hash (may be a placeholder when the job id is unknown), stream, dead stream.
/// ARGV: group, entry id, status, reason, job id ('' when unknown), kind, raw message, now_ms,
/// attempts, ttl_s, token ('' for a message that never started: unusable, or delivered too
/// often).
pub const BURY: &str = r#"
if ARGV[11] ~= '' and (redis.call('HGET', KEYS[1], 'token') ~= ARGV[11] or
   redis.call('HGET', KEYS[1], 'status') ~= 'running') then return 0 end
if ARGV[5] ~= '' then
  redis.call('HSET', KEYS[1], 'status', ARGV[3], 'last_error', ARGV[4], 'updated_at', ARGV[8],
    'attempts', ARGV[9])
  redis.call('EXPIRE', KEYS[1], ARGV[10])
end
redis.call('XADD', KEYS[3], '*', 'job_id', ARGV[5], 'kind', ARGV[6], 'reason', ARGV[4],
  'raw', ARGV[7], 'dead_at', ARGV[8])
redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[2], ARGV[2])
return 1
"#;

/// Hands an unfinished job back (worker shutting down): a fresh stream entry, this delivery
/// not counted. KEYS: job hash, stream. ARGV: group, entry id, envelope, now_ms, token.
pub const RELEASE: &str = r#"
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[5] or
   redis.call('HGET', KEYS[1], 'status') ~= 'running' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'queued', 'updated_at', ARGV[4])
redis.call('HINCRBY', KEYS[1], 'deliveries', -1)
redis.call('XADD', KEYS[2], '*', 'job', ARGV[3])
redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[2], ARGV[2])
return 1
"#;

/// KEYS: dead stream, stream, job hash. ARGV: dead entry id, envelope, now_ms, kind,
/// max_attempts.
/// Returns 0 when the dead entry is gone (already requeued by someone else).
pub const REQUEUE: &str = r#"
if redis.call('XDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[3], 'status', 'queued', 'attempts', 0, 'deliveries', 0,
  'updated_at', ARGV[3], 'kind', ARGV[4], 'max_attempts', ARGV[5])
redis.call('HSETNX', KEYS[3], 'created_at', ARGV[3])
redis.call('HDEL', KEYS[3], 'result', 'next_attempt_at')
redis.call('PERSIST', KEYS[3])
redis.call('XADD', KEYS[2], '*', 'job', ARGV[2])
return 1
"#;

/// KEYS: stream, delayed zset, dead stream. ARGV: group.
/// Returns ready, in flight, delayed, dead.
pub const STATS: &str = r#"
local length = redis.call('XLEN', KEYS[1])
local pending = 0
local ok, summary = pcall(redis.call, 'XPENDING', KEYS[1], ARGV[1])
if ok and summary then pending = tonumber(summary[1]) or 0 end
return {length - pending, pending, redis.call('ZCARD', KEYS[2]), redis.call('XLEN', KEYS[3])}
"#;
