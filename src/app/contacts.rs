//! Contacts: a paged table with a filter; Enter shows the detail with the contact's open
//! tasks, invoices and upcoming meetings.
use super::form::FormKind;
use super::paged::{PAGE, Paged};
use super::{Action, App, Effect, Load, Record, confirm_delete, copy, open_detail, open_form};
use crate::domain::Contact;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContactsState {
    pub list: Paged<Contact>,
    pub filter: String,
}

fn search(f: &str) -> Option<String> {
    let f = f.trim();
    (!f.is_empty()).then(|| f.to_string())
}

pub fn load_at(app: &App, offset: usize) -> Effect {
    Effect::Load(Load::Contacts {
        search: search(&app.contacts.filter),
        offset: offset as u32,
        limit: PAGE as u32,
    })
}

pub fn load(app: &App) -> Effect {
    load_at(app, app.contacts.list.page_for_selected())
}

pub fn loaded(
    app: &mut App,
    s: Option<String>,
    offset: u32,
    rows: Vec<Contact>,
    total: u64,
) -> Vec<Effect> {
    if s != search(&app.contacts.filter) {
        return vec![];
    }
    app.contacts
        .list
        .receive_by(offset as usize, rows, Some(total as usize), |r| r.id);
    vec![]
}

/// Movement shared by the paged panes; returns the page to load, if any.
pub fn move_paged<T>(list: &mut Paged<T>, action: &Action, page: usize) -> Option<Option<usize>> {
    Some(match action {
        Action::Down => list.move_by(1),
        Action::Up => list.move_by(-1),
        Action::PageDown => list.move_by(page as isize),
        Action::PageUp => list.move_by(-(page as isize)),
        Action::Top => list.top(),
        Action::Bottom => list.bottom(),
        _ => return None,
    })
}

pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    if let Some(need) = move_paged(&mut app.contacts.list, &action, 20) {
        return need.map(|o| load_at(app, o)).into_iter().collect();
    }
    match action {
        Action::Add => return open_form(app, FormKind::Contact, None),
        Action::Export => return super::open_transfer(app, FormKind::ExportVcf),
        Action::Import => return super::open_transfer(app, FormKind::ImportVcf),
        _ => {}
    }
    let Some(c) = app.contacts.list.current().cloned() else {
        app.info("no contact selected");
        return vec![];
    };
    let r = Record::Contact(c);
    match action {
        Action::Open => open_detail(app, r),
        Action::Edit => open_form(app, FormKind::Contact, Some(r)),
        Action::Delete => confirm_delete(app, r.kind(), r.id(), r.label()),
        Action::Copy => copy(app, &r),
        _ => vec![],
    }
}
