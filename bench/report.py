"""The report of bench/run: medians per shape and target, ratios, tables and the JSON file.

Used by `harness.py summarize`. Load shapes (5b, 16k, ...) come from wrk runs; the memory
shapes (idle, busy) from memory.py. The feature shapes (auth-key, ..., metering) are load
shapes with one feature on the route, also read against their plain shape (5b) of the same run:
each target's CPU µs/req with the feature over without it, a table per group of them (auth,
limits, billing, cache), with the issue's target for the group under it where it has one (a
cache hit's CPU µs/req against a peer's, its req/s against the uncached route's), and for a shape with a bound on it (limit-redis) the p99 latency the feature
adds to gw: at low load, from harness.py latency-load's runs (a closed loop well below
saturation, gw-plain and gw interleaved), read against the bound; and at saturation, from the
wrk rounds, beside it.
In the feature shapes gw and gw-plain may also have instruction runs (callgrind: user-space
instructions per request, which do not drift with the machine's load as CPU time does), read
in a table of their own against the same bounds. Standard library only.
"""

import datetime
import json
import statistics

# Ratio rows: gw's medians over each of these, when both were measured. gw-base is an older
# gw binary (GW_BIN_BASE) run beside the new one; gw-plain (the feature shapes only) the same gw
# with the same route without the feature.
COMPARED = ("nginx", "haproxy", "gw-base", "gw-plain")
# Digits of a ratio: gw/gw-base and gw/gw-plain are read against bounds of a few percent, so
# they get one more.
RATIO_DIGITS = {"gw-base": 3, "gw-plain": 3}
# Targets measured in the feature shapes only.
FEATURE_ONLY = ("gw-plain",)
# Figures compared between targets in a load shape: key, column title, format.
FIGURES = [
    ("rps", "req/s", "{:.0f}"),
    ("p50_ms", "p50 ms", "{:.3f}"),
    ("p99_ms", "p99 ms", "{:.3f}"),
    ("cpu_us_per_req", "CPU µs/req", "{:.1f}"),
    ("rss_mib", "RSS MiB", "{:.1f}"),
]
# The summary's columns per compared target: key, title.
SUMMARY = [("rps", "req/s"), ("cpu_us_per_req", "CPU"), ("p99_ms", "p99"), ("rss_mib", "RSS")]
MEMORY_SHAPES = ("idle", "busy")


def median(values):
    vals = [v for v in values if v is not None]
    return statistics.median(vals) if vals else None


def fmt(v, spec):
    return "-" if v is None else spec.format(v)


def ratios_of(medians, keys):
    """gw's figure over each compared target's, per key: {"gw/nginx": {key: ratio}}."""
    out = {}
    if "gw" not in medians:
        return out
    for other in COMPARED:
        if other in medians:
            out[f"gw/{other}"] = {
                k: (medians["gw"][k] / medians[other][k])
                if medians["gw"][k] is not None and medians[other][k] else None
                for k in keys}
    return out


def ratio_text(name, value):
    return "-" if value is None else f"{value:.{RATIO_DIGITS.get(name[3:], 2)}f}x"


def print_table(header, rows, groups=None):
    """Left-aligned first column, the rest right-aligned; "---" rows are rules."""
    body = [r for r in rows if r != "---"]
    widths = [max(len(header[i]), *(len(r[i]) for r in body)) if body else len(header[i])
              for i in range(len(header))]

    def line(cells):
        return "  ".join(c.rjust(w) if i else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    width = len(line(header))
    if groups:  # [(first column, span, title)] above the header
        starts = {first: (span, title) for first, span, title in groups}
        parts, i = [], 0
        while i < len(header):
            span, title = starts.get(i, (1, ""))
            parts.append(title.ljust(sum(widths[i:i + span]) + 2 * (span - 1)))
            i += span
        print("  ".join(parts).rstrip())
    print(line(header))
    print("-" * width)
    for r in rows:
        print("-" * width if r == "---" else line(r))


def load_shape(shape, runs, order, failed, skipped):
    """Medians per target for one load shape; marks failed (shape/target) runs."""
    medians = {}
    for t in order:
        rs = [r for r in runs if r["target"] == t]
        if not rs:
            if f"{shape}/origin" not in failed and f"{shape}/{t}" not in skipped:
                failed.setdefault(f"{shape}/{t}", "no completed run")
            continue
        bad = [r for r in rs if not r["ok"]]
        if bad:
            r = bad[0]
            failed.setdefault(f"{shape}/{t}", (
                f"round {r['round']}: requests {r['requests']}, non-2xx {r['non2xx']}, "
                f"socket errors {r['socket_errors']}"
                + ("" if r["alive_after"] else ", process exited")))
        medians[t] = {
            "runs": len(rs),
            # "passed" (most feature shapes: per request let through to the origin) or
            # "completed" (per request answered; a cache shape's proxies answer it themselves)
            "cpu_per": rs[0].get("cpu_per", "completed"),
            **{k: median([r[k] for r in rs]) for k, _, _ in FIGURES},
            "origin_cpu_us_per_req": median([r["origin_cpu_us_per_req"] for r in rs]),
            "cpu_us_per_passed": median([r.get("cpu_us_per_passed") for r in rs]),
            "cpu_user_share": median([r.get("cpu_user_share") for r in rs]),
            "requests": median([r["requests"] for r in rs]),
            "requests_passed": median([r.get("requests_passed") for r in rs]),
            "origin_accepts": median([r["origin_accepts"] for r in rs]),
            "upstream_conns": median([r["upstream_conns"] for r in rs]),
            "non2xx_total": sum(r["non2xx"] for r in rs),
            "socket_errors_total": sum(r["socket_errors_total"] for r in rs),
        }
    return medians


def print_load_shape(shape, title, medians, ratios, order, meta, conns, why, feature=False):
    print()
    print(f"== {shape}: {title}")
    print(f"   medians of {meta.get('rounds')} interleaved rounds, wrk -t{meta.get('wrk_threads')} "
          f"-c{conns} -d{meta.get('duration_s')}s; wrk on CPU {meta.get('wrk_cpu')}, proxy and "
          f"origin on CPU {meta.get('server_cpu')}")
    header = ["target"] + [title for _, title, _ in FIGURES] + [
        "errors", "up conns", "up new", "origin µs/req"]
    rows = []
    for t in order:
        m = medians.get(t)
        if m is None:  # why: "failed" or "skipped" (a gw-base without TLS), said below the tables
            rows.append([t, why.get(f"{shape}/{t}", why.get(t, "-"))] + ["-"] * (len(header) - 2))
            continue
        rows.append([t] + [fmt(m[k], spec) for k, _, spec in FIGURES] + [
            str(m["non2xx_total"] + m["socket_errors_total"]),
            fmt(m["upstream_conns"], "{:.0f}"), fmt(m["origin_accepts"], "{:.0f}"),
            fmt(m["origin_cpu_us_per_req"], "{:.1f}")])
    if ratios:
        rows.append("---")
    for name, ratio in ratios.items():
        rows.append([name] + [ratio_text(name, ratio[k]) for k, _, _ in FIGURES] + [""] * 4)
    print_table(header, rows)
    if feature:
        counts = ", ".join(f"{t} {fmt(m['requests'], '{:.0f}')}/{fmt(m['requests_passed'], '{:.0f}')}"
                           for t, m in medians.items() if t != "origin")
        if any(m.get("cpu_per") == "completed" for t, m in medians.items() if t != "origin"):
            print("CPU µs/req here: per request answered, as in the plain shapes (the proxies "
                  "answer from their cache;")
            print(f"requests answered/passed to the origin, medians per run: {counts}).")
        else:
            print("CPU µs/req here: per request let through to the origin during the run "
                  "(requests answered/passed,")
            print(f"medians per run: {counts}).")


def feature_costs(shapes, specs, order, targets=None):
    """Each feature shape's CPU µs/req with the feature over without it, per proxy; stored as
    shapes[SHAPE]["vs_plain"]. gw against gw-plain of the same shape (the same rounds); the
    others (and gw, without a gw-plain row) against their own figure in the plain shape, when
    it was measured. Both per request let through to the origin, as the feature shapes count it
    (for a plain shape within a few in-flight requests of its CPU µs/req), or both per request
    answered where the shape counts so (a cache shape, whose proxies answer without the
    origin). Beside it, against the same rows, the p99 latency the feature adds (median p99 with
    it minus without, in ms), read against the shape's p99 bound where it has one. With a target
    for the shape (targets: {shape: (peer, peer_cpu_bound, rps_floor)}), also gw's CPU µs/req
    over that peer's in the same shape and gw's req/s over gw-plain's, each against its
    figure."""
    targets = targets or {}
    for shape, (group, plain, bound, p99_bound) in specs.items():
        if shape not in shapes:
            continue
        with_it = shapes[shape]["medians"]
        without = shapes.get(plain, {}).get("medians", {})
        ratio, added, against, p99_added = {}, {}, {}, {}
        for t in order:
            if t in ("origin",) + FEATURE_ONLY or t not in with_it:
                continue
            if t == "gw" and "gw-plain" in with_it:
                base, against[t] = with_it["gw-plain"], f"gw-plain in {shape}"
            elif t in without:
                base, against[t] = without[t], f"{t} in {plain}"
            else:
                continue
            key = ("cpu_us_per_passed" if with_it[t].get("cpu_per", "passed") == "passed"
                   else "cpu_us_per_req")
            a, b = with_it[t][key], base[key]
            ratio[t] = a / b if a is not None and b else None
            added[t] = a - b if a is not None and b is not None else None
            a, b = with_it[t]["p99_ms"], base["p99_ms"]
            p99_added[t] = a - b if a is not None and b is not None else None
        gw, gw_p99 = ratio.get("gw"), p99_added.get("gw")
        shapes[shape]["vs_plain"] = {
            "group": group, "plain": plain, "bound": bound, "against": against,
            "cpu_us_per_req_ratio": ratio, "cpu_us_per_req_added": added,
            "gw_within_bound": None if gw is None or bound is None else gw <= bound,
            # gw's median p99 in the shape minus gw-plain's (the same wrk rounds, at
            # saturation), in ms; the others minus their own in the plain shape. The figure at
            # low load, read against the same bound, is added as "low_load" (latency_costs).
            "p99_ms_added": p99_added, "p99_bound_ms": p99_bound,
            "gw_p99_within_bound": None if gw_p99 is None or p99_bound is None
            else gw_p99 <= p99_bound}
        if shape in targets:
            peer, peer_bound, rps_floor = targets[shape]
            ratios = shapes[shape]["ratios"]
            peer_cpu = ratios.get(f"gw/{peer}", {}).get("cpu_us_per_req") if peer else None
            rps = ratios.get("gw/gw-plain", {}).get("rps")
            shapes[shape]["vs_plain"]["target"] = {
                "peer": peer, "gw_over_peer_cpu_us_per_req": peer_cpu,
                "peer_cpu_bound": peer_bound,
                "gw_cpu_within_peer_bound": None if peer_cpu is None or peer_bound is None
                else peer_cpu <= peer_bound,
                "gw_over_plain_rps": rps, "rps_floor": rps_floor,
                "gw_rps_above_floor": None if rps is None or rps_floor is None
                else rps > rps_floor}


def print_feature_costs(shapes, order, titles, meta, group_targets=None):
    """A table per group of feature shapes (auth, limits, billing, cache), in the order the
    shapes' groups come; titles: {group: what its shapes add to the route}; group_targets:
    {group: the issue's target}, printed under the group's table with its shapes' figures."""
    group_targets = group_targets or {}
    costs = [(s, r["vs_plain"]) for s, r in shapes.items() if "vs_plain" in r]
    for group in dict.fromkeys(v["group"] for _, v in costs):
        what = titles.get(group, group)
        rows_of = [(s, v) for s, v in costs if v["group"] == group]
        targets = [t for t in order if any(t in v["cpu_us_per_req_ratio"] for _, v in rows_of)]
        plains = "/".join(sorted({v["plain"] for _, v in rows_of}))
        print()
        print(f"== {group}: CPU µs/req with {what} over without it (the same route without it), "
              "this run")
        print(f"   gw over gw-plain in the same rounds; nginx, HAProxy (and gw-base) over their "
              f"own {plains}")
        header = ["shape"] + targets + ["gw bound", "gw"]
        rows = []
        for shape, v in rows_of:
            cells = [shape]
            for t in targets:
                r, d = v["cpu_us_per_req_ratio"].get(t), v["cpu_us_per_req_added"].get(t)
                cells.append("-" if r is None else f"{r:.3f}x ({d:+.1f} µs)")
            bound, ok = v["bound"], v["gw_within_bound"]
            cells.append("-" if bound is None else f"{bound:.2f}x")
            cells.append("-" if ok is None else ("within" if ok else "ABOVE"))
            rows.append(cells)
        print_table(header, rows)
        print_target(group_targets.get(group), [(s, v) for s, v in rows_of if "target" in v])
        print_p99_added(shapes, [(s, v) for s, v in rows_of if v.get("p99_bound_ms") is not None],
                        meta)
    if costs:
        print("ratio: median CPU µs/req per request let through, with the feature over without; "
              "in brackets")
        print("the µs it adds per request. The bound is the issue's target for gw's ratio; it "
              "never fails a run.")
        answered = [s for s, _ in costs
                    if any(m.get("cpu_per") == "completed"
                           for t, m in shapes[s]["medians"].items() if t != "origin")]
        if answered:
            print(f"In {', '.join(answered)} the proxies answer from their cache: there the ratio "
                  "is per request answered,")
            print("with the feature and without (the plain route's requests all go through).")
    if any(v.get("p99_bound_ms") is not None for _, v in costs):
        print("p99 added: gw's median p99 with the feature minus gw-plain's, in ms, against the "
              "issue's bound on it")
        print("(a feature that waits on something outside gw). The bound is read at low load, "
              "where a request")
        print("waits for nothing but its own work and round trips; at saturation the p99 is "
              "mostly queueing on the")
        print("servers' CPU, which the feature's store also uses, and is shown for reference. "
              "Neither fails a run.")


def print_target(text, rows_of):
    """Under a group's table, the issue's target for it and, per shape with one, gw's CPU
    µs/req over the peer's in the same shape (at or below its bound) and gw's req/s over
    gw-plain's (above its floor), from the shape's own table."""
    if not text:
        return
    print()
    print(f"   the issue's target: {text}")
    if not rows_of:
        return
    header = ["shape", "gw/peer CPU µs/req", "bound", "gw", "gw/gw-plain req/s", "floor", "gw"]
    rows = []
    for shape, v in rows_of:
        t = v["target"]
        ok_cpu, ok_rps = t["gw_cpu_within_peer_bound"], t["gw_rps_above_floor"]
        rows.append([
            shape,
            "-" if t["peer"] is None else
            f"{fmt(t['gw_over_peer_cpu_us_per_req'], '{:.3f}x')} (gw/{t['peer']})",
            fmt(t["peer_cpu_bound"], "{:.2f}x"),
            "-" if ok_cpu is None else ("within" if ok_cpu else "ABOVE"),
            fmt(t["gw_over_plain_rps"], "{:.3f}x"), fmt(t["rps_floor"], "{:.2f}x"),
            "-" if ok_rps is None else ("above" if ok_rps else "NOT ABOVE")])
    print_table(header, rows)
    print("   gw/peer: gw's median CPU µs/req over the peer's, the same shape and rounds (at or "
          "below the bound);")
    if any(v["target"]["rps_floor"] is not None for _, v in rows_of):
        print("   gw/gw-plain req/s: gw's median req/s over the uncached route's, the same rounds "
              "(above the floor).")
    else:
        print("   gw/gw-plain req/s: gw's median req/s over the route's without the feature, the "
              "same rounds (no floor).")


LATENCY_FIGURES = ("p50", "p90", "p99", "p999")


def latency_costs(shapes, specs, latency_runs):
    """The latency runs at low load (harness.py latency-load: a closed loop, well below
    saturation) of the feature shapes with a p99 bound: per target the median over its runs of
    each percentile, in ms, and how far apart its runs' p99s were; then gw's minus gw-plain's,
    the p99 read against the bound. Stored as shapes[SHAPE]["latency"], and the verdict in
    shapes[SHAPE]["vs_plain"]["low_load"]."""
    for shape, (_, _, _, p99_bound) in specs.items():
        rs = [r for r in latency_runs if r["shape"] == shape]
        if shape not in shapes or not rs:
            continue
        per = {}
        for t in ("gw-plain", "gw"):
            ok = [r for r in rs if r["target"] == t and r["ok"]]
            p99s = [r["p99_us"] / 1000.0 for r in ok]
            per[t] = {
                "runs": len([r for r in rs if r["target"] == t]), "runs_ok": len(ok),
                **{f"{k}_ms": median([r[f"{k}_us"] / 1000.0 for r in ok]) for k in LATENCY_FIGURES},
                "mean_ms": median([r["mean_us"] / 1000.0 for r in ok]),
                "rps": median([r["rps"] for r in ok]),
                "p99_ms_min": min(p99s) if p99s else None,
                "p99_ms_max": max(p99s) if p99s else None,
            }
        added = {f"{k}_ms": per["gw"][f"{k}_ms"] - per["gw-plain"][f"{k}_ms"]
                 if per["gw"][f"{k}_ms"] is not None and per["gw-plain"][f"{k}_ms"] is not None
                 else None for k in LATENCY_FIGURES}
        shapes[shape]["latency"] = {"medians": per, "added": added, "bound_ms": p99_bound,
                                    "runs": rs}
        if "vs_plain" in shapes[shape]:
            p99 = added["p99_ms"]
            shapes[shape]["vs_plain"]["low_load"] = {
                "p50_ms_added": added["p50_ms"], "p99_ms_added": p99,
                "gw_p99_within_bound": None if p99 is None or p99_bound is None
                else p99 <= p99_bound}


def print_p99_added(shapes, rows_of, meta):
    """Below a group's table, its shapes with a p99 bound: the latency the feature adds to gw,
    at low load (read against the bound) and at saturation (the wrk rounds)."""
    if not rows_of:
        return

    def verdict(ok):
        return "-" if ok is None else ("within" if ok else "ABOVE")

    low = [(s, v) for s, v in rows_of if "latency" in shapes[s]]
    if low:
        conns = meta.get("latency_connections")
        print()
        print(f"   latency the feature adds to gw at low load: a closed loop over {conns} "
              f"kept-alive connection{'s' if conns != 1 else ''}, one request at a time each;")
        print(f"   {meta.get('latency_warmup')} unrecorded, then {meta.get('latency_requests')} "
              f"recorded per run; medians of {meta.get('latency_rounds')} interleaved runs of "
              "gw-plain and gw")
        header = ["shape", "gw-plain p50 ms", "gw p50 ms", "gw-plain p99 ms", "gw p99 ms",
                  "p50 added", "p99 added ms", "bound ms", "gw", "p99 range plain/gw"]
        rows = []
        for shape, v in low:
            lat = shapes[shape]["latency"]
            m, added = lat["medians"], lat["added"]
            rng = " / ".join(f"{fmt(m[t]['p99_ms_min'], '{:.3f}')}-{fmt(m[t]['p99_ms_max'], '{:.3f}')}"
                             for t in ("gw-plain", "gw"))
            rows.append([shape, fmt(m["gw-plain"]["p50_ms"], "{:.3f}"),
                         fmt(m["gw"]["p50_ms"], "{:.3f}"),
                         fmt(m["gw-plain"]["p99_ms"], "{:.3f}"), fmt(m["gw"]["p99_ms"], "{:.3f}"),
                         fmt(added["p50_ms"], "{:+.3f}"), fmt(added["p99_ms"], "{:+.3f}"),
                         f"{v['p99_bound_ms']:.2f}",
                         verdict(v.get("low_load", {}).get("gw_p99_within_bound")), rng])
        print_table(header, rows)
    print()
    print(f"   p99 at saturation (wrk -c{meta.get('connections')}, the servers' CPU shared by "
          "proxy, origin and the feature's store):")
    print("   gw's median p99 minus gw-plain's, the same rounds; mostly queueing behind that "
          "CPU, not the bound's figure")
    header = ["shape", "gw-plain p99 ms", "gw p99 ms", "added ms", "bound ms", "gw"]
    rows = []
    for shape, v in rows_of:
        medians = shapes[shape]["medians"]
        added, ok = v["p99_ms_added"].get("gw"), v["gw_p99_within_bound"]
        rows.append([shape, fmt(medians.get("gw-plain", {}).get("p99_ms"), "{:.3f}"),
                     fmt(medians.get("gw", {}).get("p99_ms"), "{:.3f}"),
                     fmt(added, "{:+.3f}"), f"{v['p99_bound_ms']:.2f}", verdict(ok)])
    print_table(header, rows)


def instruction_costs(shapes, specs, instr_runs):
    """Each feature shape's instructions per request (callgrind) of gw over gw-plain's, stored as
    shapes[SHAPE]["instructions"]: the median of the runs that served every request with a 2xx,
    per target, how far apart the runs were ((highest - lowest) / lowest), and the ratio read
    against the shape's bound on the CPU ratio. The instructions are user space only, while
    CPU µs/req has the kernel's part too (sockets, epoll: the larger part for 5 bytes), which a
    feature inside gw leaves as it is; so the ratio is also estimated as a CPU ratio, its
    excess scaled by the user-space share of gw-plain's CPU in the shape's rounds (utime over
    utime + stime): 1 + (ratio - 1) x share, as if the added instructions took the time gw's
    others take on average."""
    for shape, (_, _, bound, _) in specs.items():
        rs = [r for r in instr_runs if r["shape"] == shape]
        if shape not in shapes or not rs:
            continue
        per, spread, counted = {}, {}, {}
        for t in ("gw-plain", "gw"):
            vals = [r["instr_per_req"] for r in rs if r["target"] == t and r["ok"]]
            counted[t] = len(vals)
            per[t] = median(vals)
            spread[t] = (max(vals) - min(vals)) / min(vals) if len(vals) > 1 else None
        a, b = per["gw"], per["gw-plain"]
        ratio = a / b if a is not None and b else None
        share = shapes[shape]["medians"].get("gw-plain", {}).get("cpu_user_share")
        est = 1 + (ratio - 1) * share if ratio is not None and share is not None else None
        shapes[shape]["instructions"] = {
            "instr_per_req": per, "runs_ok": counted, "spread": spread,
            "ratio": ratio, "added": a - b if a is not None and b is not None else None,
            "bound": bound,
            "gw_within_bound": None if ratio is None or bound is None else ratio <= bound,
            "user_share": share, "est_cpu_ratio": est,
            "gw_est_cpu_within_bound": None if est is None or bound is None else est <= bound,
            "runs": rs}


def print_instruction_costs(shapes, meta):
    """One table for every feature shape with instruction runs, beside gw's CPU ratio."""
    rows_of = [(s, r["instructions"]) for s, r in shapes.items() if "instructions" in r]
    if not rows_of:
        return
    rounds = meta.get("instr_rounds") or 1
    print()
    print("== instructions per request: gw with the feature over gw-plain (user-space "
          "instructions, callgrind)")
    print(f"   each run a fresh gw (1 worker) under valgrind --tool=callgrind: "
          f"{meta.get('instr_warmup')} requests unrecorded, then {meta.get('instr_requests')} "
          f"counted over {meta.get('instr_connections')}")
    runs = f"median of {rounds} runs" if rounds > 1 else "one run"
    print(f"   kept-alive connections; {runs} per target; gw's CPU ratio from the rounds above "
          "beside it")
    # A shape that counts fewer (its requests far slower under callgrind: FEATURE_INSTR_DIVISOR).
    fewer = sorted({(s, r["requests_asked"]) for s, v in rows_of for r in v["runs"]
                    if r.get("requests_asked") != meta.get("instr_requests")})
    if fewer:
        print("   fewer in " + ", ".join(f"{s} ({n} counted)" for s, n in fewer)
              + ": its requests are far slower under callgrind")
    header = ["shape", "gw-plain instr/req", "gw instr/req", "added", "ratio", "gw bound", "gw",
              "user share", "est. CPU", "gw est.", "CPU ratio"]
    if rounds > 1:
        header.append("spread plain/gw")

    def verdict(ok):
        return "-" if ok is None else ("within" if ok else "ABOVE")

    rows = []
    for shape, v in rows_of:
        per = v["instr_per_req"]
        cpu = shapes[shape].get("vs_plain", {}).get("cpu_us_per_req_ratio", {}).get("gw")
        cells = [shape, fmt(per["gw-plain"], "{:,.0f}"), fmt(per["gw"], "{:,.0f}"),
                 fmt(v["added"], "{:+,.0f}"), fmt(v["ratio"], "{:.3f}x"),
                 fmt(v["bound"], "{:.2f}x"), verdict(v["gw_within_bound"]),
                 fmt(v["user_share"], "{:.0%}"), fmt(v["est_cpu_ratio"], "{:.3f}x"),
                 verdict(v["gw_est_cpu_within_bound"]), fmt(cpu, "{:.3f}x")]
        if rounds > 1:
            cells.append(" / ".join(fmt(v["spread"][t], "{:.2%}") for t in ("gw-plain", "gw")))
        rows.append(cells)
    print_table(header, rows)
    print("instr/req: instructions gw ran in user space (every thread) while it served the "
          "counted requests, over")
    print("those answered with a 2xx; the same work counts the same on a busy machine. The "
          "kernel's part of a")
    print("request (sockets, epoll) is not in them, so ratio, user space over user space, is "
          "stricter than a CPU")
    print("ratio. user share: utime / (utime + stime) of gw-plain in the rounds above; est. CPU: "
          "1 + (ratio - 1) x")
    print("user share, the ratio as a CPU ratio if the added instructions cost what gw's others "
          "do. The bound is")
    print("the one on the CPU ratio (CPU ratio: gw/gw-plain from the rounds above); neither "
          "fails a run.")
    answered = [s for s, _ in rows_of
                if any(m.get("cpu_per") == "completed"
                       for t, m in shapes[s]["medians"].items() if t != "origin")]
    if answered:
        print(f"In {', '.join(answered)} gw answers from its cache and does none of the upstream "
              "leg's kernel work (its")
        print("socket writes and reads, epoll), which the instructions do not see and est. CPU "
              "assumes unchanged:")
        print("there the instructions compare the user-space work of a hit with a forward's; the "
              "CPU ratio is the cost.")
    if rounds > 1:
        print("spread: (highest - lowest) / lowest over the runs of each target.")


def memory_shape(shape, runs, order, failed):
    medians = {}
    for t in order:
        rs = [r for r in runs if r["target"] == t]
        if not rs:
            continue
        bad = [r for r in rs if not r["ok"]]
        if bad:
            r = bad[0]
            why = (f"round {r['round']}: {r['still_open']} of {r['requested']} idle connections "
                   f"open, {r['failed']} failed {r.get('error', '')}".rstrip()
                   if shape == "idle" else f"round {r['round']}: {r['errors']} wrk errors")
            failed.setdefault(f"{shape}/{t}", why + ("" if r["alive_after"] else ", exited"))
        m = {"runs": len(rs), "kib_per_conn": median([r["kib_per_conn"] for r in rs])}
        if shape == "idle":
            m.update(conns=median([r["still_open"] for r in rs]),
                     rss_before_mib=median([r["rss_before_kib"] / 1024 for r in rs]),
                     rss_after_mib=median([r["rss_after_kib"] / 1024 for r in rs]))
        else:
            m.update(rss_before_mib=median([r["rss_low_kib"] / 1024 for r in rs]),
                     rss_after_mib=median([r["rss_high_kib"] / 1024 for r in rs]))
        medians[t] = m
    return medians


def print_memory(memory, order, meta):
    if not memory:
        return
    print()
    print(f"== memory per connection: RSS growth of a freshly started proxy, medians of "
          f"{meta.get('rounds')} rounds")
    header = ["target"]
    for shape in memory:
        if shape == "idle":
            header += ["idle KiB/conn", "idle conns", "RSS MiB before", "RSS MiB idle"]
        else:
            header += ["busy KiB/conn", f"RSS MiB c{meta.get('busy_low')}",
                       f"RSS MiB c{meta.get('busy_high')}"]
    rows = []
    for t in order:
        if not any(t in memory[s]["medians"] for s in memory):
            continue
        cells = [t]
        for shape, res in memory.items():
            m = res["medians"].get(t)
            n = 4 if shape == "idle" else 3
            if m is None:
                cells += ["-"] * n
                continue
            cells.append(fmt(m["kib_per_conn"], "{:.2f}"))
            if shape == "idle":
                cells.append(fmt(m["conns"], "{:.0f}"))
            cells += [fmt(m["rss_before_mib"], "{:.1f}"), fmt(m["rss_after_mib"], "{:.1f}")]
        rows.append(cells)
    names = sorted({n for res in memory.values() for n in res["ratios"]},
                   key=lambda n: COMPARED.index(n[3:]))
    if names:
        rows.append("---")
    for name in names:
        cells = [name]
        for shape, res in memory.items():
            cells.append(ratio_text(name, res["ratios"].get(name, {}).get("kib_per_conn")))
            cells += [""] * (3 if shape == "idle" else 2)
        rows.append(cells)
    print_table(header, rows)
    if "idle" in memory:
        print(f"idle: {meta.get('idle_conns')} connections that made one GET each, opened "
              f"{meta.get('idle_batch')} at a time; RSS with them minus RSS before, per connection "
              "still open.")
    if "busy" in memory:
        low, high = meta.get("busy_low"), meta.get("busy_high")
        print(f"busy: highest RSS under wrk -c{high} minus under -c{low} (GET /, 5 bytes), over "
              f"the {high - low} extra connections.")


def print_summary(shapes, memory):
    names = [f"gw/{o}" for o in COMPARED
             if any(f"gw/{o}" in r["ratios"] for r in list(shapes.values()) + list(memory.values()))]
    if not names:
        return
    print()
    print("== summary: gw's medians over each peer's (and gw-base's, gw-plain's), per shape "
          "(req/s above 1 is better; CPU µs/req, p99 and RSS below 1)")
    header = ["shape"] + [title for _ in names for _, title in SUMMARY]
    groups = [(1 + i * len(SUMMARY), len(SUMMARY), name) for i, name in enumerate(names)]
    rows = []
    for shape, res in shapes.items():
        rows.append([shape] + [ratio_text(n, res["ratios"].get(n, {}).get(k))
                               for n in names for k, _ in SUMMARY])
    for shape, res in memory.items():
        # Memory per connection reads as RSS; the other columns do not apply.
        rows.append([f"{shape} KiB/conn"] + [
            ratio_text(n, res["ratios"].get(n, {}).get("kib_per_conn")) if k == "rss_mib" else ""
            for n in names for k, _ in SUMMARY])
    print_table(header, rows, groups)


def summarize(args):
    runs = []
    with open(args.runs, encoding="utf-8") as f:
        runs = [json.loads(line) for line in f if line.strip()]
    # The instruction runs (callgrind) are read apart from wrk's and memory.py's.
    instr_runs = [r for r in runs if r.get("kind") == "instructions"]
    # The latency runs at low load (harness.py latency-load) too.
    latency_runs = [r for r in runs if r.get("kind") == "latency"]
    runs = [r for r in runs if r.get("kind") not in ("instructions", "latency")]
    meta = {}
    for kv in args.kv:
        k, _, v = kv.partition("=")
        for conv in (int, float):
            try:
                v = conv(v)
                break
            except ValueError:
                pass
        meta[k] = v
    meta["targets"] = order = args.targets.split()
    meta["shapes"] = args.shapes.split()
    meta["notes"] = args.note
    titles = dict(t.split("=", 1) for t in args.shape_title)
    conns = dict(c.split("=", 1) for c in args.shape_conns)
    failed = dict(f.split("=", 1) for f in args.failed)  # shape/target or target -> reason
    # shape/target -> reason: measured by no round, yet no failure (gw-base's TLS shapes when
    # that gw serves no TLS)
    skipped = dict(f.split("=", 1) for f in args.skipped)
    # feature shape -> (its group, its plain shape, gw's bound on the CPU ratio, gw's bound on
    # the p99 it adds, in ms)
    feature_specs = {}
    for spec in args.feature_shape:
        shape, _, rest = spec.partition("=")
        group, plain, bound, p99_bound = (rest.split(":", 3) + [""])[:4]
        feature_specs[shape] = (group, plain, float(bound) if bound else None,
                                float(p99_bound) if p99_bound else None)
    group_titles = dict(g.split("=", 1) for g in args.feature_group)  # group -> what it adds
    group_targets = dict(g.split("=", 1) for g in args.group_target)  # group -> the target
    # feature shape -> (the peer gw's CPU µs/req is read against, that bound, gw's req/s floor
    # over gw-plain's)
    peer_bounds = {}
    for spec in args.feature_peer_cpu_bound:
        shape, _, rest = spec.partition("=")
        peer, _, ratio = rest.partition(":")
        peer_bounds[shape] = (peer, float(ratio) if ratio else None)
    rps_floors = {s: float(r) for s, _, r in (f.partition("=") for f in args.feature_rps_floor) if r}
    feature_targets = {s: (*peer_bounds.get(s, (None, None)), rps_floors.get(s))
                       for s in set(peer_bounds) | set(rps_floors)}
    shapes, memory = {}, {}
    for shape in meta["shapes"]:
        rs = [r for r in runs if r.get("shape", "5b") == shape]
        if shape in MEMORY_SHAPES:
            proxies = [t for t in order if t != "origin" and t not in FEATURE_ONLY]
            medians = memory_shape(shape, rs, proxies, failed)
            memory[shape] = {"medians": medians, "ratios": ratios_of(medians, ["kib_per_conn"])}
            continue
        # gw-plain is measured in the feature shapes only.
        shape_order = [t for t in order if t not in FEATURE_ONLY or shape in feature_specs]
        medians = load_shape(shape, rs, shape_order, failed, skipped)
        ratios = ratios_of(medians, [k for k, _, _ in FIGURES])
        shapes[shape] = {"title": titles.get(shape, ""), "connections": conns.get(shape),
                         "medians": medians, "ratios": ratios}
        why = {**{k: "skipped" for k in skipped}, **{k: "failed" for k in failed}}
        print_load_shape(shape, titles.get(shape, ""), medians, ratios, shape_order, meta,
                         conns.get(shape, meta.get("connections")), why, shape in feature_specs)
    if shapes:
        print()
        print("errors: non-2xx + socket errors summed over rounds; up conns: connections the "
              "proxy held")
        print("to the origin mid-run; up new: connections the origin accepted during a run "
              "(for the")
        print("origin row, wrk's own); origin µs/req: the origin's CPU per request, the same "
              "work for all.")
    feature_costs(shapes, feature_specs, order, feature_targets)
    latency_costs(shapes, feature_specs, latency_runs)
    print_feature_costs(shapes, order, group_titles, meta, group_targets)
    instruction_costs(shapes, feature_specs, instr_runs)
    print_instruction_costs(shapes, meta)
    print_memory(memory, order, meta)
    print_summary(shapes, memory)
    for note in meta.get("notes", []):
        print("note: " + note)

    def in_order(reasons):  # shape by shape, as measured; a target's own failure first
        shapes_order = meta["shapes"]
        return sorted(reasons.items(), key=lambda kv: shapes_order.index(kv[0].split("/")[0])
                      if "/" in kv[0] and kv[0].split("/")[0] in shapes_order else -1)

    for what, why in in_order(failed):
        print(f"FAILED {what}: {why}")
    for what, why in in_order(skipped):
        print(f"SKIPPED {what}: {why}")

    report = {
        "generated_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "meta": meta,
        "shapes": shapes,
        "memory": memory,
        "failed": failed,
        "skipped": skipped,
        "runs": runs,
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    return 1 if failed else 0
