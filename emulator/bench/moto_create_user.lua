-- wrk script: IAM CreateUser against moto's server, a new user name on every request.
-- Each wrk thread numbers its own requests; the thread's id keeps names apart across threads.
local counter = 0
local threads = {}

function setup(thread)
   thread:set("thread_id", #threads)
   table.insert(threads, thread)
end

request = function()
   counter = counter + 1
   local body = "Action=CreateUser&Version=2010-05-08&UserName=bench-" .. thread_id .. "-" .. counter
   return wrk.format("POST", "/", {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0",
   }, body)
end

-- A refused run must never read as a fast one: wrk counts answers that are not 2xx/3xx.
done = function(summary, latency, requests)
   io.write(string.format("non-2xx answers: %d\n", summary.errors.status))
end
