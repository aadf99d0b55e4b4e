//! `export vcf` and `import vcf`. (Owned by the vCard work; the CLI work wires these in.)
use super::{Ctx, UserError};
use crate::store::ContactQuery;
use crate::vcard::{self, CardError, Version};
use std::io::Write;
use std::path::{Path, PathBuf};

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
    /// The .vcf file ("-" for standard input).
    pub file: PathBuf,
    #[arg(long)]
    pub dry_run: bool,
}

pub fn export(ctx: &Ctx, args: &ExportVcfArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let contacts = ctx.store.list_contacts(&ContactQuery::default())?;
    let version = if args.v3 { Version::V3 } else { Version::V4 };
    let text = vcard::export(&contacts, version, ctx.now());
    let vname = if args.v3 { "3.0" } else { "4.0" };
    if args.output.as_os_str() == "-" {
        out.write_all(text.as_bytes())?;
        return Ok(());
    }
    write_private(&args.output, text.as_bytes())?;
    let mut safe = super::text::Safe(out);
    let out: &mut dyn Write = &mut safe;
    if ctx.json {
        let v = serde_json::json!({
            "exported": contacts.len(),
            "version": vname,
            "path": args.output.display().to_string(),
        });
        writeln!(out, "{v}")?;
    } else {
        writeln!(
            out,
            "exported {} contact{} (vCard {vname}) to {}",
            contacts.len(),
            if contacts.len() == 1 { "" } else { "s" },
            args.output.display()
        )?;
    }
    Ok(())
}

/// Write `bytes` to `path` as a new 0600 file: a temporary file next to it, then a rename, so
/// a failed write never leaves half a file.
fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(UserError::new(format!(
            "cannot write {}: folder {} does not exist",
            path.display(),
            dir.display()
        )));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "contacts.vcf".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600))?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(UserError::new(format!(
            "cannot write {}: {e}",
            path.display()
        )));
    }
    Ok(())
}

pub use crate::vcard::sync::{ImportSummary, import_report};

pub fn import(ctx: &Ctx, args: &ImportVcfArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut safe = super::text::Safe(out);
    let out: &mut dyn Write = &mut safe;
    let bytes = if args.file.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut b)
            .map_err(|e| UserError::new(format!("cannot read standard input: {e}")))?;
        b
    } else {
        std::fs::read(&args.file)
            .map_err(|e| UserError::new(format!("cannot read {}: {e}", args.file.display())))?
    };
    let report = vcard::import_bytes(&bytes)
        .map_err(|e| UserError::new(format!("{}: {e}", args.file.display())))?;
    let s = import_report(&ctx.store, &report, args.dry_run)?;
    if ctx.json {
        let errs = |v: &[CardError]| -> Vec<serde_json::Value> {
            v.iter()
                .map(|e| serde_json::json!({"line": e.line, "uid": e.uid, "reason": e.message}))
                .collect()
        };
        let names = |v: &[(usize, String)]| -> Vec<serde_json::Value> {
            v.iter()
                .map(|(l, n)| serde_json::json!({"line": l, "name": n}))
                .collect()
        };
        let v = serde_json::json!({
            "file": args.file.display().to_string(),
            "dry_run": args.dry_run,
            "cards": s.cards,
            "imported": names(&s.imported),
            "updated": names(&s.updated),
            "unchanged": names(&s.unchanged),
            "skipped": errs(&s.skipped),
            "warnings": errs(&s.warnings),
        });
        writeln!(out, "{v}")?;
        return Ok(());
    }
    let would = if args.dry_run { "would be " } else { "" };
    writeln!(
        out,
        "{}: {} card{}; {would}imported {}, {would}updated {}, unchanged {}, skipped {}",
        args.file.display(),
        s.cards,
        if s.cards == 1 { "" } else { "s" },
        s.imported.len(),
        s.updated.len(),
        s.unchanged.len(),
        s.skipped.len()
    )?;
    for e in &s.skipped {
        writeln!(out, "  skipped {e}")?;
    }
    for e in &s.warnings {
        writeln!(out, "  warning {e}")?;
    }
    if args.dry_run {
        writeln!(out, "dry run: nothing was written")?;
    }
    Ok(())
}
