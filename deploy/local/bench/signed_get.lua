-- GET BENCH_PATH, signed with one of BENCH_TOKENS (space-separated; several learners at once),
-- chosen per request; BENCH_ACCEPT_ENCODING, if set, is sent as Accept-Encoding.
local path = os.getenv("BENCH_PATH")
local encoding = os.getenv("BENCH_ACCEPT_ENCODING")
local tokens = {}
for t in string.gmatch(os.getenv("BENCH_TOKENS") or "", "%S+") do tokens[#tokens + 1] = t end
local threads = 0
function setup(thread)
    threads = threads + 1
    thread:set("tid", threads)
end
function init(args)
    math.randomseed(os.time() + 7919 * (tid or 0))
end
function request()
    local headers = {}
    if #tokens > 0 then headers["Authorization"] = "Bearer " .. tokens[math.random(#tokens)] end
    if encoding then headers["Accept-Encoding"] = encoding end
    return wrk.format("GET", path, headers)
end
