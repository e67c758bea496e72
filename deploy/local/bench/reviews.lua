-- POST /api/v1/reviews: a random card of the learner per request, a fresh client_review_id.
-- BENCH_TOKEN (bearer), BENCH_CARDS (file of card ids, one a line), BENCH_RUN (unique per run).
local token = os.getenv("BENCH_TOKEN")
local run = os.getenv("BENCH_RUN") or tostring(os.time())
local ids = {}
for line in io.lines(os.getenv("BENCH_CARDS")) do ids[#ids + 1] = line end
local threads = 0
function setup(thread)
    threads = threads + 1
    thread:set("tid", threads)
end
local counter = 0
function init(args)
    math.randomseed(os.time() + 7919 * (tid or 0))
end
function request()
    counter = counter + 1
    local body = string.format(
        '{"card_id":"%s","rating":%d,"reviewed_at":"%s","duration_ms":2000,"client_review_id":"wrk-%s-%d-%d"}',
        ids[math.random(#ids)], math.random(2, 4), os.date("!%Y-%m-%dT%H:%M:%SZ"), run, tid or 0, counter)
    return wrk.format("POST", "/api/v1/reviews",
        { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, body)
end
