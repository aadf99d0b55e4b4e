//! Invoices: status, due, amount; overdue in red; totals per status and currency in the
//! footer. `p` marks paid today, `c` moves an open invoice received → approved → disputed →
//! received, `C` cancels one after asking (both undoable).
use super::contacts::move_paged;
use super::form::FormKind;
use super::paged::{PAGE, Paged};
use super::{
    Action, App, Effect, Load, Popup, Record, Total, confirm_delete, copy, mark_paid, open_detail,
    open_form, save,
};
use crate::domain::{Invoice, InvoiceStatus};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InvoicesState {
    pub list: Paged<Invoice>,
    pub filter: String,
    pub totals: Vec<Total>,
    /// Show paid and cancelled invoices too.
    pub show_all: bool,
}

fn search(f: &str) -> Option<String> {
    let f = f.trim();
    (!f.is_empty()).then(|| f.to_string())
}

pub fn load_at(app: &App, offset: usize) -> Effect {
    Effect::Load(Load::Invoices {
        search: search(&app.invoices.filter),
        offset: offset as u32,
        limit: PAGE as u32,
        open_only: !app.invoices.show_all,
    })
}

pub fn load(app: &App) -> Effect {
    load_at(app, app.invoices.list.page_for_selected())
}

pub fn loaded(
    app: &mut App,
    s: Option<String>,
    offset: u32,
    rows: Vec<Invoice>,
    totals: Vec<Total>,
    total: u64,
) -> Vec<Effect> {
    if s != search(&app.invoices.filter) {
        return vec![];
    }
    // the cursor stays on its invoice (one just changed, or when another process added one)
    app.invoices
        .list
        .receive_by(offset as usize, rows, Some(total as usize), |i| i.id);
    app.invoices.totals = totals;
    vec![]
}

/// The status `c` moves an open invoice to: received → approved → disputed → received. Paid
/// and cancelled invoices are not cycled (a cancel is its own key and asks first).
pub fn next_status(s: InvoiceStatus) -> Option<InvoiceStatus> {
    match s {
        InvoiceStatus::Received => Some(InvoiceStatus::Approved),
        InvoiceStatus::Approved => Some(InvoiceStatus::Disputed),
        InvoiceStatus::Disputed => Some(InvoiceStatus::Received),
        InvoiceStatus::Cancelled | InvoiceStatus::Paid => None,
    }
}

pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    if let Some(need) = move_paged(&mut app.invoices.list, &action, 20) {
        return need.map(|o| load_at(app, o)).into_iter().collect();
    }
    if action == Action::Add {
        return open_form(app, FormKind::Invoice, None);
    }
    if action == Action::Totals {
        app.popup = Some(Popup::Totals { scroll: 0 });
        return vec![];
    }
    if action == Action::ToggleDone {
        app.invoices.show_all = !app.invoices.show_all;
        app.invoices.list.reset();
        app.info(if app.invoices.show_all {
            "showing all invoices"
        } else {
            "showing open invoices"
        });
        return vec![load(app)];
    }
    let Some(inv) = app.invoices.list.current().cloned() else {
        app.info("no invoice selected");
        return vec![];
    };
    let r = Record::Invoice(inv.clone());
    match action {
        Action::Open => open_detail(app, r),
        Action::Edit => open_form(app, FormKind::Invoice, Some(r)),
        Action::Delete => confirm_delete(app, r.kind(), r.id(), r.label()),
        Action::Copy => copy(app, &r),
        Action::Paid => mark_paid(app, &inv),
        Action::CycleStatus => match next_status(inv.status) {
            Some(next) => {
                let mut i = inv.clone();
                i.status = next;
                i.paid_date = None;
                let label = format!("{} → {}", r.label(), i.status);
                vec![save(Record::Invoice(i), Some(r), label)]
            }
            None => {
                app.info(format!(
                    "{} is {}: {} cycles open invoices only ({} edits)",
                    r.label(),
                    inv.status,
                    app.keymap.label("status"),
                    app.keymap.label("edit")
                ));
                vec![]
            }
        },
        Action::CancelInvoice => {
            if !inv.is_open() {
                app.info(format!("{} is already {}", r.label(), inv.status));
                return vec![];
            }
            let mut i = inv.clone();
            i.status = InvoiceStatus::Cancelled;
            i.paid_date = None;
            app.popup = Some(Popup::Confirm {
                question: format!(
                    "Cancel {} ({}, due {})? It leaves the open list. {}",
                    r.label(),
                    inv.amount,
                    inv.due_date,
                    app.yes_no()
                ),
                effect: Box::new(save(
                    Record::Invoice(i),
                    Some(r.clone()),
                    format!("cancel {}", r.label()),
                )),
            });
            vec![]
        }
        _ => vec![],
    }
}
