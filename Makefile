# Two commands do all the set-up on a fresh Debian machine: `make run` and `make test`.
# Settings (override on the command line): ODOO_SRC=/opt/odoo18 DB=oms TEST_DB=oms_test PORT=8069
export ODOO_SRC DB TEST_DB PORT VENV

.PHONY: run test test-core setup import bench pot

run:           ## install what is missing, create the demo database once, serve http://localhost:8069
	@tools/oms.sh run

test:          ## same set-up, fresh test database, all tests; closes with "N passed, N failed"
	@tools/oms.sh test

test-core:     ## Odoo's own sale, sale_stock and stock suites with oms_logistics installed
	@tools/oms.sh test-core

setup:
	@tools/oms.sh setup

import:        ## make import FILE=orders.xlsx PRESET="Online Retail (UCI)" [CREATE=1 | CONFIRM=1] [VALID_ONLY=1]
	@tools/oms.sh odoo oms-import -d $(or $(DB),oms) --file "$(FILE)" --preset "$(PRESET)" \
		$(if $(CREATE),--create) $(if $(CONFIRM),--confirm) $(if $(VALID_ONLY),--valid-only)

bench:         ## bench/import_orders.py against Odoo's standard import
	@tools/oms.sh bench

pot:           ## regenerate i18n/oms_logistics.pot from the test database
	@tools/oms.sh pot
