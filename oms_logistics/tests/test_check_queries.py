"""Query-count guards: checking a batch costs the same number of queries whatever its size;
creating its orders costs a bounded number of queries per line.

The bounds are the numbers measured on Odoo 18.0 with a small margin; assertQueryCount fails
above the bound and only logs below it.
"""

from odoo.tests import tagged
from odoo.tests.common import warmup

from .common import OmsCase

HEADER = ["Customer", "Product", "Qty", "Price", "Date", "Ref"]
KNOWN_CUSTOMERS = ["C-ALBA", "C-BRISA", "CUST0001"]  # by ref, ref, barcode

# action_check of 20 and of 200 imported lines (unknown customers, bad dates, lines short of
# stock, prices from the pricelist or from the file, good rows), measured on Odoo 18.0:
# 44 queries for both sizes. Bound: that + 2.
CHECK_QUERIES = 46
# _create_orders of a checked batch, 2 lines per order, measured on Odoo 18.0:
# 10 orders / 20 lines: 106 queries; 50 orders / 100 lines: 346 queries (3.46 per line). sale.order's
# create() works per order (about 6 queries per order), so the count grows with the orders; the
# guards are the measured counts + 10%: 3.8 queries per line for 100 lines, 116 for 20 lines.
CREATE_QUERIES_PER_LINE = 3.8
CREATE_QUERIES_20_LINES = 116
INSERT_BATCH = 100  # odoo.models.INSERT_BATCH_SIZE: create() inserts 100 rows per query


@tagged("post_install", "-at_install")
class TestCheckQueries(OmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_bag = cls.env["product.product"].create({
            "name": "Query bag", "default_code": "BAG-Q", "list_price": 0.10, "type": "consu"})

    def import_rows(self, count, all_bad=False):
        """An imported batch of `count` rows: a tenth unknown customers, a tenth bad dates,
        a tenth lanterns (short of stock after the first), the rest lamps and bags."""
        rows = [HEADER]
        for i in range(count):
            customer = "Nobody Ltd" if all_bad or i % 10 == 3 else KNOWN_CUSTOMERS[i % 3]
            if i % 10 == 5:
                product, qty = "71053", 6
            else:
                product, qty = ("BAG-Q", 1) if i % 2 else ("5012345678900", 1)
            date = "31/02/2024" if all_bad or i % 10 == 7 else ("15/03/2024", "16/03/2024")[i % 2]
            rows.append([customer, product, qty, "2.5" if i % 3 else "", date, f"PO-{i % 10}"])
        return self.import_file(self.make_csv(rows), f"rows{count}.csv")

    def count_check(self, batch, bound):
        self.env.invalidate_all()
        with self.assertQueryCount(bound):
            start = self.cr.sql_log_count
            batch.action_check()
            self.env.flush_all()
            return self.cr.sql_log_count - start

    @warmup
    def test_check_is_constant(self):
        small, big = self.import_rows(20), self.import_rows(200)
        for batch in (small, big):
            self.assertEqual(set(batch.problem_ids.mapped("kind")), {"unknown_customer", "bad_date", "stock_short"})
            self.assertLess(len(batch.problem_ids), INSERT_BATCH)
        counts = self.count_check(small, CHECK_QUERIES), self.count_check(big, CHECK_QUERIES)
        if self.warm:  # the warm-up run fills the ormcaches on the first batch only
            self.assertEqual(counts[0], counts[1], "checking 200 lines costs more queries than 20")
        self.assertEqual((small.error_count, big.error_count), (4, 40))
        self.assertEqual(len(big.line_ids), 200)

    @warmup
    def test_check_many_problems(self):
        """The only growth: Odoo's create() inserts the problems 100 at a time."""
        batch = self.import_rows(200, all_bad=True)
        problems = len(batch.problem_ids)
        self.assertEqual(problems, 419)  # unknown customer and bad date on every row, 19 lanterns short
        inserts = -(-problems // INSERT_BATCH)
        self.count_check(batch, CHECK_QUERIES + inserts - 1)

    def batch_for_orders(self, orders):
        """A checked batch typed in the grid: `orders` orders of 2 lines each, all valid."""
        lines = []
        for i in range(orders):
            partner = (self.customer_a, self.customer_b)[i % 2]
            for product in (self.product_bag, self.product_lamp):
                lines.append({"partner_id": partner.id, "product_id": product.id, "product_uom_qty": 1,
                              "client_order_ref": f"REF-{i}"})
        batch = self.make_batch(lines)
        self.assertFalse(batch.error_count)
        return batch

    @warmup
    def test_create_orders_per_line(self):
        small, big = self.batch_for_orders(10), self.batch_for_orders(50)
        self.env.invalidate_all()
        with self.assertQueryCount(CREATE_QUERIES_20_LINES):
            small._create_orders(small.line_ids)
        self.env.invalidate_all()
        with self.assertQueryCount(int(100 * CREATE_QUERIES_PER_LINE)):
            big._create_orders(big.line_ids)
        self.assertEqual(len(small.order_ids), 10)
        self.assertEqual(len(big.order_ids), 50)
        self.assertEqual(len(big.line_ids.sale_line_id), 100)
        self.assertEqual(big.state, "confirmed")
