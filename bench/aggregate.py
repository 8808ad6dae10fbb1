#!/usr/bin/env python3
"""The helpers of bench/aggregate.sh: the check of its routes, and its report.

Standard library only, as harness.py. Subcommands:
  probe URL [--header K:V] [--groups "G1 G2 ..."]
                             one GET through gw; prints what came back and exits 1 unless it is
                             a 200 with a JSON object (application/json); with --groups, an
                             aggregate's answer: x-gw-completed: true, no _errors, and each
                             group a JSON object of its own
  report RUNS OUT --delays "5ms 10ms 20ms" --rows "..." [--direct-rows "..."]
      --zero-rows "..." [--kv K=V] [--note TEXT] [--failed TEXT]
                             medians per row of the latency runs (harness.py latency-load's
                             lines in RUNS) and of the wrk runs (harness.py record's), the
                             ratios the issue reads, tables on stdout, JSON to OUT; exit 1 if a
                             run failed or a row has none
"""

import argparse
import http.client
import json
import os
import re
import statistics
import sys
import urllib.parse


def cmd_probe(args):
    u = urllib.parse.urlsplit(args.url)
    headers = {k.strip(): v.strip() for k, v in (h.split(":", 1) for h in args.header)}
    try:
        conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=10)
        conn.request("GET", u.path or "/", headers=headers)
        resp = conn.getresponse()
        body = resp.read()
        fields = {k.lower(): v for k, v in resp.getheaders()}
        conn.close()
    except (OSError, http.client.HTTPException) as e:
        print(f"GET {args.url}: {e}")
        return 1
    said = f"{resp.status}, {len(body)} bytes"
    if fields.get("x-gw-error"):
        said += f", x-gw-error: {fields['x-gw-error']}"
    if resp.status != 200:
        print(f"{said}: {body[:200]!r}")
        return 1
    if not fields.get("content-type", "").startswith("application/json"):
        print(f"{said}, Content-Type {fields.get('content-type')!r}, not application/json")
        return 1
    try:
        doc = json.loads(body)
    except ValueError as e:
        print(f"{said}, not JSON: {e}")
        return 1
    if not isinstance(doc, dict):
        print(f"{said}, JSON but not an object")
        return 1
    groups = args.groups.split()
    if not groups:
        # A forward: the backend's own JSON (gw-echo's says what it was asked; nginx's names it).
        who = fields.get("x-backend") or doc.get("backend") or "?"
        print(f"{said}, backend {who}, keys {', '.join(sorted(doc))}")
        return 0
    if fields.get("x-gw-completed") != "true":
        print(f"{said}, x-gw-completed: {fields.get('x-gw-completed')!r}, not true: {body[:300]!r}")
        return 1
    if "_errors" in doc:
        print(f"{said}, _errors: {doc['_errors']}")
        return 1
    missing = [g for g in groups if not isinstance(doc.get(g), dict)]
    if missing or set(doc) != set(groups):
        print(f"{said}, groups {sorted(doc)}, not {groups}")
        return 1
    sizes = ", ".join(f"{g} {len(json.dumps(doc[g], separators=(',', ':')))} B" for g in groups)
    print(f"{said}, x-gw-completed: true, every group an object ({sizes})")
    return 0


def _ms(delay):
    m = re.fullmatch(r"(\d+)(ms|s)", delay)
    return int(m.group(1)) * (1000 if m.group(2) == "s" else 1)


def _median(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None


def _fmt(v, spec):
    return "-" if v is None else spec.format(v)


def cmd_report(args):
    runs = []
    with open(args.runs, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                runs.append(json.loads(line))
    delays = args.delays.split()
    rows = args.rows.split()
    direct_rows = args.direct_rows.split()
    zero_rows = args.zero_rows.split()
    failed = list(args.failed)
    kv = dict(s.split("=", 1) for s in args.kv)

    # Latency at low load: the medians over the rounds, per row, in ms.
    latency = {}
    for r in rows + direct_rows + zero_rows:
        mine = [x for x in runs if x.get("kind") == "latency" and x["target"] == r]
        ok = [x for x in mine if x["ok"]]
        if not ok:
            continue
        latency[r] = {
            **{k: _median([x[f"{k}_us"] for x in ok]) / 1000.0
               for k in ("p50", "p90", "p99", "p999", "mean")},
            "rps": _median([x["rps"] for x in ok]),
            "p99_min": min(x["p99_us"] for x in ok) / 1000.0,
            "p99_max": max(x["p99_us"] for x in ok) / 1000.0,
            "max": max(x["max_us"] for x in ok) / 1000.0,
            "runs": len(mine),
            "runs_ok": len(ok),
        }
    for r in rows + direct_rows + zero_rows:
        if r not in latency and not any(r in f for f in failed):
            failed.append(f"{r} (latency): no run")

    # Wrk at saturation: medians per row.
    sat = {}
    for r in zero_rows:
        mine = [x for x in runs if x.get("kind") is None and x["target"] == r]
        if not mine:
            continue
        ok = [x for x in mine if x["ok"]]
        pick = ok or mine
        per_answer = [x["requests_passed"] / x["requests"] for x in pick
                      if x.get("requests_passed") is not None and x["requests"]]
        sat[r] = {
            "rps": _median([x["rps"] for x in pick]),
            "p50_ms": _median([x["p50_ms"] for x in pick]),
            "p99_ms": _median([x["p99_ms"] for x in pick]),
            "cpu_us_per_req": _median([x["cpu_us_per_req"] for x in pick]),
            "cpu_user_share": _median([x["cpu_user_share"] for x in pick]),
            "backend_requests_per_answer": _median(per_answer),
            "backend_cpu_us_per_req": _median([x["origin_cpu_us_per_req"] for x in pick]),
            "upstream_new": _median([x["origin_accepts"] for x in pick]),
            "errors": sum(x["non2xx"] + x["socket_errors_total"] for x in mine),
            "runs": len(mine),
            "runs_ok": len(ok),
        }
        for x in mine:
            if not x["ok"]:
                failed.append(f"{r} round {x['round']}: non-2xx {x['non2xx']}, socket errors "
                              f"{x['socket_errors_total']}, alive {x['alive_after']}")

    out = {"settings": kv, "notes": args.note, "failed": failed, "latency": latency,
           "saturation": sat, "runs": runs}

    # --- the tables
    conns = kv.get("latency_connections", "?")
    print()
    print(f"API call aggregation at low load: {len(delays)} backends answering after "
          f"{', '.join(delays)}; {conns} kept-alive connections, each a closed loop; "
          f"{kv.get('latency_requests', '?')} requests per run, medians of "
          f"{kv.get('latency_rounds', '?')} rounds (ms)")
    head = f"{'row':<44} {'p50':>8} {'p90':>8} {'p99':>8} {'p99.9':>8} {'mean':>8} {'req/s':>7}"
    print(head)
    print("-" * len(head))
    label = {"aggregate-delayed": f"aggregate of the {len(delays)} (one request)"}
    for i, d in enumerate(delays, 1):
        label[f"forward-delay-{i}"] = f"forward to backend {i} alone ({d})"
        label[f"direct-delay-{i}"] = f"backend {i} asked directly, without gw ({d})"
    label["aggregate-json"] = f"aggregate of {len(delays)} zero-delay backends"
    label["forward-json"] = "forward to one zero-delay backend"

    def line(r, name=None):
        m = latency.get(r)
        if m is None:
            print(f"{name or label.get(r, r):<44} {'failed':>8}")
            return
        print(f"{name or label.get(r, r):<44} {m['p50']:>8.3f} {m['p90']:>8.3f} {m['p99']:>8.3f} "
              f"{m['p999']:>8.3f} {m['mean']:>8.3f} {m['rps']:>7.0f}")

    for r in rows:
        line(r)
    forwards = [r for r in rows if r.startswith("forward-delay-")]
    seq_p50 = seq_mean = None
    if forwards and all(r in latency for r in forwards):
        seq_p50 = sum(latency[r]["p50"] for r in forwards)
        seq_mean = sum(latency[r]["mean"] for r in forwards)
        print(f"{'sequential: the forwards one after the other':<44} {seq_p50:>8.3f} {'':>8} "
              f"{'':>8} {'':>8} {seq_mean:>8.3f}   (sums of the forwards' p50s and means)")
    slowest_i = max(range(len(delays)), key=lambda i: _ms(delays[i]))
    slowest = f"forward-delay-{slowest_i + 1}"
    agg = latency.get("aggregate-delayed")
    ratios = {}
    if agg and slowest in latency:
        s = latency[slowest]
        ratios["p50_over_slowest"] = agg["p50"] / s["p50"]
        ratios["p99_over_slowest"] = agg["p99"] / s["p99"]
        ratios["p50_added_over_slowest_ms"] = agg["p50"] - s["p50"]
    if agg and seq_p50:
        ratios["p50_over_sequential"] = agg["p50"] / seq_p50
    print()
    if "p50_over_slowest" in ratios:
        r = ratios["p50_over_slowest"]
        print(f"aggregate p50 / slowest backend's forward p50 ({delays[slowest_i]}): {r:.3f}x "
              f"({ratios['p50_added_over_slowest_ms'] * 1000:+.0f} µs; target about 1.0x)")
        print(f"aggregate p99 / slowest backend's forward p99: "
              f"{ratios['p99_over_slowest']:.3f}x (for reading)")
    if "p50_over_sequential" in ratios:
        r = ratios["p50_over_sequential"]
        print(f"aggregate p50 / sequential sum of the forwards' p50s: {r:.3f}x "
              f"(target below 1.0x: {'met' if r < 1.0 else 'NOT met'})")
    out["ratios"] = ratios

    if direct_rows:
        print()
        print("the delayed backends without gw (each delay and the backend's own time):")
        for r in direct_rows:
            line(r)

    print()
    print("zero-delay backends at low load (what aggregating itself adds to a request):")
    for r in zero_rows:
        line(r)
    za, zf = latency.get("aggregate-json"), latency.get("forward-json")
    if za and zf:
        ratios["zero_delay_p50_added_us"] = (za["p50"] - zf["p50"]) * 1000
        ratios["zero_delay_p99_added_us"] = (za["p99"] - zf["p99"]) * 1000
        print(f"aggregate - forward: p50 +{ratios['zero_delay_p50_added_us']:.0f} µs, "
              f"p99 +{ratios['zero_delay_p99_added_us']:.0f} µs")

    if sat:
        print()
        print(f"CPU at saturation: zero-delay backends, wrk -c{kv.get('connections', '?')}, "
              f"medians of {kv.get('rounds', '?')} runs of {kv.get('duration_s', '?')} s "
              f"(gw one worker; gw and the backends share one CPU)")
        head = (f"{'row':<36} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'CPU µs/req':>11} "
                f"{'user %':>7} {'upstream/ans':>12} {'up new':>7} {'backend µs/req':>14} "
                f"{'errors':>6}")
        print(head)
        print("-" * len(head))
        for r in zero_rows:
            m = sat.get(r)
            if m is None:
                print(f"{label.get(r, r):<36} {'failed':>8}")
                continue
            print(f"{label.get(r, r):<36} {_fmt(m['rps'], '{:.0f}'):>8} "
                  f"{_fmt(m['p50_ms'], '{:.3f}'):>8} {_fmt(m['p99_ms'], '{:.3f}'):>8} "
                  f"{_fmt(m['cpu_us_per_req'], '{:.1f}'):>11} "
                  f"{_fmt(None if m['cpu_user_share'] is None else m['cpu_user_share'] * 100, '{:.0f}'):>7} "
                  f"{_fmt(m['backend_requests_per_answer'], '{:.2f}'):>12} "
                  f"{_fmt(m['upstream_new'], '{:.0f}'):>7} "
                  f"{_fmt(m['backend_cpu_us_per_req'], '{:.1f}'):>14} {m['errors']:>6}")
        a, f_ = sat.get("aggregate-json"), sat.get("forward-json")
        if a and f_ and a["cpu_us_per_req"] and f_["cpu_us_per_req"]:
            ratios["cpu_per_req_over_forward"] = a["cpu_us_per_req"] / f_["cpu_us_per_req"]
            ratios["rps_over_forward"] = a["rps"] / f_["rps"] if f_["rps"] else None
            print(f"aggregate / forward: CPU µs/req {ratios['cpu_per_req_over_forward']:.2f}x "
                  f"(+{a['cpu_us_per_req'] - f_['cpu_us_per_req']:.1f} µs per answer; "
                  f"{len(delays)} upstream calls and a JSON merge against one forward), "
                  f"req/s {_fmt(ratios['rps_over_forward'], '{:.2f}')}x")

    print()
    for n in args.note:
        print(f"note: {n}")
    for f_ in failed:
        print(f"FAILED {f_}")
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("probe")
    p.add_argument("url")
    p.add_argument("--header", action="append", default=[], help="NAME:VALUE, repeatable")
    p.add_argument("--groups", default="", help="an aggregate's groups, space-separated")
    p.set_defaults(fn=cmd_probe)
    p = sub.add_parser("report")
    p.add_argument("runs")
    p.add_argument("out")
    p.add_argument("--delays", required=True)
    p.add_argument("--rows", required=True, help="the delayed rows: the aggregate, the forwards")
    p.add_argument("--direct-rows", default="", help="the delayed backends asked without gw")
    p.add_argument("--zero-rows", required=True, help="the zero-delay rows")
    p.add_argument("--kv", action="append", default=[])
    p.add_argument("--note", action="append", default=[])
    p.add_argument("--failed", action="append", default=[])
    p.set_defaults(fn=cmd_report)
    args = ap.parse_args()
    sys.exit(args.fn(args))


if __name__ == "__main__":
    main()
