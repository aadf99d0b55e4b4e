//! `export vcf` and `import vcf`. (Owned by the vCard work; the CLI work wires these in.)
use super::{Ctx, UserError};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, clap::Args)]
pub struct ExportVcfArgs {
    /// Write vCard 3.0 for older clients (default 4.0).
    #[arg(long)]
    pub v3: bool,
    /// Output file ("-" for standard output).
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ImportVcfArgs {
    pub file: PathBuf,
    #[arg(long)]
    pub dry_run: bool,
}

pub fn export(_ctx: &Ctx, _args: &ExportVcfArgs, _out: &mut dyn Write) -> anyhow::Result<()> {
    Err(UserError::new("export vcf is not implemented yet"))
}

pub fn import(_ctx: &Ctx, _args: &ImportVcfArgs, _out: &mut dyn Write) -> anyhow::Result<()> {
    Err(UserError::new("import vcf is not implemented yet"))
}
