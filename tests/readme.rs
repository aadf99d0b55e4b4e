//! The README shows the key table and a capture of the Today pane. Both are generated from the
//! code into docs/ (`UPDATE_DOCS=1 cargo test --test flows`); this test keeps the README's copies
//! equal to them, so the README cannot drift from the real key table.
//! `UPDATE_DOCS=1 cargo test --test readme` rewrites the README's blocks.

fn block(readme: &str, name: &str) -> Option<(usize, usize)> {
    let begin = format!("<!-- {name}:begin -->\n");
    let end = format!("<!-- {name}:end -->");
    let b = readme.find(&begin)? + begin.len();
    let e = b + readme[b..].find(&end)?;
    Some((b, e))
}

fn keys_markdown() -> String {
    let keys = std::fs::read_to_string("docs/keys.md").expect("docs/keys.md");
    // From the first table section on: the README has its own introduction.
    let start = keys.find("\n## ").map(|i| i + 1).unwrap_or(0);
    keys[start..]
        .replace("\n## ", "\n#### ")
        .replacen("## ", "#### ", 1)
        .trim_end()
        .to_string()
        + "\n"
}

fn today_block() -> String {
    let today = std::fs::read_to_string("docs/today.txt").expect("docs/today.txt");
    format!("```\n{}\n```\n", today.trim_end())
}

#[test]
fn readme_shows_the_real_key_table_and_today_capture() {
    let mut readme = std::fs::read_to_string("README.md").expect("README.md");
    let wanted = [("keys", keys_markdown()), ("today", today_block())];
    if std::env::var_os("UPDATE_DOCS").is_some() {
        for (name, text) in &wanted {
            let (b, e) =
                block(&readme, name).unwrap_or_else(|| panic!("README lacks the {name} markers"));
            readme.replace_range(b..e, text);
        }
        std::fs::write("README.md", &readme).expect("write README.md");
    }
    for (name, text) in &wanted {
        let (b, e) =
            block(&readme, name).unwrap_or_else(|| panic!("README lacks the {name} markers"));
        assert_eq!(
            &readme[b..e],
            text.as_str(),
            "README's {name} block differs from docs/: run UPDATE_DOCS=1 cargo test --test readme"
        );
    }
    // The table really is the key table: a few bindings everyone relies on are in it.
    for row in [
        "| `q` `C-c` | quit |",
        "| `:` | quick capture |",
        "| `?` | help |",
        "| `u` | undo |",
    ] {
        assert!(readme.contains(row), "README key table lacks {row}");
    }
    // A contact has ONE postal address (unlabelled) and labelled e-mails and phones.
    assert!(
        !readme.contains("labelled addresses"),
        "a contact has one unlabelled postal address"
    );
    assert!(readme.contains("Today"), "Today capture missing");
}

#[test]
fn readme_gives_the_two_newcomer_commands() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    assert!(readme.contains("cargo run --release -- --demo"));
    let ci = std::fs::read_to_string(".ci/run").unwrap();
    let test_cmd = "cargo test --locked && tests/interop/run.sh";
    assert!(readme.contains(test_cmd), "README test command");
    assert!(
        ci.contains(test_cmd),
        ".ci/run must run the README's test command"
    );
}
