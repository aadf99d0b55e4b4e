//! Tasks: sortable by due, priority, kind (`o`), grouped under headers; `x` done, `s` snooze,
//! `w` waiting, `D` delegate, `H` shows done tasks too, `O` only the overdue ones.
use super::contacts::move_paged;
use super::form::FormKind;
use super::paged::{PAGE, Paged};
use super::{
    Action, App, Effect, Load, Popup, Prompt, PromptPurpose, Record, TaskSort, confirm_delete,
    copy, open_detail, open_form, open_snooze, toggle_done, toggle_waiting,
};
use crate::domain::Task;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TasksState {
    pub list: Paged<Task>,
    pub filter: String,
    pub sort: TaskSort,
    pub show_done: bool,
    /// Only the overdue tasks (Today's "N more overdue", or `O`).
    pub overdue_only: bool,
}

impl Default for TasksState {
    fn default() -> Self {
        TasksState {
            list: Paged::default(),
            filter: String::new(),
            sort: TaskSort::Due,
            show_done: false,
            overdue_only: false,
        }
    }
}

fn search(f: &str) -> Option<String> {
    let f = f.trim();
    (!f.is_empty()).then(|| f.to_string())
}

pub fn load_at(app: &App, offset: usize) -> Effect {
    Effect::Load(Load::Tasks {
        search: search(&app.tasks.filter),
        offset: offset as u32,
        limit: PAGE as u32,
        sort: app.tasks.sort,
        show_done: app.tasks.show_done,
        overdue: app.tasks.overdue_only.then_some((app.now, app.tz)),
    })
}

pub fn load(app: &App) -> Effect {
    load_at(app, app.tasks.list.page_for_selected())
}

pub fn loaded(
    app: &mut App,
    s: Option<String>,
    offset: u32,
    rows: Vec<Task>,
    total: u64,
) -> Vec<Effect> {
    if s != search(&app.tasks.filter) {
        return vec![];
    }
    app.tasks
        .list
        .receive_by(offset as usize, rows, Some(total as usize), |r| r.id);
    vec![]
}

/// The list's order or scope changed: back to the top, say what is shown, load it.
fn relist(app: &mut App, msg: &str) -> Vec<Effect> {
    app.tasks.list.reset();
    app.info(msg);
    vec![load(app)]
}

pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    if let Some(need) = move_paged(&mut app.tasks.list, &action, 20) {
        return need.map(|o| load_at(app, o)).into_iter().collect();
    }
    match action {
        Action::Add => return open_form(app, FormKind::Task, None),
        Action::Sort => {
            app.tasks.sort = match app.tasks.sort {
                TaskSort::Due => TaskSort::Priority,
                TaskSort::Priority => TaskSort::Kind,
                TaskSort::Kind => TaskSort::Due,
            };
            let msg = format!("sorted by {}", sort_name(app.tasks.sort));
            return relist(app, &msg);
        }
        Action::ToggleOverdue => {
            app.tasks.overdue_only = !app.tasks.overdue_only;
            let msg = if app.tasks.overdue_only {
                "showing only overdue tasks"
            } else {
                "showing all open tasks"
            };
            return relist(app, msg);
        }
        Action::ToggleDone => {
            app.tasks.overdue_only = false;
            app.tasks.show_done = !app.tasks.show_done;
            let msg = if app.tasks.show_done {
                "showing done tasks"
            } else {
                "hiding done tasks"
            };
            return relist(app, msg);
        }
        _ => {}
    }
    let Some(t) = app.tasks.list.current().cloned() else {
        app.info("no task selected");
        return vec![];
    };
    let r = Record::Task(t.clone());
    match action {
        Action::Open => open_detail(app, r),
        Action::Edit => open_form(app, FormKind::Task, Some(r)),
        Action::Delete => confirm_delete(app, r.kind(), r.id(), r.label()),
        Action::Copy => copy(app, &r),
        Action::Done => toggle_done(app, &t),
        Action::Snooze => open_snooze(app, &t),
        Action::Waiting => toggle_waiting(&t),
        Action::Delegate => {
            let p = Prompt::new(
                PromptPurpose::Delegate(Box::new(t.clone())),
                &t.delegated_to,
            );
            app.popup = Some(Popup::Prompt(Box::new(p)));
            vec![]
        }
        _ => vec![],
    }
}

pub fn sort_name(s: TaskSort) -> &'static str {
    match s {
        TaskSort::Due => "due date",
        TaskSort::Priority => "priority",
        TaskSort::Kind => "kind",
    }
}
