//! `conflicts` and `free`. (Owned by the recurrence/conflicts work; the CLI work wires these in.)
use super::{Ctx, UserError};
use std::io::Write;

#[derive(Debug, Clone, clap::Args)]
pub struct ConflictsArgs {
    #[arg(long)]
    pub from: Option<String>,
    #[arg(long)]
    pub to: Option<String>,
}

#[derive(Debug, Clone, clap::Args)]
pub struct FreeArgs {
    /// How many days ahead to look, from today.
    #[arg(long, default_value_t = 5)]
    pub days: u32,
    /// Length of the slot wanted: 30m, 1h, 1h30m.
    #[arg(long, default_value = "60m")]
    pub duration: String,
    /// Working hours, e.g. 09:00-17:00 (default from config).
    #[arg(long)]
    pub within: Option<String>,
}

pub fn conflicts(_ctx: &Ctx, _args: &ConflictsArgs, _out: &mut dyn Write) -> anyhow::Result<()> {
    Err(UserError::new("conflicts is not implemented yet"))
}

pub fn free(_ctx: &Ctx, _args: &FreeArgs, _out: &mut dyn Write) -> anyhow::Result<()> {
    Err(UserError::new("free is not implemented yet"))
}
