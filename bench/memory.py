#!/usr/bin/env python3
"""Memory per connection of one proxy, for bench/run: RSS growth of its processes.

  memory.py idle --port P --count N --pids PID... --runs FILE --target T --round R
      RSS before, then N kept-alive connections that each made one GET / and now sit idle;
      RSS again; (after - before) / N, in KiB per idle connection. The connections are opened
      BATCH at a time, so the proxy never holds more than BATCH requests (and so about as many
      upstream connections as under the bench's usual 50-connection load), and are reset
      (SO_LINGER 0) at the end so no port is left in TIME_WAIT.
  memory.py busy --port P --low 50 --high 1000 --seconds S --pids PID... --runs ...
      wrk -cLOW for S seconds, then wrk -cHIGH for S seconds (GET /, keep-alive); the highest
      RSS of each; (high - low) / (HIGH - LOW), in KiB per busy connection.

Each appends one JSON line to --runs and prints one line. Standard library only.
"""

import argparse
import json
import os
import re
import resource
import select
import socket
import subprocess
import sys
import time


def rss_kib(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def alive(pids):
    return all(os.path.exists(f"/proc/{p}") for p in pids)


def read_answer(sock):
    """Reads one whole answer (Content-Length or chunked); True on 2xx."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return False
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    m = re.search(rb"\r\ncontent-length:\s*(\d+)", head, re.I)
    if m:
        need = int(m.group(1))
        while len(body) < need:
            chunk = sock.recv(65536)
            if not chunk:
                return False
            body += chunk
    elif re.search(rb"\r\ntransfer-encoding:\s*chunked", head, re.I):
        while not body.endswith(b"0\r\n\r\n"):
            chunk = sock.recv(65536)
            if not chunk:
                return False
            body += chunk
    return 200 <= status < 300


def reset_close(sock):
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    except OSError:
        pass
    sock.close()


def cmd_idle(args):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < args.count + 64:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, args.count + 1024), hard))
    request = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    before = rss_kib(args.pids)
    socks = []
    failed = 0
    error = ""
    started = time.monotonic()
    try:
        while len(socks) + failed < args.count:
            batch = []
            for _ in range(min(args.batch, args.count - len(socks) - failed)):
                s = socket.socket()
                s.settimeout(10)
                try:
                    s.connect(("127.0.0.1", args.port))
                    s.sendall(request)
                    batch.append(s)
                except OSError as e:
                    error = error or str(e)
                    failed += 1
                    s.close()
            for s in batch:
                try:
                    ok = read_answer(s)
                except (OSError, ValueError, IndexError) as e:
                    ok = False
                    error = error or str(e)
                if ok:
                    socks.append(s)
                else:
                    failed += 1
                    reset_close(s)
    except OSError as e:  # out of descriptors, most likely
        error = error or str(e)
    open_s = time.monotonic() - started
    time.sleep(args.settle)
    after = rss_kib(args.pids)
    # An idle connection the proxy closed reads as readable (EOF); one still open does not.
    poller = select.poll()
    for s in socks:
        poller.register(s, select.POLLIN)
    still_open = len(socks) - len(poller.poll(0))
    for s in socks:
        reset_close(s)
    rec = {
        "shape": "idle", "target": args.target, "round": args.round,
        "requested": args.count, "opened": len(socks), "failed": failed,
        "still_open": still_open, "open_s": round(open_s, 2),
        "rss_before_kib": before, "rss_after_kib": after,
        "kib_per_conn": (after - before) / still_open if still_open and before and after else None,
        "alive_after": alive(args.pids), "error": error,
    }
    rec["ok"] = bool(still_open == args.count and rec["alive_after"] and before and after)
    return emit(args, rec, f"idle: {still_open}/{args.count} open after {open_s:.1f}s, "
                f"RSS {before / 1024:.1f} -> {after / 1024:.1f} MiB, "
                f"{fmt(rec['kib_per_conn'], '{:.2f}')} KiB/conn"
                + (f", first error: {error}" if error else ""))


def wrk_peak(args, conns):
    """Runs wrk -cCONNS for args.seconds; returns (highest RSS KiB, wrk's output)."""
    cmd = ["wrk", f"-t{args.wrk_threads}", f"-c{conns}", f"-d{args.seconds}s",
           f"http://127.0.0.1:{args.port}/"]
    peak = 0
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as p:
        # Sampled only in the second half, once every connection is open and busy.
        start = time.monotonic()
        while p.poll() is None:
            time.sleep(0.2)
            if time.monotonic() - start >= args.seconds / 2:
                peak = max(peak, rss_kib(args.pids))
        out = p.stdout.read()
    return peak, out


def wrk_errors(out):
    errs = 0
    m = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", out)
    if m:
        errs += int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        errs += sum(map(int, m.groups()))
    return errs


def cmd_busy(args):
    low, low_out = wrk_peak(args, args.low)
    high, high_out = wrk_peak(args, args.high)
    errors = wrk_errors(low_out) + wrk_errors(high_out)
    for out in (low_out, high_out):
        if "requests in" not in out:  # wrk did not run
            print(out.strip(), file=sys.stderr)
            errors += 1
    rec = {
        "shape": "busy", "target": args.target, "round": args.round,
        "low_conns": args.low, "high_conns": args.high,
        "rss_low_kib": low, "rss_high_kib": high,
        "kib_per_conn": (high - low) / (args.high - args.low) if low and high else None,
        "errors": errors, "alive_after": alive(args.pids),
    }
    rec["ok"] = bool(low and high and errors == 0 and rec["alive_after"])
    return emit(args, rec, f"busy: RSS {low / 1024:.1f} MiB at {args.low} connections, "
                f"{high / 1024:.1f} MiB at {args.high}, "
                f"{fmt(rec['kib_per_conn'], '{:.2f}')} KiB/conn, errors {errors}")


def fmt(v, spec):
    return "-" if v is None else spec.format(v)


def emit(args, rec, text):
    with open(args.runs, "a", encoding="utf-8") as f:
        f.write(json.dumps(rec) + "\n")
    print(f"  {args.target:<8} round {args.round}: {text}" + ("" if rec["ok"] else "  << FAILED"))
    return 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name, fn in (("idle", cmd_idle), ("busy", cmd_busy)):
        p = sub.add_parser(name)
        p.add_argument("--port", type=int, required=True)
        p.add_argument("--pids", nargs="+", required=True)
        p.add_argument("--runs", required=True)
        p.add_argument("--target", required=True)
        p.add_argument("--round", type=int, required=True)
        p.set_defaults(fn=fn)
        if name == "idle":
            p.add_argument("--count", type=int, default=10000)
            p.add_argument("--batch", type=int, default=50)
            p.add_argument("--settle", type=float, default=1.0)
        else:
            p.add_argument("--low", type=int, default=50)
            p.add_argument("--high", type=int, default=1000)
            p.add_argument("--seconds", type=int, default=4)
            p.add_argument("--wrk-threads", type=int, default=1)
    args = ap.parse_args()
    sys.exit(args.fn(args))


if __name__ == "__main__":
    main()
