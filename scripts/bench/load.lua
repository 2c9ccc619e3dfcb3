-- wrk script for scripts/bench-load: each request is a line of the file given after `--`,
-- "METHOD PATH CREDENTIAL [JSON BODY]", picked at random, where the credential is an API
-- token or, for a page, "session=" and a page session's id; at the end one line:
-- requests, requests/s, p50 ms, p95 ms, p99 ms, answers not 2xx, answers 5xx.
--
-- METHOD "SAVE" saves one part of a draft assessment (PATH the assessment's) as an editor
-- does: on the ETag it last read, or, with none, by reading the assessment first. Each
-- answer names its episode and carries the ETag the next save of it sends as If-Match; a
-- conflict (412) forgets what this thread read, so that its next saves read again.
local lines = {}
local threads = {}
local etags = {}

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
    if r[1] == "SAVE" then
        local etag = etags[r[2]:lower()]
        if not etag then return wrk.format("GET", r[2], headers, nil) end
        headers["If-Match"] = etag
        return wrk.format("PATCH", r[2] .. "/parts/conclusions", headers, body)
    end
    return wrk.format(r[1], r[2], headers, body)
end

function response(status, headers, body)
    if status >= 300 then refused = refused + 1 end
    if status >= 500 then failed = failed + 1 end
    if status == 412 then etags = {} end
    if status ~= 200 then return end
    for name, value in pairs(headers) do
        -- An assessment's ETag ("v3-1.2.1.1.1.1"), not another record's version.
        if name:lower() == "etag" and value:match('^"v%d+%-') then
            local episode = body:match('"episodeId":"([^"]+)"')
            if episode then etags["/api/v1/episodes/" .. episode:lower() .. "/assessment"] = value end
        end
    end
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
