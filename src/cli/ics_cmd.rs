//! `export ics` and `import ics`. (Owned by the calendar .ics work; the CLI work wires these in.)
use super::{Ctx, UserError};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, clap::Args)]
pub struct ExportIcsArgs {
    /// First day to include (friendly date); default: everything.
    #[arg(long)]
    pub from: Option<String>,
    /// Last day to include (friendly date); default: everything.
    #[arg(long)]
    pub to: Option<String>,
    /// Extra items to include: travel, tasks (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub include: Vec<String>,
    /// Output file ("-" for standard output).
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ImportIcsArgs {
    pub file: PathBuf,
    /// Report what would change, write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

pub fn export(_ctx: &Ctx, _args: &ExportIcsArgs, _out: &mut dyn Write) -> anyhow::Result<()> {
    Err(UserError::new("export ics is not implemented yet"))
}

pub fn import(_ctx: &Ctx, _args: &ImportIcsArgs, _out: &mut dyn Write) -> anyhow::Result<()> {
    Err(UserError::new("import ics is not implemented yet"))
}
