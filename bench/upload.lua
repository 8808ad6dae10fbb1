-- wrk script of the "upload" shape in bench/run: every request is a POST of 256 KiB to the
-- URL's path (/upload), which the origin answers with 5 bytes. wrk adds the Content-Length.
wrk.method = "POST"
wrk.body = string.rep("x", 256 * 1024)
wrk.headers["Content-Type"] = "application/octet-stream"
