//! Terminal setup/restore, the event loop, effects. (Owned by the TUI work.)
use crate::config::Config;
use crate::store::Store;

/// Open the terminal UI on `store` until the user quits. `warnings` (from loading the config)
/// are shown in the status line at start.
pub fn run(_store: Store, _config: Config, _warnings: Vec<String>) -> anyhow::Result<()> {
    anyhow::bail!("the terminal UI is not built yet")
}
