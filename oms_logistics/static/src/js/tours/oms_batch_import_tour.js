/** @odoo-module **/
/**
 * Main user flow of oms_logistics, run by tests/test_tours.py (TestBatchTour):
 * new batch -> import a CSV through a preset -> fix the row with an unknown customer in
 * the grid -> check again -> create and confirm the orders.
 */
import { registry } from "@web/core/registry";

const CSV = [
    "Customer,Product,Qty,Ref",
    "TOUR-ALBA,TOUR-LAMP,3,PO-TOUR-1",
    "NOPE-1,TOUR-MUG,2,PO-TOUR-2",
    "TOUR-ALBA,TOUR-MUG,1,PO-TOUR-1",
].join("\n");

const LINES = ".o_field_widget[name=line_ids]";
const BAD_ROW = `${LINES} .o_data_row:has(td[name=raw_customer]:contains(NOPE-1))`;

registry.category("web_tour.tours").add("oms_batch_import_tour", {
    url: "/odoo/action-oms_logistics.oms_order_batch_action",
    steps: () => [
        {
            content: "Create a new batch",
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            content: "Open the import wizard (saves the new batch)",
            trigger: ".o_form_view .o_statusbar_buttons button.btn-primary[name=action_open_import]",
            run: "click",
        },
        {
            content: "Upload the CSV file",
            trigger: ".modal .o_oms_import_file input[type=file]:not(:visible)",
            run() {
                const file = new File([CSV], "tour_orders.csv", { type: "text/csv" });
                const transfer = new DataTransfer();
                transfer.items.add(file);
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The file is attached",
            trigger: ".modal .o_oms_import_file input.o_input[readonly]",
        },
        {
            content: "Choose the preset",
            trigger: ".modal .o_field_widget[name=preset_id] input",
            run: "edit Tour preset",
        },
        {
            trigger: ".modal .o-autocomplete--dropdown-item > a:contains(Tour preset)",
            run: "click",
        },
        {
            content: "Go to the mapping step",
            trigger: ".modal footer button[name=action_next]",
            run: "click",
        },
        {
            content: "The preset's mapping is proposed",
            trigger: ".modal .o_field_widget[name=column_ids] .o_data_row:has(td[name=header]:contains(Customer)) td[name=target]:contains(Customer)",
        },
        {
            trigger: ".modal .o_field_widget[name=column_ids] .o_data_row:has(td[name=header]:contains(Qty)) td[name=target]:contains(Quantity)",
        },
        {
            trigger: ".modal .o_field_widget[name=row_count]:contains(3)",
        },
        {
            content: "Import and check the rows",
            trigger: ".modal footer button[name=action_import]",
            run: "click",
        },
        {
            content: "The batch reports the row in error",
            trigger: "body:not(:has(.modal)) .o_form_view .alert-danger:contains(rows have problems)",
        },
        {
            trigger: `${BAD_ROW} td[name=problem_text]:contains(Unknown customer)`,
        },
        {
            trigger: ".o_notebook_headers .nav-link:contains(Problems)",
        },
        {
            content: "Fix the row: choose the real customer",
            trigger: `${BAD_ROW} td[name=partner_id]`,
            run: "click",
        },
        {
            trigger: `${LINES} .o_selected_row .o_field_widget[name=partner_id] input`,
            run: "edit Tourmaline Brisa",
        },
        {
            trigger: ".o-autocomplete--dropdown-item > a:contains(Tourmaline Brisa)",
            run: "click",
        },
        {
            trigger: `${LINES} .o_selected_row .o_field_widget[name=partner_id] input:value(Tourmaline Brisa)`,
        },
        {
            content: "Save the batch",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "The edit put the batch back to draft: check it again",
            trigger: ".o_form_view .o_form_saved .o_statusbar_buttons button.btn-primary[name=action_check]",
            run: "click",
        },
        {
            content: "Checked, and no row in error any more",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value=checked]",
        },
        {
            trigger: ".o_form_view .o_form_sheet:not(:has(.alert-danger))",
        },
        {
            content: "Create and confirm the orders",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_create_and_confirm]",
            run: "click",
        },
        {
            content: "The batch is done",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value=done]",
        },
        {
            content: "The Orders smart button counts the orders",
            trigger: ".o_form_view .oe_stat_button[name=action_view_orders] .o_stat_value:contains(2)",
        },
        {
            content: "Open the orders tab",
            trigger: ".o_notebook_headers .nav-link:contains(Orders)",
            run: "click",
        },
        {
            content: "Both orders are confirmed",
            trigger: ".o_field_widget[name=order_ids] .o_data_row:has(td[name=partner_id]:contains(Tourmaline Alba)) td[name=state]:contains(Sales Order)",
        },
        {
            trigger: ".o_field_widget[name=order_ids] .o_data_row:has(td[name=partner_id]:contains(Tourmaline Brisa)) td[name=state]:contains(Sales Order)",
        },
    ],
});
