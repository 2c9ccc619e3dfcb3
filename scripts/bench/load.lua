-- wrk script for scripts/bench-load: each request is a line of the file given after `--`,
-- "METHOD PATH CREDENTIAL [JSON BODY]", picked at random, where the credential is an API
-- token or, for a page, "session=" and a page session's id; at the end one line:
-- requests, requests/s, p50 ms, p95 ms, p99 ms, answers not 2xx, answers 5xx.
local lines = {}
local threads = {}

function setup(thread)
    thread:set("id", #threads + 1)
    table.insert(threads, thread)
end

function init(args)
    math.randomseed(os.time() * 100 + id)
    for line in io.lines(args[1]) do
        local method, path, token, body = line:match("^(%S+) (%S+) (%S+) ?(.*)$")
        table.insert(lines, { method, path, token, body })
    end
    refused, failed = 0, 0
end

function request()
    local r = lines[math.random(#lines)]
    local headers = {}
    local session = r[3]:match("^session=(.*)$")
    if session then
        headers["Cookie"] = "ecaf_session=" .. session
    else
        headers["Authorization"] = "Bearer " .. r[3]
    end
    local body = nil
    if r[4] ~= "" then
        headers["Content-Type"] = "application/json"
        body = r[4]
    end
    return wrk.format(r[1], r[2], headers, body)
end

function response(status, headers, body)
    if status >= 300 then refused = refused + 1 end
    if status >= 500 then failed = failed + 1 end
end

function done(summary, latency, requests)
    local notOK, errors = 0, 0
    for _, thread in ipairs(threads) do
        notOK = notOK + thread:get("refused")
        errors = errors + thread:get("failed")
    end
    io.write(string.format("RESULT %d %.0f %.1f %.1f %.1f %d %d %d\n", summary.requests,
        summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(95) / 1000,
        latency:percentile(99) / 1000, notOK, errors, summary.errors.connect + summary.errors.read
        + summary.errors.write + summary.errors.timeout))
end
