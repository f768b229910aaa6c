#!/usr/bin/env python3
"""Benchmark (not a test): importing real orders through oms_logistics vs Odoo's standard import.

For each N (1,000 and 10,000 by default) the first N rows of the UCI Online Retail file that
have a CustomerID, are not cancellations (InvoiceNo not starting with the preset's
cancellation prefix) and whose StockCode is not one of the preset's non-product codes are
imported twice, from the same committed state, each side in its own transaction that is
rolled back afterwards:

* oms: the N rows as a CSV in the file's own format, through
  ``oms.order.batch._cli_import(..., "Online Retail (UCI)", create=True, confirm=False,
  foreground=True)``: read, parse, batch lines, check, then sale orders created
  (``_action_create_orders`` -> ``_create_orders``) as quotations;
* base: the same rows as the CSV a user would build for Odoo's import
  (``base_import.import.execute_import(dryrun=False)`` on ``sale.order``): one row per
  order line, the order fields (customer by its reference, invoice number as customer
  reference, date as delivery date) on the first row of each order only, product by its
  internal reference (``order_line/product_id``), quantity and unit price.

Partners (ref = CustomerID) and storable products (default_code = StockCode) are created
and committed once beforehand, without stock (so every oms line gets a "stock_short"
warning). Both sides must produce the same number of sale orders and lines. Each side runs
--repeat times per N (alternating, after an unmeasured warm-up of both); the fastest run is
reported. Printed per N: orders, lines, seconds, SQL queries (``odoo.sql_db.sql_counter``
deltas, flush included), lines/s, queries/line for both sides, and the throughput ratio
oms/base; for oms also the time and queries of its main steps.

    tools/oms.sh bench [--sizes 1000,10000] [--profile] [--markdown FILE]
    python bench/import_orders.py -d DB --addons-path REPO [...]
"""
import argparse
import cProfile
import csv
import gzip
import io
import os
import platform
import pstats
import sys
import time
from collections import defaultdict
from datetime import datetime

# the shared data folder sits beside the repository (../shared)
DEFAULT_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data",
                            "online-retail", "online_retail_2010-12_to_2011-08.csv.gz")
PRESET = "Online Retail (UCI)"
HEADER = ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"]
INV, CODE, DESC, QTY, DATE, PRICE, CUST, COUNTRY = range(8)
BASE_FIELDS = ["partner_id", "client_order_ref", "commitment_date",
               "order_line/product_id", "order_line/product_uom_qty", "order_line/price_unit"]
BASE_OPTIONS = {
    "quoting": '"', "separator": ",", "encoding": "utf-8", "has_headers": True,
    "date_format": "%Y-%m-%d", "datetime_format": "%Y-%m-%d %H:%M:%S",
    "float_thousand_separator": ",", "float_decimal_separator": ".",
    "import_skip_records": [], "import_set_empty_fields": [], "name_create_enabled_fields": {},
    "fallback_values": {},
}


def customer_ref(value):
    """CustomerID is written as a float (17850.0): the reference is 17850."""
    value = value.strip()
    return value[:-2] if value.endswith(".0") else value


# ---------------------------------------------------------------------------- data

def select_rows(path, count, cancel_prefix, non_product_codes):
    """First `count` rows with a CustomerID, not a cancellation, not a non-product code.
    Returns (rows, marks): marks[i] = (data rows scanned, {reason: rows skipped}) when
    rows[i] was taken, to report what the first i + 1 rows cost."""
    rows, marks = [], []
    skipped = defaultdict(int)
    scanned = 0
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        if header != HEADER:
            sys.exit(f"unexpected header in {path}: {header}")
        for row in reader:
            scanned += 1
            if not row[CUST].strip():
                skipped["no CustomerID"] += 1
            elif cancel_prefix and row[INV].startswith(cancel_prefix):
                skipped["cancellation"] += 1
            elif row[CODE].strip() in non_product_codes:
                skipped["non-product code"] += 1
            else:
                rows.append(row)
                marks.append((scanned, dict(skipped)))
                if len(rows) == count:
                    break
    return rows, marks


def oms_csv(rows):
    """The rows in the file's own format, as the user uploads them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode()


def order_groups(rows):
    """Rows grouped by the order they belong to (customer, day, invoice), in file order."""
    groups = {}
    for row in rows:
        key = (customer_ref(row[CUST]), row[DATE][:10], row[INV])
        groups.setdefault(key, []).append(row)
    return groups


def base_csv(rows):
    """The file a user builds for Odoo's import: a row per line, order fields on the first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(BASE_FIELDS)
    for (customer, _day, invoice), lines in order_groups(rows).items():
        for index, row in enumerate(lines):
            head = [customer, invoice, row[DATE]] if index == 0 else ["", "", ""]
            writer.writerow(head + [row[CODE].strip(), row[QTY], row[PRICE]])
    return out.getvalue().encode()


def ensure_master_data(env, rows):
    """Partners (ref = CustomerID) and storable products (default_code = StockCode)."""
    env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
    Partner, Product = env["res.partner"], env["product.product"].with_context(active_test=False)
    refs = sorted({customer_ref(r[CUST]) for r in rows})
    existing = set(Partner.with_context(active_test=False).search([("ref", "in", refs)]).mapped("ref"))
    new_refs = [ref for ref in refs if ref not in existing]
    Partner.create([{"name": f"Online Retail customer {ref}", "ref": ref, "is_company": True} for ref in new_refs])
    first = {}
    for row in rows:
        first.setdefault(row[CODE].strip(), row)
    existing = set(Product.search([("default_code", "in", list(first))]).mapped("default_code"))
    missing = [code for code in first if code not in existing]
    Product.create([{
        "name": first[code][DESC].strip() or code, "default_code": code, "type": "consu",
        "is_storable": True, "sale_ok": True, "list_price": float(first[code][PRICE]),
    } for code in missing])
    return len(refs), len(first), len(new_refs), len(missing)


# ---------------------------------------------------------------------------- sides

class Phases:
    """Inclusive time and queries of a few oms methods, by wrapping them on the registry
    classes for the duration of a run."""

    METHODS = {
        "oms.order.batch": ["_import_table", "_check_lines", "_create_orders", "_link_lines"],
        "oms.order.batch.line": ["_resolve_and_validate", "_compute_stock_alerts"],
    }

    def __init__(self, env):
        self.env = env
        self.stats = defaultdict(lambda: [0, 0.0, 0])
        self.saved = []

    def __enter__(self):
        import odoo.sql_db as sql_db
        for model, names in self.METHODS.items():
            cls = type(self.env[model])
            for name in names:
                func = getattr(cls, name)
                stat = self.stats[f"{model.rsplit('.', 1)[-1]}.{name}"]

                def wrapper(self_, *args, __func=func, __stat=stat, **kwargs):
                    t0, q0 = time.perf_counter(), sql_db.sql_counter
                    try:
                        return __func(self_, *args, **kwargs)
                    finally:
                        __stat[0] += 1
                        __stat[1] += time.perf_counter() - t0
                        __stat[2] += sql_db.sql_counter - q0

                self.saved.append((cls, name, cls.__dict__.get(name)))
                setattr(cls, name, wrapper)
        return self

    def __exit__(self, *exc):
        for cls, name, original in reversed(self.saved):
            if original is None:
                delattr(cls, name)
            else:
                setattr(cls, name, original)


def measure(env, work):
    import odoo.sql_db as sql_db
    t0, q0 = time.perf_counter(), sql_db.sql_counter
    result = work()
    env.flush_all()
    return result, time.perf_counter() - t0, sql_db.sql_counter - q0


def run_oms(env, rows, phases=None, profiler=None):
    data = oms_csv(rows)
    Batch = env["oms.order.batch"]

    def work():
        if profiler:
            profiler.enable()
        try:
            return Batch._cli_import(data, f"online_retail_{len(rows)}.csv", PRESET,
                                     create=True, confirm=False, foreground=True)
        finally:
            if profiler:
                profiler.disable()

    if phases is not None:
        with Phases(env) as ph:
            (summary, ok), seconds, queries = measure(env, work)
        phases.update(ph.stats)
    else:
        (summary, ok), seconds, queries = measure(env, work)
    batch = Batch.search([("name", "=", summary["batch"])], limit=1)
    assert ok and not summary["rows_in_error"], f"oms: rows in error: {summary['problems_by_kind']}"
    assert summary["lines"] == len(rows), f"oms: {summary['lines']} batch lines for {len(rows)} rows"
    assert not batch.line_ids.filtered(lambda l: not l.sale_line_id), "oms: batch lines left without order"
    orders = batch.order_ids
    lines = env["sale.order.line"].search_count([("order_id", "in", orders.ids)])
    return {"orders": len(orders), "lines": lines, "seconds": seconds, "queries": queries,
            "warnings": summary["problems_by_kind"]}


def run_base(env, rows):
    data = base_csv(rows)
    # the import dialog sends tracking_disable=True unless the user ticks "Track history"
    env = env(context=dict(env.context, tracking_disable=True))
    importer = env["base_import.import"].create({
        "res_model": "sale.order", "file": data, "file_type": "text/csv", "file_name": "sale_orders.csv"})
    result, seconds, queries = measure(
        env, lambda: importer.execute_import(BASE_FIELDS, BASE_FIELDS, dict(BASE_OPTIONS), dryrun=False))
    errors = [m for m in result["messages"] if m.get("type") == "error"]
    assert not errors, f"base: {len(errors)} errors, first: {errors[0]}"
    orders = env["sale.order"].browse(result["ids"])
    lines = env["sale.order.line"].search_count([("order_id", "in", orders.ids)])
    return {"orders": len(orders), "lines": lines, "seconds": seconds, "queries": queries,
            "warnings": len(result["messages"])}


def in_rolled_back_transaction(registry, function, *args, **kwargs):
    """Run function(env, ...) as the admin user in a fresh cursor, then roll back."""
    from odoo import SUPERUSER_ID, api
    cr = registry.cursor()
    try:
        root = api.Environment(cr, SUPERUSER_ID, {})
        admin = root.ref("base.user_admin")
        env = api.Environment(cr, admin.id, dict(admin.context_get()))
        return function(env, *args, **kwargs)
    finally:
        cr.rollback()
        cr.close()


# ---------------------------------------------------------------------------- report

def table(results):
    lines = ["| N | side | orders | lines | seconds | queries | lines/s | queries/line |",
             "|---:|---|---:|---:|---:|---:|---:|---:|"]
    for n, sides in results:
        for side in ("oms", "base"):
            r = sides[side]
            lines.append(f"| {n:,} | {side} | {r['orders']:,} | {r['lines']:,} | {r['seconds']:.2f} | "
                         f"{r['queries']:,} | {r['lines'] / r['seconds']:,.0f} | {r['queries'] / r['lines']:.3f} |")
        ratio = sides["base"]["seconds"] / sides["oms"]["seconds"]
        lines.append(f"| {n:,} | **oms/base throughput** | | | | | **{ratio:.2f}x** | |")
    return "\n".join(lines)


def load():
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "?"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--data", default=DEFAULT_DATA)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated row counts")
    parser.add_argument("--warmup", type=int, default=50, help="rows imported once by each side first, not measured")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each side per N (alternating); the fastest run is reported")
    parser.add_argument("--profile", action="store_true",
                        help="after the measured runs, cProfile the oms side at the largest N")
    parser.add_argument("--profile-top", type=int, default=30)
    parser.add_argument("--markdown", help="also write the table to this file")
    parser.add_argument("--log-level", default="warn")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.tools import config
    config.parse_config(["-d", args.database, f"--addons-path={args.addons_path}",
                         f"--log-level={args.log_level}", "--max-cron-threads=0"], setup_logging=True)
    registry = odoo.modules.registry.Registry(args.database)

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        preset = env["oms.import.preset"].search([("name", "=", PRESET)], limit=1)
        if not preset:
            sys.exit(f"no import preset named {PRESET!r} in {args.database}")
        cancel_prefix = preset.cancel_prefix or ""
        non_product = frozenset(c.strip() for c in (preset.non_product_codes or "").split(",") if c.strip())
        rows, marks = select_rows(args.data, max(sizes), cancel_prefix, non_product)
        if len(rows) < max(sizes):
            sys.exit(f"only {len(rows)} usable rows in {args.data}")
        t0 = time.perf_counter()
        partners, products, new_partners, new_products = ensure_master_data(env, rows)
        cr.commit()
    print(f"database {args.database}, Odoo {odoo.release.version}, Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, {datetime.now():%Y-%m-%d %H:%M}, load average {load()}")
    print(f"master data: {partners} partners ({new_partners} created), {products} storable products "
          f"({new_products} created) in {time.perf_counter() - t0:.1f}s, committed")
    for n in sizes:
        scanned, skipped = marks[n - 1]
        groups = order_groups(rows[:n])
        print(f"N={n:,}: first {n:,} usable rows of the first {scanned:,} data rows of the file; skipped "
              + (", ".join(f"{v:,} {k}" for k, v in sorted(skipped.items())) or "none")
              + f"; {len(groups):,} orders, {len({r[CUST] for r in rows[:n]})} customers, "
              f"{len({r[CODE].strip() for r in rows[:n]})} products")
    sys.stdout.flush()

    if args.warmup:
        in_rolled_back_transaction(registry, run_oms, rows[:args.warmup])
        in_rolled_back_transaction(registry, run_base, rows[:args.warmup])

    results = []
    for n in sizes:
        oms = base = None
        for attempt in range(1, args.repeat + 1):
            phases = {}
            run = in_rolled_back_transaction(registry, run_oms, rows[:n], phases=phases)
            print(f"  N={n:,} run {attempt} oms : {run['seconds']:6.2f}s {run['queries']:7,} queries; "
                  f"problems {run['warnings']}")
            for name, (calls, seconds, queries) in phases.items():
                print(f"      {name:<36} x{calls}  {seconds:7.2f}s  {queries:7,} queries")
            oms = run if oms is None or run["seconds"] < oms["seconds"] else oms
            sys.stdout.flush()
            run = in_rolled_back_transaction(registry, run_base, rows[:n])
            print(f"  N={n:,} run {attempt} base: {run['seconds']:6.2f}s {run['queries']:7,} queries; "
                  f"{run['warnings']} messages")
            base = run if base is None or run["seconds"] < base["seconds"] else base
            sys.stdout.flush()
        assert (oms["orders"], oms["lines"]) == (base["orders"], base["lines"]), \
            f"N={n}: oms made {oms['orders']} orders/{oms['lines']} lines, base {base['orders']}/{base['lines']}"
        assert oms["lines"] == n, f"N={n}: {oms['lines']} sale order lines"
        results.append((n, {"oms": oms, "base": base}))

    text = table(results)
    print(f"\nfastest of {args.repeat} run(s) per side; load average {load()} at the end")
    print(text)
    if len(results) > 1:
        first, last = results[0], results[-1]
        growth = (last[1]["oms"]["queries"] / last[0]) / (first[1]["oms"]["queries"] / first[0])
        print(f"\noms queries/line {first[0]:,} -> {last[0]:,}: x{growth:.2f}")
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")

    if args.profile:
        n = max(sizes)
        profiler = cProfile.Profile()
        in_rolled_back_transaction(registry, run_oms, rows[:n], profiler=profiler)
        path = f"/tmp/oms_bench_{n}.prof"
        profiler.dump_stats(path)
        print(f"\ncProfile of the oms side at N={n:,} ({path}):")
        for key in ("tottime", "cumulative"):
            stats = pstats.Stats(profiler, stream=sys.stdout)
            stats.strip_dirs().sort_stats(key).print_stats(args.profile_top)


if __name__ == "__main__":
    main()
