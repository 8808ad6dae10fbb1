#!/usr/bin/env python3
"""Small helpers for bench/run: HTTP probes, wrk output parsing, medians and the report.

Standard library only, so Debian's python3 is enough. Subcommands:
  ports-free PORT...         exit 1 (naming the port) if anything already listens on one
  get URL [--expect-body B] [--expect-size N] [--post-size N] [--header K:V] [--expect-chunked]
      [--expect-status N] [--expect-header NAME] [--expect-header-prefix "NAME: PREFIX"]
                             one GET (a POST of N bytes with --post-size); prints "STATUS BODY"
                             (and "[name: value]" per expected header); exit 1 unless 2xx and
                             the body (its size, its chunked framing, its headers, a header's
                             value's start) fits; with --expect-status, unless that status (the
                             body is not checked)
  wait-ready URL SECONDS [--pid P] [--header K:V]  poll GET URL until it answers 2xx; exit 1 on
                             timeout
  upstream-conns PORT PID... established connections from these processes to 127.0.0.1:PORT
  stub-accepts URL           nginx stub_status: prints "accepts active requests"
  json-doc FILE SIZE         write a JSON document of exactly SIZE bytes (product records, a
                             fixed seed) to FILE: the compression shapes' answer
  count-requests FILE...     completed requests summed over wrk outputs
  count-load URL --requests N [--connections C] [--header K:V] [--seconds S]
                             exactly N keep-alive GETs over C connections (wrk's request: the
                             request line, Host, the headers), each sent when its connection's
                             last answer is in; prints "ANSWERED OK2XX SECONDS" and exits 1
                             unless all N were answered with a 2xx within S seconds
  latency-load URL --requests N [--warmup W] [--connections C] [--header K:V] [--seconds S]
      [--runs FILE --shape S --target T --round R]
                             a closed loop at low load: W unrecorded, then N recorded GETs
                             (count-load's request) over C keep-alive connections (default 1),
                             each sent when its connection's last answer is in, each one's
                             latency (send to whole answer) taken with perf_counter_ns; prints
                             p50/p90/p99/p99.9, appends a JSON line to FILE with --runs; exit 1
                             unless all W + N were answered with a 2xx within S seconds
  instr-record ...           read callgrind's dump of one instruction run (its Ir), append it
                             as a JSON line, print a summary line
  record ...                 parse one wrk run, append it as a JSON line, print a summary line
  summarize RUNS OUT ...     medians per shape and target, ratios, tables on stdout, JSON to
                             OUT (bench/report.py); exit 1 if a target failed to serve (a
                             skipped one does not count)
"""

import argparse
import gc
import gzip
import http.client
import json
import os
import re
import selectors
import socket
import sys
import time
import urllib.parse
import zlib

import report  # bench/report.py, beside this file

def _split(url):
    u = urllib.parse.urlsplit(url)
    return u.hostname, u.port or 80, (u.path or "/") + (("?" + u.query) if u.query else "")


def http_get(url, timeout=2.0, method="GET", body=None, headers=None):
    host, port, path = _split(url)
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        answer = resp.read()
        return resp.status, answer, dict(resp.getheaders())
    finally:
        conn.close()


def cmd_ports_free(args):
    busy = []
    for p in args.ports:
        with socket.socket() as s:
            s.settimeout(0.5)
            if s.connect_ex(("127.0.0.1", int(p))) == 0:
                busy.append(p)
    if busy:
        print("already in use on 127.0.0.1: " + " ".join(busy), file=sys.stderr)
        return 1
    return 0


def headers_of(pairs):
    """["Name: value", ...] (or "Name:value") as a dict."""
    return {k.strip(): v.strip() for k, v in (h.split(":", 1) for h in pairs)}


def cmd_get(args):
    method = "GET" if args.post_size is None else "POST"
    body = None if args.post_size is None else b"x" * args.post_size
    headers = headers_of(args.header)
    try:
        status, answer, got = http_get(args.url, 10.0, method, body, headers)
    except (OSError, http.client.HTTPException) as e:
        print(f"{method} {args.url}: {e}")
        return 1
    text = answer.decode("utf-8", "replace")
    chunked = any(k.lower() == "transfer-encoding" and "chunked" in v.lower()
                  for k, v in got.items())
    prefixes = headers_of(args.expect_header_prefix)  # name -> what its value starts with
    shown_headers = {"x-gw-error", *(h.lower() for h in args.expect_header),
                     *(h.lower() for h in prefixes)}
    extra = "".join(f" [{k}: {v}]" for k, v in got.items() if k.lower() in shown_headers)
    shown = repr(text) if len(answer) <= 64 else f"<{len(answer)} bytes>"
    print(f"{status} {shown}{' chunked' if chunked else ''}{extra}")
    if args.expect_status is not None:
        return 0 if status == args.expect_status else 1
    if not 200 <= status < 300:
        return 1
    if args.expect_body is not None and text != args.expect_body:
        return 1
    if args.expect_size is not None and len(answer) != args.expect_size:
        return 1
    encoding = next((v.strip().lower() for k, v in got.items()
                     if k.lower() == "content-encoding"), None)
    if args.expect_identity_file is not None:
        # The file as it is: no Content-Encoding, byte for byte.
        with open(args.expect_identity_file, "rb") as f:
            want = f.read()
        if encoding not in (None, "identity"):
            print(f"the answer is sent in Content-Encoding {encoding}, not as it is")
            return 1
        if answer != want:
            print(f"the answer ({len(answer)} bytes) is not the {len(want)}-byte file")
            return 1
        print(f"sent as it is: {len(answer)} bytes")
    if args.expect_gunzip_file is not None:
        # gzip that unpacks to the file, byte for byte (the Content-Encoding itself is checked
        # with --expect-header-prefix).
        with open(args.expect_gunzip_file, "rb") as f:
            want = f.read()
        if encoding != "gzip":
            print("no Content-Encoding header starting with 'gzip' in the answer "
                  f"(Content-Encoding {encoding or 'none'}, {len(answer)} bytes)")
            return 1
        try:
            unpacked = gzip.decompress(answer)
        except (OSError, EOFError, zlib.error) as e:
            print(f"the answer ({len(answer)} bytes, Content-Encoding {encoding}) does not "
                  f"gunzip: {e}")
            return 1
        if unpacked != want:
            print(f"the answer gunzips to {len(unpacked)} bytes, not the {len(want)}-byte file")
            return 1
        print(f"gzip: {len(answer)} bytes sent, {len(unpacked)} unpacked "
              f"({len(answer) / len(unpacked):.3f} of the size)")
    if args.expect_chunked and not chunked:
        print("the answer is not sent chunked")
        return 1
    names = {k.lower() for k in got}
    missing = [h for h in args.expect_header if h.lower() not in names]
    if missing:
        print("no " + ", ".join(missing) + " header in the answer")
        return 1
    values = {k.lower(): v for k, v in got.items()}
    for name, prefix in prefixes.items():
        value = values.get(name.lower())
        if value is None or not value.lower().startswith(prefix.lower()):
            print(f"no {name} header starting with '{prefix}' in the answer")
            return 1
    return 0


def cmd_wait_ready(args):
    deadline = time.monotonic() + float(args.seconds)
    last = "no answer"
    while time.monotonic() < deadline:
        if args.pid and not os.path.exists(f"/proc/{args.pid}"):
            print(f"process {args.pid} exited before {args.url} was ready", file=sys.stderr)
            return 1
        try:
            status, body, _ = http_get(args.url, timeout=1.0, headers=headers_of(args.header))
            if 200 <= status < 300:
                return 0
            last = f"{status} {body[:200]!r}"
        except OSError as e:
            last = str(e)
        time.sleep(0.1)
    print(f"not ready after {args.seconds}s: {args.url}: {last}", file=sys.stderr)
    return 1


def stub_status(url):
    """nginx stub_status: connections accepted, active now, requests read (each counts itself)."""
    _, body, _ = http_get(url)
    text = body.decode()
    active = int(re.search(r"Active connections:\s*(\d+)", text).group(1))
    m = re.search(r"\n\s*(\d+)\s+\d+\s+(\d+)", text)
    return int(m.group(1)), active, int(m.group(2))


def cmd_upstream_conns(args):
    """Established TCP connections from the given processes to 127.0.0.1:PORT."""
    inodes = set()
    for pid in args.pids:
        fd_dir = f"/proc/{pid}/fd"
        try:
            names = os.listdir(fd_dir)
        except OSError:
            continue
        for name in names:
            try:
                link = os.readlink(f"{fd_dir}/{name}")
            except OSError:
                continue
            if link.startswith("socket:["):
                inodes.add(link[8:-1])
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table, encoding="ascii") as f:
                next(f)
                for line in f:
                    cols = line.split()
                    if cols[3] == "01" and int(cols[2].rsplit(":", 1)[1], 16) == int(args.port) \
                            and cols[9] in inodes:
                        count += 1
        except OSError:
            pass
    print(count)
    return 0


def cmd_stub_accepts(args):
    try:
        accepts, active, requests = stub_status(args.url)
    except (OSError, AttributeError, ValueError):
        print("-1 -1 -1")
        return 0
    print(f"{accepts} {active} {requests}")
    return 0


_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


def _ms(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not m:
        return None
    return float(m.group(1)) * _UNIT_MS[m.group(2)]


def parse_wrk(text):
    out = {"requests": 0, "rps": 0.0, "p50_ms": None, "p99_ms": None, "non2xx": 0,
           "socket_errors": {"connect": 0, "read": 0, "write": 0, "timeout": 0}}
    m = re.search(r"(\d+) requests in ([\d.]+\w+)", text)
    if m:
        out["requests"] = int(m.group(1))
    m = re.search(r"Requests/sec:\s*([\d.]+)", text)
    if m:
        out["rps"] = float(m.group(1))
    for pct, key in (("50", "p50_ms"), ("99", "p99_ms")):
        m = re.search(r"^\s*" + pct + r"%\s+(\S+)", text, re.M)
        if m:
            out[key] = _ms(m.group(1))
    m = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", text)
    if m:
        out["non2xx"] = int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        out["socket_errors"] = dict(zip(("connect", "read", "write", "timeout"),
                                        map(int, m.groups())))
    return out


def cmd_count_requests(args):
    total = 0
    for name in args.files:
        try:
            with open(name, encoding="utf-8", errors="replace") as f:
                total += parse_wrk(f.read())["requests"]
        except OSError:
            pass
    print(total)
    return 0


class _LoadConn:
    """One keep-alive connection of count-load: a request out, its answer in, again."""

    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port), timeout=10)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.setblocking(False)
        self.buf = b""

    def answer(self):
        """The status of the answer complete in the buffer (taken from it), or None."""
        end = self.buf.find(b"\r\n\r\n")
        if end < 0:
            return None
        head = self.buf[:end].decode("latin-1")
        lines = head.split("\r\n")
        length = None
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
            elif name.strip().lower() == "transfer-encoding":
                if value.strip().lower() != "chunked":
                    raise ValueError(f"an answer in Transfer-Encoding {value.strip()}")
                return self._chunked(end + 4, int(lines[0].split()[1]))
        if length is None:
            raise ValueError("an answer without a Content-Length")
        if len(self.buf) < end + 4 + length:
            return None
        self.buf = self.buf[end + 4 + length:]
        return int(lines[0].split()[1])


    def _chunked(self, pos, status):
        """A chunked answer whose body starts at pos (a compressing proxy's, of unknown length):
        its status once its last chunk (and the empty trailer) is in the buffer, else None."""
        while True:
            eol = self.buf.find(b"\r\n", pos)
            if eol < 0:
                return None
            size = int(self.buf[pos:eol].split(b";", 1)[0], 16)
            if size == 0:
                if self.buf.find(b"\r\n\r\n", eol) != eol:
                    if len(self.buf) < eol + 4:
                        return None
                    raise ValueError("a chunked answer with trailer fields")
                self.buf = self.buf[eol + 4:]
                return status
            pos = eol + 2 + size + 2
            if len(self.buf) < pos:
                return None


def cmd_count_load(args):
    """A load bounded by its count of requests, not by time (wrk's), for the instruction rows:
    every request of it is answered before it returns, so none is left in flight."""
    host, port, path = _split(args.url)
    request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
               + "".join(f"{k}: {v}\r\n" for k, v in headers_of(args.header).items())
               + "\r\n").encode()
    sel = selectors.DefaultSelector()
    sent = answered = ok = 0
    start = time.monotonic()
    deadline = start + args.seconds
    error = ""
    try:
        for _ in range(min(args.connections, args.requests)):
            c = _LoadConn(host, port)
            sel.register(c.sock, selectors.EVENT_READ, c)
            c.sock.sendall(request)
            sent += 1
        while answered < args.requests:
            left = deadline - time.monotonic()
            if left <= 0:
                error = f"not done after {args.seconds}s"
                break
            for key, _ in sel.select(min(left, 1.0)):
                c = key.data
                data = c.sock.recv(65536)
                if not data:
                    raise ConnectionError("the proxy closed a connection")
                c.buf += data
                while (status := c.answer()) is not None:
                    answered += 1
                    ok += 200 <= status < 300
                    if sent < args.requests:
                        c.sock.sendall(request)
                        sent += 1
    except (OSError, ValueError) as e:
        error = str(e) or type(e).__name__
    finally:
        for key in list(sel.get_map().values()):
            key.fileobj.close()
    print(f"{answered} {ok} {time.monotonic() - start:.2f}")
    if error:
        print(f"count-load {args.url}: {error}", file=sys.stderr)
    return 0 if ok == args.requests else 1


def percentile(sorted_vals, q):
    """Nearest-rank percentile of an ascending list: the smallest value with at least q of the
    values at or below it."""
    if not sorted_vals:
        return None
    rank = max(1, -(-len(sorted_vals) * q // 1))  # ceil(n * q), at least 1
    return sorted_vals[min(len(sorted_vals), int(rank)) - 1]


LATENCY_PERCENTILES = (("p50", 0.50), ("p90", 0.90), ("p99", 0.99), ("p999", 0.999))


def _latency_one_conn(host, port, request, total, deadline, lat):
    """One connection, blocking: send, read the whole answer, again; the least the client can
    add per request (no selector between the answer and the next request)."""
    c = _LoadConn(host, port)
    c.sock.setblocking(True)
    c.sock.settimeout(max(0.1, deadline - time.monotonic()))
    clock = time.perf_counter_ns
    answered = ok = 0
    try:
        while answered < total:
            t0 = clock()
            c.sock.sendall(request)
            while (status := c.answer()) is None:
                data = c.sock.recv(65536)
                if not data:
                    raise ConnectionError("the proxy closed the connection")
                c.buf += data
            lat.append(clock() - t0)
            answered += 1
            ok += 200 <= status < 300
            if c.buf:
                raise ValueError("bytes after an answer, before the next request")
            if (answered & 1023) == 0 and time.monotonic() > deadline:
                raise TimeoutError("out of time")
    finally:
        c.sock.close()
    return answered, ok


def _latency_many_conns(host, port, request, total, conns, deadline, lat):
    """C connections, each a closed loop of its own, through one selector."""
    sel = selectors.DefaultSelector()
    clock = time.perf_counter_ns
    sent = answered = ok = 0
    try:
        for _ in range(min(conns, total)):
            c = _LoadConn(host, port)
            sel.register(c.sock, selectors.EVENT_READ, c)
            c.t0 = clock()
            c.sock.sendall(request)
            sent += 1
        while answered < total:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("out of time")
            for key, _ in sel.select(min(left, 1.0)):
                c = key.data
                data = c.sock.recv(65536)
                if not data:
                    raise ConnectionError("the proxy closed a connection")
                c.buf += data
                while (status := c.answer()) is not None:
                    lat.append(clock() - c.t0)
                    answered += 1
                    ok += 200 <= status < 300
                    if sent < total:
                        c.t0 = clock()
                        c.sock.sendall(request)
                        sent += 1
    finally:
        for key in list(sel.get_map().values()):
            key.fileobj.close()
    return answered, ok


def cmd_latency_load(args):
    """Per-request latency at a load well below saturation: a closed loop over a few kept-alive
    connections (one by default), so a request never waits behind another of its own; the
    first --warmup answers are dropped, the next --requests recorded."""
    host, port, path = _split(args.url)
    request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
               + "".join(f"{k}: {v}\r\n" for k, v in headers_of(args.header).items())
               + "\r\n").encode()
    total = args.warmup + args.requests
    lat = []
    answered = ok = 0
    error = ""
    start = time.monotonic()
    deadline = start + args.seconds
    gc.disable()  # no collector pause inside a measured request
    try:
        if args.connections == 1:
            answered, ok = _latency_one_conn(host, port, request, total, deadline, lat)
        else:
            answered, ok = _latency_many_conns(host, port, request, total, args.connections,
                                               deadline, lat)
    except (OSError, ValueError) as e:  # TimeoutError and ConnectionError are OSErrors
        error = str(e) or type(e).__name__
        answered = len(lat)
    finally:
        gc.enable()
    seconds = time.monotonic() - start
    measured = sorted(lat[args.warmup:])
    rec = {
        "kind": "latency",
        "shape": args.shape,
        "target": args.target,
        "round": args.round,
        "connections": args.connections,
        "warmup": args.warmup,
        "requests_asked": args.requests,
        "requests": len(measured),
        "answered": answered,
        "answered_ok": ok,
        "seconds": seconds,
        "rps": answered / seconds if seconds > 0 else None,
        # µs, from the request's first byte sent to its answer's last byte read
        **{f"{name}_us": (percentile(measured, q) / 1000.0 if measured else None)
           for name, q in LATENCY_PERCENTILES},
        "mean_us": (sum(measured) / len(measured) / 1000.0) if measured else None,
        "max_us": (measured[-1] / 1000.0) if measured else None,
    }
    rec["ok"] = bool(ok == total and len(measured) == args.requests and not error)
    if error:
        rec["error"] = error
    if args.runs:
        with open(args.runs, "a", encoding="utf-8") as f:
            f.write(json.dumps(rec) + "\n")

    def us(v):
        return "-" if v is None else f"{v:.1f}"

    rps = "-" if rec["rps"] is None else f"{rec['rps']:.0f}"

    print(f"  {args.shape or '-':<7} {args.target or '-':<8} latency {args.round}: "
          f"p50 {us(rec['p50_us'])} µs, p90 {us(rec['p90_us'])} µs, p99 {us(rec['p99_us'])} µs, "
          f"p99.9 {us(rec['p999_us'])} µs, max {us(rec['max_us'])} µs over {len(measured)} "
          f"requests ({ok} 2xx of {total} with the warm-up, {args.connections} "
          f"connection{'s' if args.connections > 1 else ''}, "
          f"{rps} req/s)"
          + ("" if rec["ok"] else "  << FAILED" + (f": {error}" if error else "")))
    return 0 if rec["ok"] else 1


def cmd_record(args):
    with open(args.wrk_out, encoding="utf-8", errors="replace") as f:
        w = parse_wrk(f.read())
    req = w["requests"]
    ticks = args.cpu_after - args.cpu_before
    oticks = args.origin_cpu_after - args.origin_cpu_before
    per_tick_us = 1e6 / args.clk_tck
    # Requests the origin read during the run (its own status probe excluded): for a proxy,
    # the requests it let through. Equal to the completed ones, but for those still in flight
    # when wrk stopped: a handful among many, unless the proxy answers its connections in
    # waves of seconds (bcrypt per request), when most checked requests are still unanswered.
    passed = (args.origin_requests_after - args.origin_requests_before - 1) \
        if args.origin_requests_before >= 0 and args.origin_requests_after >= 0 else None
    per_passed = (ticks * per_tick_us / passed) if passed and ticks >= 0 else None
    per_completed = (ticks * per_tick_us / req) if req and ticks >= 0 else None
    counted = passed if args.per_passed else req  # what the CPU figures are per
    rec = {
        "shape": args.shape,
        "connections": args.connections,
        "target": args.target,
        "round": args.round,
        **w,
        "socket_errors_total": sum(w["socket_errors"].values()),
        # A process that exited mid-run reads as zero ticks: no figure then. Per completed
        # request; with --per-passed (the auth shapes), per request let through to the origin.
        "cpu_us_per_req": per_passed if args.per_passed else per_completed,
        "cpu_per": "passed" if args.per_passed else "completed",
        "cpu_us_per_passed": per_passed,
        "requests_passed": passed,
        "cpu_s": ticks / args.clk_tck,
        # The user-space part of that CPU (the rest is the kernel's: sockets, epoll): what the
        # instruction rows' ratio, user space only, is scaled by to read as a CPU ratio.
        "cpu_user_share": (args.cpu_user_after - args.cpu_user_before) / ticks
        if ticks > 0 and args.cpu_user_before >= 0 and args.cpu_user_after >= 0 else None,
        "rss_mib": args.rss_kb / 1024.0 if args.rss_kb > 0 else None,
        # Under 1,000 requests (bcrypt per request) a tick is over 10 µs each: no figure then.
        "origin_cpu_us_per_req": (oticks * per_tick_us / counted)
        if counted and counted >= 1000 and oticks >= 0 else None,
        # New connections the origin accepted during the run (its own status probe excluded):
        # for a proxy, upstream connects; near zero once its keep-alive pool is warm.
        "origin_accepts": (args.accepts_after - args.accepts_before - 1)
        if args.accepts_before >= 0 and args.accepts_after >= 0 else None,
        # Connections the proxy held open to the origin mid-run.
        "upstream_conns": args.upstream_conns if args.upstream_conns >= 0 else None,
        "alive_after": bool(args.alive),
    }
    # With --per-passed a run may end before its first answer (a proxy that runs bcrypt for
    # 50 connections before it answers the first): the checked requests count then.
    served = req > 0 or (args.per_passed and bool(passed))
    rec["ok"] = bool(served and rec["non2xx"] == 0 and rec["socket_errors_total"] == 0
                     and rec["alive_after"])
    with open(args.runs, "a", encoding="utf-8") as f:
        f.write(json.dumps(rec) + "\n")

    def fmt(v, spec):
        return "-" if v is None else spec.format(v)

    print(f"  {args.shape:<7} {args.target:<8} round {args.round}: {fmt(rec['rps'], '{:.0f}')} req/s, "
          f"p50 {fmt(rec['p50_ms'], '{:.3f}')} ms, p99 {fmt(rec['p99_ms'], '{:.3f}')} ms, "
          f"{fmt(rec['cpu_us_per_req'], '{:.1f}')} µs/req"
          + (f" (per request passed: {req} answered, {fmt(passed, '{}')} passed)"
             if args.per_passed else "")
          + f", RSS {fmt(rec['rss_mib'], '{:.1f}')} MiB, "
          f"non-2xx {rec['non2xx']}, socket errors {rec['socket_errors_total']}, "
          f"origin accepts {fmt(rec['origin_accepts'], '{}')}"
          + ("" if rec["ok"] else "  << FAILED"))
    return 0


def callgrind_total(path):
    """The Ir (instructions executed) of a callgrind dump: its summary line, the first event."""
    events, total = None, None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("events:"):
                events = line.split()[1:]
            elif line.startswith("summary:"):
                total = int(line.split()[1])
    if events is None or total is None or events[0] != "Ir":
        raise ValueError(f"{path}: no Ir summary")
    return total


def cmd_instr_record(args):
    """One instruction run: gw under callgrind, instrumented only while count-load sent its
    requests; Ir over the requests answered with a 2xx."""
    answered = ok = 0
    seconds = None
    try:
        with open(args.load_out, encoding="utf-8") as f:
            first = f.readline().split()
        answered, ok, seconds = int(first[0]), int(first[1]), float(first[2])
    except (OSError, IndexError, ValueError):
        pass
    try:
        instructions, error = callgrind_total(args.callgrind_out), None
    except (OSError, ValueError) as e:
        instructions, error = None, str(e)
    passed = (args.origin_requests_after - args.origin_requests_before - 1) \
        if args.origin_requests_before >= 0 and args.origin_requests_after >= 0 else None
    rec = {
        "kind": "instructions",
        "shape": args.shape,
        "target": args.target,
        "round": args.round,
        "connections": args.connections,
        "requests_asked": args.requests,
        "requests": answered,
        "requests_ok": ok,
        "requests_passed": passed,
        "seconds": seconds,
        "instructions": instructions,
        "instr_per_req": instructions / ok if instructions is not None and ok else None,
        "alive_after": bool(args.alive),
    }
    rec["ok"] = bool(ok == args.requests and instructions is not None and rec["alive_after"])
    if error:
        rec["error"] = error
    with open(args.runs, "a", encoding="utf-8") as f:
        f.write(json.dumps(rec) + "\n")
    per = "-" if rec["instr_per_req"] is None else f"{rec['instr_per_req']:.0f}"
    print(f"  {args.shape:<7} {args.target:<8} callgrind {args.round}: {per} instr/req "
          f"({'-' if instructions is None else instructions} Ir over {ok} 2xx of {args.requests}; "
          f"{'-' if passed is None else passed} passed, "
          f"{'-' if seconds is None else f'{seconds:.1f}'} s)"
          + ("" if rec["ok"] else "  << FAILED" + (f": {error}" if error else "")))
    return 0 if rec["ok"] else 1


def cmd_json_doc(args):
    """A JSON document of exactly SIZE bytes, the same every run (a fixed seed): an array of
    product records as an API sends them (ids, SKUs, names, prices, stock, tags, ratings,
    dates), moderately compressible (gzip level 5 makes about a fifth of it); the last record
    carries a note of words sized to make the total exact."""
    import random
    rnd = random.Random(20260101)
    adjectives = ["Compact", "Classic", "Deluxe", "Eco", "Ultra", "Smart", "Vintage", "Rugged",
                  "Portable", "Premium", "Basic", "Modular", "Wireless", "Ergonomic", "Silent"]
    nouns = ["Kettle", "Backpack", "Lamp", "Headphones", "Chair", "Blender", "Drill", "Tent",
             "Keyboard", "Monitor", "Jacket", "Watch", "Speaker", "Bicycle", "Notebook"]
    tags = ["sale", "new", "outdoor", "kitchen", "office", "gift", "eco", "bestseller",
            "limited", "refurbished", "bundle", "travel", "kids", "garden", "audio"]
    words = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
             "incididunt ut labore et dolore magna aliqua").split()
    currencies = ["EUR", "USD", "GBP", "CHF"]
    size = args.size
    head, tail = '{"items":[', ']}'
    items = []
    length = len(head) + len(tail)
    i = 0
    while True:
        i += 1
        item = json.dumps({
            "id": 100000 + i * 7 + rnd.randrange(7),
            "sku": f"SKU-{rnd.randrange(16 ** 6):06X}",
            "name": f"{rnd.choice(adjectives)} {rnd.choice(nouns)} {rnd.randrange(100, 999)}",
            "price": round(rnd.uniform(2, 900), 2),
            "currency": rnd.choice(currencies),
            "inStock": rnd.random() < 0.8,
            "quantity": rnd.randrange(0, 500),
            "tags": rnd.sample(tags, rnd.randrange(1, 4)),
            "rating": round(rnd.uniform(1, 5), 1),
            "updated": f"2026-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d}T"
                       f"{rnd.randrange(24):02d}:{rnd.randrange(60):02d}:00Z",
        }, separators=(",", ":"))
        # Room left for this record, and a last one with a note of at least a few bytes.
        last = f'{{"id":{100000 + (i + 1) * 7},"note":""}}'
        if length + len(item) + 1 + len(last) + 1 + 16 > size:
            break
        items.append(item)
        length += len(item) + 1
    left = size - length - len(last)
    note = ""
    while len(note) < left:
        note += rnd.choice(words) + " "
    items.append(last.replace('""', '"' + note[:left] + '"'))
    doc = (head + ",".join(items) + tail).encode()
    if len(doc) != size:
        print(f"json-doc: {len(doc)} bytes, not {size}", file=sys.stderr)
        return 1
    json.loads(doc)
    with open(args.file, "wb") as f:
        f.write(doc)
    return 0


def cmd_summarize(args):
    return report.summarize(args)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("ports-free")
    p.add_argument("ports", nargs="+")
    p.set_defaults(fn=cmd_ports_free)
    p = sub.add_parser("json-doc")
    p.add_argument("file")
    p.add_argument("size", type=int)
    p.set_defaults(fn=cmd_json_doc)
    p = sub.add_parser("get")
    p.add_argument("url")
    p.add_argument("--expect-body")
    p.add_argument("--expect-size", type=int)
    p.add_argument("--expect-chunked", action="store_true")
    p.add_argument("--post-size", type=int, help="POST this many bytes instead of a GET")
    p.add_argument("--header", action="append", default=[], help="NAME:VALUE, repeatable")
    p.add_argument("--expect-status", type=int, help="this status instead of a 2xx with the body")
    p.add_argument("--expect-header", action="append", default=[],
                   help="NAME, repeatable: the answer must carry that header")
    p.add_argument("--expect-identity-file",
                   help="the body is this file byte for byte, with no Content-Encoding")
    p.add_argument("--expect-gunzip-file", help="the body gunzips to this file byte for byte")
    p.add_argument("--expect-header-prefix", action="append", default=[],
                   help="NAME: PREFIX, repeatable: the answer must carry that header, its value "
                        "starting with PREFIX (case-insensitive)")
    p.set_defaults(fn=cmd_get)
    p = sub.add_parser("wait-ready")
    p.add_argument("url")
    p.add_argument("seconds")
    p.add_argument("--pid", help="give up as soon as this process has exited")
    p.add_argument("--header", action="append", default=[], help="NAME:VALUE, repeatable")
    p.set_defaults(fn=cmd_wait_ready)
    p = sub.add_parser("upstream-conns")
    p.add_argument("port")
    p.add_argument("pids", nargs="*")
    p.set_defaults(fn=cmd_upstream_conns)
    p = sub.add_parser("stub-accepts")
    p.add_argument("url")
    p.set_defaults(fn=cmd_stub_accepts)
    p = sub.add_parser("count-requests")
    p.add_argument("files", nargs="*")
    p.set_defaults(fn=cmd_count_requests)
    p = sub.add_parser("count-load")
    p.add_argument("url")
    p.add_argument("--requests", type=int, required=True)
    p.add_argument("--connections", type=int, default=4)
    p.add_argument("--header", action="append", default=[], help="NAME:VALUE, repeatable")
    p.add_argument("--seconds", type=float, default=300.0, help="give up after this long")
    p.set_defaults(fn=cmd_count_load)
    p = sub.add_parser("latency-load")
    p.add_argument("url")
    p.add_argument("--requests", type=int, required=True, help="recorded requests")
    p.add_argument("--warmup", type=int, default=0, help="requests sent first, not recorded")
    p.add_argument("--connections", type=int, default=1)
    p.add_argument("--header", action="append", default=[], help="NAME:VALUE, repeatable")
    p.add_argument("--seconds", type=float, default=300.0, help="give up after this long")
    p.add_argument("--runs", help="append the run as a JSON line to this file")
    p.add_argument("--shape", default="")
    p.add_argument("--target", default="")
    p.add_argument("--round", type=int, default=0)
    p.set_defaults(fn=cmd_latency_load)
    p = sub.add_parser("instr-record")
    p.add_argument("--runs", required=True)
    p.add_argument("--shape", required=True)
    p.add_argument("--target", required=True)
    p.add_argument("--round", type=int, required=True)
    p.add_argument("--connections", type=int, required=True)
    p.add_argument("--requests", type=int, required=True, help="requests count-load was asked for")
    p.add_argument("--load-out", required=True, help="count-load's output")
    p.add_argument("--callgrind-out", required=True, help="callgrind's dump after the load")
    p.add_argument("--origin-requests-before", type=int, default=-1)
    p.add_argument("--origin-requests-after", type=int, default=-1)
    p.add_argument("--alive", type=int, required=True)
    p.set_defaults(fn=cmd_instr_record)
    p = sub.add_parser("record")
    p.add_argument("--runs", required=True)
    p.add_argument("--shape", default="5b")
    p.add_argument("--connections", type=int, default=0)
    p.add_argument("--target", required=True)
    p.add_argument("--round", type=int, required=True)
    p.add_argument("--wrk-out", required=True)
    p.add_argument("--clk-tck", type=int, required=True)
    p.add_argument("--cpu-before", type=int, required=True)
    p.add_argument("--cpu-after", type=int, required=True)
    p.add_argument("--cpu-user-before", type=int, default=-1, help="utime alone, clock ticks")
    p.add_argument("--cpu-user-after", type=int, default=-1)
    p.add_argument("--origin-cpu-before", type=int, required=True)
    p.add_argument("--origin-cpu-after", type=int, required=True)
    p.add_argument("--rss-kb", type=int, required=True)
    p.add_argument("--accepts-before", type=int, required=True)
    p.add_argument("--accepts-after", type=int, required=True)
    p.add_argument("--upstream-conns", type=int, required=True)
    p.add_argument("--origin-requests-before", type=int, default=-1)
    p.add_argument("--origin-requests-after", type=int, default=-1)
    p.add_argument("--per-passed", action="store_true",
                   help="CPU µs/req per request the origin got, not per completed one")
    p.add_argument("--alive", type=int, required=True)
    p.set_defaults(fn=cmd_record)
    p = sub.add_parser("summarize")
    p.add_argument("runs")
    p.add_argument("out")
    p.add_argument("--targets", required=True)
    p.add_argument("--shapes", default="5b")
    p.add_argument("--shape-title", action="append", default=[], help="SHAPE=TITLE")
    p.add_argument("--shape-conns", action="append", default=[], help="SHAPE=CONNECTIONS")
    p.add_argument("--kv", action="append", default=[])
    p.add_argument("--note", action="append", default=[])
    p.add_argument("--failed", action="append", default=[])
    p.add_argument("--skipped", action="append", default=[], help="SHAPE/TARGET=WHY")
    p.add_argument("--feature-shape", action="append", default=[],
                   help="SHAPE=GROUP:PLAIN:BOUND[:P99_BOUND_MS]: read SHAPE's CPU µs/req (and "
                        "p99) against PLAIN's, per target, in GROUP's table; BOUND (may be "
                        "empty) is the issue's target for gw's CPU ratio, P99_BOUND_MS (may be "
                        "empty) for the p99 the feature adds to gw, in ms")
    p.add_argument("--feature-group", action="append", default=[],
                   help="GROUP=WHAT: the title of GROUP's table, what its shapes add to a route")
    p.add_argument("--group-target", action="append", default=[],
                   help="GROUP=TEXT: the issue's target for GROUP, printed under its table")
    p.add_argument("--feature-peer-cpu-bound", action="append", default=[],
                   help="SHAPE=PEER:RATIO: gw's CPU µs/req over PEER's in SHAPE, read against "
                        "RATIO (at or below)")
    p.add_argument("--feature-rps-floor", action="append", default=[],
                   help="SHAPE=RATIO: gw's req/s over gw-plain's in SHAPE, read against RATIO "
                        "(above)")
    p.set_defaults(fn=cmd_summarize)
    args = ap.parse_args()
    sys.exit(args.fn(args))


if __name__ == "__main__":
    main()
