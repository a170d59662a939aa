"""The results table, printed after a run (and rebuilt from a results JSON file)."""

from typing import Any

COLUMNS = (
    ("req/s", "rps", "{:,.0f}"),
    ("p50 ms", "p50_ms", "{:.1f}"),
    ("p99 ms", "p99_ms", "{:.1f}"),
    ("SQL/req", "statements", "{}"),
    ("CPU ms/req", "server_cpu_ms", "{:.2f}"),
    ("PG CPU ms/req", "postgres_cpu_ms", "{:.2f}"),
    ("peak RSS/worker MiB", "peak_rss_worker_mib", "{:.0f}"),
    ("RSS total MiB", "peak_rss_total_mib", "{:.0f}"),
    ("bytes", "response_bytes", "{:,}"),
    ("errors", "errors", "{}"),
    ("cache hits", "cache_hit_share", "{:.1%}"),
)

# issue 12's targets, against PostGraphile on the same machine and data
READ_RATIO = 1.0  # every read shape, Parley's response cache off
CACHED_RATIO = 3.0  # repeated reads from the response cache
MUTATION_RATIO = 0.5  # recordMeeting
CPU_SHARE = 1.5  # server CPU per read at most this many times PostGraphile's
P99_TARGET_MS = 20.0  # at half each server's maximum rate
READ_STATEMENTS = 1  # SQL statements per read operation
RSS_TARGET_MIB = 150.0


def _cell(measured: dict[str, Any], key: str, fmt: str) -> str:
    if key == "cache_hit_share" and key in measured and measured[key] is None:
        return "off"
    value = measured.get(key)
    return "–" if value is None else fmt.format(value)


def table(output: dict[str, Any]) -> str:
    """A Markdown table: per operation, Parley, PostGraphile and the ratio of their rates."""
    header = ["operation", "server", *(name for name, _, _ in COLUMNS), "Parley ÷ PG"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, result in output["results"].items():
        if "skipped" in result:
            blank = ["–"] * (len(COLUMNS) - 1)
            reason = f"skipped: {result['skipped']}"
            lines.append("| " + " | ".join([name, "both", reason, *blank, "–"]) + " |")
            continue
        for server in ("parley", "postgraphile"):
            measured = dict(result[server])
            measured["statements"] = (result.get("statements") or {}).get(server)
            if server == "parley" and not measured.get("cache_hits", 0) + measured.get(
                "cache_misses", 0
            ):
                measured["cache_hit_share"] = None  # no X-Parley-Cache header: the cache is off
            cells = [_cell(measured, key, fmt) for _, key, fmt in COLUMNS]
            ratio = f"**{result['ratio_rps']:.2f}×**" if server == "parley" else ""
            lines.append("| " + " | ".join([name, server, *cells, ratio]) + " |")
    return "\n".join(lines) + _footer(output) + _fixed_rate(output) + _targets(output)


def _fixed_rate(output: dict[str, Any]) -> str:
    fixed = output.get("fixed_rate") or {}
    if not fixed:
        return ""
    lines = [
        "",
        "",
        "Fixed rate, half of each server's maximum (open loop, "
        f"{output['settings'].get('fixed_rate_seconds', 0):g} s):",
        "",
        "| operation | server | rate req/s | p50 ms | p90 ms | p99 ms | max ms | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, servers in fixed.items():
        for server, run in servers.items():
            cells = [
                f"{run['target_rps']:,.0f}",
                *(
                    "–" if run[k] is None else f"{run[k]:.1f}"
                    for k in ("p50_ms", "p90_ms", "p99_ms", "max_ms")
                ),
                str(run["errors"] + run["unfinished"]),
            ]
            lines.append("| " + " | ".join([name, server, *cells]) + " |")
    return "\n".join(lines)


def targets(output: dict[str, Any]) -> list[dict[str, Any]]:
    """Each of issue 12's targets: what it asks, what was measured, whether it is met."""
    found: list[dict[str, Any]] = []
    for name, result in output["results"].items():
        found.extend(_operation_targets(name, result))
    for name, servers in (output.get("fixed_rate") or {}).items():
        p99 = servers.get("parley", {}).get("p99_ms")
        run = servers.get("parley", {})
        found.append(
            {
                "target": f"{name}: p99 ≤ {P99_TARGET_MS:g} ms at half the maximum rate",
                "measured": None
                if p99 is None
                else f"{p99:.1f} ms at {run['target_rps']:,.0f} req/s",
                "met": p99 is not None and p99 <= P99_TARGET_MS and run["errors"] == 0,
            }
        )
    peaks = [
        result["parley"]["peak_rss_worker_mib"]
        for result in output["results"].values()
        if "parley" in result
    ]
    if peaks:
        found.append(
            {
                "target": f"≤ {RSS_TARGET_MIB:g} MiB RSS per Parley worker",
                "measured": f"{max(peaks):.0f} MiB",
                "met": max(peaks) <= RSS_TARGET_MIB,
            }
        )
    return found


def _operation_targets(name: str, result: dict[str, Any]) -> list[dict[str, Any]]:
    """The rate target of one operation; for an uncached read also CPU and statements."""
    mutation = name == "recordMeeting"
    cached = name.endswith("(cached)")
    wanted = MUTATION_RATIO if mutation else CACHED_RATIO if cached else READ_RATIO
    skipped = "skipped" in result
    ratio = None if skipped else result["ratio_rps"]
    found = [
        {
            "target": f"{name}: ≥ {wanted:g}× PostGraphile's req/s",
            "measured": None if ratio is None else f"{ratio:.2f}×",
            "met": ratio is not None and ratio >= wanted,
        }
    ]
    if mutation or cached:
        return found
    cpu: tuple[float, float] | None = None
    if not skipped:
        mine, theirs = (result[s].get("server_cpu_ms") for s in ("parley", "postgraphile"))
        cpu = (mine, theirs) if mine is not None and theirs is not None else None
    statements = (result.get("statements") or {}).get("parley")
    found.append(
        {
            "target": f"{name}: server CPU per request ≤ {CPU_SHARE:g}× PostGraphile's",
            "measured": None if cpu is None else f"{cpu[0]:.2f} / {cpu[1]:.2f} ms",
            "met": cpu is not None and cpu[0] <= CPU_SHARE * cpu[1],
        }
    )
    found.append(
        {
            "target": f"{name}: {READ_STATEMENTS} SQL statement per request",
            "measured": None if statements is None else str(statements),
            "met": statements == READ_STATEMENTS,
        }
    )
    return found


def _targets(output: dict[str, Any]) -> str:
    found = output.get("targets") or targets(output)
    lines = ["", "", "Targets (issue 12):", ""]
    for t in found:
        mark = "met" if t["met"] else "NOT met"
        lines.append(f"- {t['target']}: {t['measured'] or 'not measured'} — {mark}")
    return "\n".join(lines)


def _footer(output: dict[str, Any]) -> str:
    m = output["machine"]
    s = output["settings"]
    scale = output["scale"]
    return (
        f"\n\nScale {scale['name']}: {scale['mechanisms']} generated mechanisms, "
        f"{scale['meetings']:,} meetings, {scale['participations']:,} participations "
        f"(plus the seed). {s['load_generator']}, {s['concurrency']} connections, "
        f"{s['rounds']} alternating rounds × {s['duration_s']:g} s (after {s['warmup_s']:g} s "
        f"warm-up), medians. Parley's response cache is off except in the (cached) rows.\n"
        f"recordMeeting: {output.get('mutation_compared', '')}\n"
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, "
        f"Linux {m['kernel']}, Python {m['python']}.\nParley: {output['servers']['parley']}"
        f" (cached rows: {output['servers'].get('parley_cached', '–')}). "
        f"PostGraphile: {output['servers']['postgraphile']}."
    )


def row_summary(name: str, result: dict[str, Any]) -> str:
    if "skipped" in result:
        problem = (result.get("check") or {}).get("problem", "")
        return f"{name:>14}: skipped — {result['skipped']} {problem}".rstrip()
    p, g = result["parley"], result["postgraphile"]
    cache = f", cache hits {p['cache_hit_share']:.1%}" if "cache_hit_share" in p else ""
    return (
        f"{name:>14}: parley {p['rps']:,.0f} req/s (p99 {p['p99_ms']:.1f} ms{cache}), "
        f"postgraphile {g['rps']:,.0f} req/s (p99 {g['p99_ms']:.1f} ms), "
        f"ratio {result['ratio_rps']:.2f}×, errors {p['errors']} / {g['errors']}"
    )
