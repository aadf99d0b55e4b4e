//! Scriptable subcommands. (Owned by the CLI work: clap tree, dispatch, human/JSON output.)
pub mod cal_cmd;
pub mod ctx;
pub mod ics_cmd;
pub mod vcf_cmd;

pub use ctx::{Ctx, UserError};
