from . import oms_batch_import
from . import oms_batch_import_column
from . import oms_repeat_order
from . import oms_order_action_result
from . import oms_order_action_result_line
