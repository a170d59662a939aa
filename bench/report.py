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
)


def _cell(measured: dict[str, Any], key: str, fmt: str) -> str:
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
            cells = [_cell(measured, key, fmt) for _, key, fmt in COLUMNS]
            ratio = f"**{result['ratio_rps']:.2f}×**" if server == "parley" else ""
            lines.append("| " + " | ".join([name, server, *cells, ratio]) + " |")
    return "\n".join(lines) + _footer(output)


def _footer(output: dict[str, Any]) -> str:
    m = output["machine"]
    s = output["settings"]
    scale = output["scale"]
    return (
        f"\n\nScale {scale['name']}: {scale['mechanisms']} generated mechanisms, "
        f"{scale['meetings']:,} meetings, {scale['participations']:,} participations "
        f"(plus the seed). {s['load_generator']}, {s['concurrency']} connections, "
        f"{s['rounds']} alternating rounds × {s['duration_s']:g} s (after {s['warmup_s']:g} s "
        f"warm-up), medians.\nMachine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, "
        f"Linux {m['kernel']}, Python {m['python']}.\nParley: {output['servers']['parley']}. "
        f"PostGraphile: {output['servers']['postgraphile']}."
    )


def row_summary(name: str, result: dict[str, Any]) -> str:
    if "skipped" in result:
        return f"{name:>14}: skipped — {result['skipped']}"
    p, g = result["parley"], result["postgraphile"]
    return (
        f"{name:>14}: parley {p['rps']:,.0f} req/s (p99 {p['p99_ms']:.1f} ms), "
        f"postgraphile {g['rps']:,.0f} req/s (p99 {g['p99_ms']:.1f} ms), "
        f"ratio {result['ratio_rps']:.2f}×"
    )
