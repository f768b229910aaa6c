from . import oms_import
