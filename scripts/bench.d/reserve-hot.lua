-- Workload H: always First-Test, qty 1.
wrk.method = "POST"
wrk.path = "/servlets/services/reservation/10010"
wrk.headers["Authorization"] = "Basic dGplMDpUamUw" -- tje0:Tje0, the demo user
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"lifetime":600,"items":[{"id":"First-Test","qty":1}]}'
