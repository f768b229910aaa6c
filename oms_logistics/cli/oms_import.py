"""``odoo-bin --addons-path=... oms-import -d DB --file F --preset NAME [--confirm]``

Imports a file into a new batch exactly as the web client's import wizard does (same
reader, same preset, same checks), optionally creates and confirms the orders, and
prints a JSON summary. Exit code 1 when the file has rows in error and nothing was created;
2 with {"error": ...} when the import cannot be done at all (unknown preset, unreadable file).
"""

import argparse
import json
import sys
from pathlib import Path

import odoo
from odoo.cli import Command
from odoo.exceptions import UserError
from odoo.tools import config


class OmsImport(Command):
    """Import an order file (XLSX/CSV) into an OMS batch and print a JSON summary"""

    name = "oms-import"

    def run(self, cmdargs):
        parser = argparse.ArgumentParser(prog="odoo-bin oms-import", description=self.__doc__)
        parser.add_argument("-c", "--config", help="Odoo configuration file")
        parser.add_argument("-d", "--database", required=True)
        parser.add_argument("--file", required=True, type=Path)
        parser.add_argument("--preset", required=True, help="name of an import preset")
        parser.add_argument("--company", type=int, help="company id (default: the preset's)")
        parser.add_argument("--confirm", action="store_true", help="create and confirm the orders")
        parser.add_argument("--create", action="store_true", help="create the orders as quotations")
        parser.add_argument("--valid-only", action="store_true",
                            help="create orders for the valid rows even if others are in error")
        parser.add_argument("--foreground", action="store_true",
                            help="never hand big batches to queue_job")
        parser.add_argument("--tz", help="time zone of the file's times (default: the user's, as in the web client)")
        parser.add_argument("--user", default="admin",
                            help="login of the salesperson the batch is imported for (default: admin); "
                                 "their time zone reads the file's times")
        args, odoo_args = parser.parse_known_args(cmdargs)
        config_args = ["-d", args.database] + (["-c", args.config] if args.config else []) + odoo_args
        config.parse_config(config_args, setup_logging=True)
        if not args.file.is_file():
            sys.exit(f"oms-import: no such file: {args.file}")
        registry = odoo.modules.registry.Registry(args.database)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            user = env["res.users"].with_context(active_test=False).search([("login", "=", args.user)], limit=1)
            if not user:
                print(json.dumps({"error": f"no user has the login {args.user}"}, indent=2))
                sys.exit(2)
            # as that user, like the web client, with every right (the command line is trusted)
            env = odoo.api.Environment(cr, user.id, {"tz": args.tz} if args.tz else {}, su=True)
            try:
                summary, ok = env["oms.order.batch"]._cli_import(
                    args.file.read_bytes(), args.file.name, args.preset, company_id=args.company,
                    create=args.create or args.confirm, confirm=args.confirm,
                    valid_only=args.valid_only, foreground=args.foreground,
                )
            except UserError as error:
                # the same sentence the web client would show, as JSON, nothing kept
                cr.rollback()
                print(json.dumps({"error": str(error), "file": args.file.name, "preset": args.preset},
                                 indent=2, ensure_ascii=False))
                sys.exit(2)
            cr.commit()
        print(json.dumps(summary, indent=2, ensure_ascii=False))
        sys.exit(0 if ok else 1)
