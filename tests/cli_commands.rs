//! The small headless subcommands and start-up checks, through the built binary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn unstuck(args: &[&str], config_dir: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_unstuck"))
        .args(args)
        .env("UNSTUCK_CONFIG_DIR", config_dir)
        .env("UNSTUCK_STATE_DIR", config_dir)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn config_check_lists_every_error_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keymap.toml"), "[logs]\nq = \"qiut\"\n").unwrap();
    std::fs::write(dir.path().join("config.toml"), "theme = \"drak\"\n").unwrap();
    let out = unstuck(&["config", "check"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("unknown action \"qiut\""), "{stdout}");
    assert!(
        stdout.contains("unknown theme \"drak\" (did you mean \"dark\"?)"),
        "{stdout}"
    );
    assert!(text(&out.stderr).contains("2 errors in the configuration"));

    let clean = tempfile::tempdir().unwrap();
    let ok = unstuck(&["config", "check"], clean.path());
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    assert!(text(&ok.stdout).contains("configuration OK"));
    // A mistyped keymap name gets a suggestion too.
    let vmi = unstuck(&["--keymap", "vmi", "config", "check"], clean.path());
    assert_eq!(vmi.status.code(), Some(1));
    assert!(
        text(&vmi.stdout).contains("(did you mean \"vim\"?)"),
        "{}",
        text(&vmi.stdout)
    );
}

#[test]
fn completions_and_man_page_come_from_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let bash = unstuck(&["completions", "bash"], dir.path());
    assert!(bash.status.success());
    assert!(text(&bash.stdout).contains("_unstuck()"));
    let man = unstuck(&["man"], dir.path());
    assert!(man.status.success());
    assert!(text(&man.stdout).contains(".TH unstuck 1"));
}

#[test]
fn settings_that_cannot_work_are_refused_before_anything_starts() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["0", "-1", "NaN", "inf", "1e-20", "1000"] {
        let flag = format!("--calls-per-second={bad}");
        let out = unstuck(&["--demo", &flag], dir.path());
        assert_eq!(out.status.code(), Some(1), "--calls-per-second {bad}");
        assert!(
            text(&out.stderr).contains("cannot work"),
            "{bad}: {}",
            text(&out.stderr)
        );
    }
    let out = unstuck(&["--demo", "--buffer-lines", "0"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    // Without a terminal the TUI says where to go instead, once, without a doubled prefix.
    let out = unstuck(&["--demo"], dir.path());
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.starts_with("unstuck: the TUI needs a terminal"),
        "{stderr}"
    );
    assert!(stderr.contains("unstuck tail"), "{stderr}");
    // `tail ''` would tail every group in the account: refused before any call.
    let out = unstuck(
        &[
            "tail",
            "--endpoint-url",
            "http://127.0.0.1:9",
            "--region",
            "us-east-1",
            "",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("empty log group name"),
        "{}",
        text(&out.stderr)
    );
    let out = unstuck(&["defaults", "theme", "drak"], dir.path());
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("unstuck: unknown theme"), "{stderr}");
}

#[test]
fn defaults_help_lists_only_what_defaults_takes() {
    let dir = tempfile::tempdir().unwrap();
    let out = unstuck(&["defaults", "--help"], dir.path());
    let help = text(&out.stdout);
    for flag in [
        "--profile",
        "--region",
        "--endpoint-url",
        "--calls-per-second",
        "--demo",
    ] {
        assert!(
            !help.contains(flag),
            "defaults --help lists {flag}:\n{help}"
        );
    }
    // The AWS flags work before or after `tail`.
    let out = unstuck(&["tail", "--help"], dir.path());
    assert!(text(&out.stdout).contains("--endpoint-url"));
}

#[test]
fn snapshot_prints_one_frame_of_a_pane_read_only_and_in_bounded_time() {
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let out = unstuck(
        &[
            "snapshot",
            "--demo",
            "--pane",
            "executions",
            "--size",
            "120x30",
            "--keys",
            "enter",
            "--after",
            "1",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    let frame = text(&out.stdout);
    let lines: Vec<&str> = frame.lines().collect();
    assert_eq!(lines.len(), 30, "{frame}");
    assert!(
        lines[0].contains("READ-ONLY") && lines[0].contains("4 executions"),
        "{frame}"
    );
    assert!(
        frame.contains("executions · tax-return-processing · all"),
        "{frame}"
    );
    assert!(
        frame.contains("EXECUTION") && frame.contains("STATUS"),
        "{frame}"
    );
    // Keys that would change something are refused: a snapshot never builds a mutation.
    let out = unstuck(
        &[
            "snapshot",
            "--demo",
            "--pane",
            "executions",
            "--keys",
            "enter enter S",
            "--after",
            "1",
        ],
        dir.path(),
    );
    assert!(
        text(&out.stdout).contains("read-only: changes are off"),
        "{}",
        text(&out.stdout)
    );
    assert!(!dir.path().join("audit.jsonl").exists());
    for bad in [
        vec!["snapshot", "--demo", "--pane", "nope"],
        vec!["snapshot", "--demo", "--pane", "logs", "--size", "10x2"],
        vec!["snapshot", "--demo", "--pane", "logs", "--after", "-1"],
    ] {
        assert_eq!(unstuck(&bad, dir.path()).status.code(), Some(2), "{bad:?}");
    }
    let out = unstuck(
        &[
            "snapshot", "--demo", "--pane", "logs", "--keys", "ctrl-qq", "--after", "0",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
}
