"""Cut a one-day sample of the shared Online Retail data set into the addon.

    python tools/make_sample.py ../shared/data/online-retail/online_retail_2010-12_to_2011-08.csv.gz 2010-12-22

Writes oms_logistics/demo/online_retail_<day>.csv (rows exactly as in the source, header
included) plus the customers and products the day needs, as Odoo CSV demo files.
"""

import csv
import gzip
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parents[1] / "oms_logistics" / "demo"
NON_PRODUCT = {"POST", "D", "M", "m", "C2", "DOT", "CRUK", "PADS", "S", "B", "BANK CHARGES", "AMAZONFEE"}


def main(source, day):
    with gzip.open(source, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [row for row in reader if row[4].startswith(day)]
    out = DEMO / f"online_retail_{day}.csv"
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    customers, products = {}, {}
    for _invoice, code, description, _qty, _date, price, customer, country in rows:
        if customer:
            customers.setdefault(customer.split(".")[0], country)
        if code not in NON_PRODUCT and code not in products:
            products[code] = (description.strip() or code, price)
    with (DEMO / "res.partner.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", "name", "ref", "is_company", "customer_rank", "comment"])
        for ref, country in sorted(customers.items()):
            writer.writerow([f"oms_customer_{ref}", f"Retail customer {ref} ({country})", ref, "1", "1",
                             "UCI Online Retail data set, CC BY 4.0"])
    with (DEMO / "product.product.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", "name", "default_code", "list_price", "type", "is_storable", "sale_ok", "invoice_policy"])
        for code, (name, price) in sorted(products.items()):
            xmlid = "oms_product_" + "".join(ch if ch.isalnum() else "_" for ch in code)
            writer.writerow([xmlid, name.title(), code, price, "consu", "True", "True", "delivery"])
    print(f"{len(rows)} rows, {len(customers)} customers, {len(products)} products -> {out}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
