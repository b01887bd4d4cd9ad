//! The real binary in a real terminal (tmux): `--demo` starts, keys work, `q` exits 0 and
//! the terminal is restored (no alternate screen, cooked mode back); ctrl-z hands the
//! terminal back to the shell and `fg` resumes, directly and through a wrapper script.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
    session: &'static str,
}

impl Tmux {
    fn new() -> Self {
        Self::named("smoke")
    }

    fn named(session: &'static str) -> Self {
        let found = Command::new("tmux").arg("-V").output();
        assert!(
            found.is_ok_and(|o| o.status.success()),
            "tmux is required for the real-terminal test: install it (scripts/test does: apt-get install tmux)"
        );
        Self {
            socket: format!("unstuck-{session}-{}", std::process::id()),
            session,
        }
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", self.session])
    }

    fn wait_for(&self, needle: &str, timeout: Duration) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(needle) {
                return screen;
            }
            assert!(
                start.elapsed() < timeout,
                "terminal never showed {needle:?}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", self.session];
        args.extend_from_slice(keys);
        self.run(&args);
        std::thread::sleep(Duration::from_millis(150));
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
    }
}

#[test]
fn demo_in_a_real_terminal_starts_responds_and_exits_cleanly() {
    let bin = env!("CARGO_BIN_EXE_unstuck");
    assert!(Path::new(bin).exists());
    let dir = tempfile::tempdir().unwrap();
    let script = format!(
        "UNSTUCK_CONFIG_DIR='{cfg}' UNSTUCK_STATE_DIR='{cfg}' '{bin}' --demo; echo EXIT=$?; stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon; sleep 60",
        cfg = dir.path().display()
    );
    let tmux = Tmux::new();
    tmux.run(&[
        "new-session",
        "-d",
        "-s",
        "smoke",
        "-x",
        "140",
        "-y",
        "40",
        &script,
    ]);

    // The demo opens on the overview, which says what is failing in it.
    let first = tmux.wait_for("tax-calculate-refund-errors", Duration::from_secs(30));
    assert!(
        first.contains("DEMO") && first.contains("CRITICAL"),
        "{first}"
    );
    // The demo's groups are tailed behind it: 1 shows them.
    tmux.keys(&["1"]);
    tmux.wait_for("logs · 18 groups · following", Duration::from_secs(30));
    tmux.wait_for("REPORT RequestId", Duration::from_secs(10));
    assert_eq!(
        tmux.run(&["display", "-p", "-t", "smoke", "#{alternate_on}"])
            .trim(),
        "1"
    );

    tmux.keys(&["?"]);
    tmux.wait_for("help · esc to close", Duration::from_secs(5));
    tmux.keys(&["Escape"]);
    tmux.keys(&[":", "gr", "Tab"]);
    tmux.wait_for(":groups", Duration::from_secs(5));
    tmux.keys(&["Enter"]);
    tmux.wait_for("log groups · 18 shown of 18", Duration::from_secs(5));

    tmux.keys(&["q"]);
    let after = tmux.wait_for("EXIT=", Duration::from_secs(10));
    assert!(after.contains("EXIT=0"), "{after}");
    let restored = tmux.wait_for("icanon", Duration::from_secs(5));
    assert!(
        restored.lines().any(|l| l.trim() == "icanon"),
        "terminal left in raw mode:\n{restored}"
    );
    assert_eq!(
        tmux.run(&["display", "-p", "-t", "smoke", "#{alternate_on}"])
            .trim(),
        "0"
    );
}

/// Starts an interactive shell (job control on) in tmux, runs `command` in it, and checks
/// that ctrl-z gives the shell back and `fg` brings the app back alive, three times.
fn suspend_and_resume(session: &'static str, command: &str) {
    let dir = tempfile::tempdir().unwrap();
    let tmux = Tmux::named(session);
    tmux.run(&[
        "new-session",
        "-d",
        "-s",
        session,
        "-x",
        "120",
        "-y",
        "36",
        "env",
        "-i",
        "PATH=/usr/bin:/bin",
        "TERM=xterm-256color",
        "PS1=shell$ ",
        "bash",
        "--norc",
        "--noprofile",
        "-i",
    ]);
    tmux.wait_for("shell$", Duration::from_secs(10));
    let line = format!(
        "UNSTUCK_CONFIG_DIR='{cfg}' UNSTUCK_STATE_DIR='{cfg}' {command}",
        cfg = dir.path().display()
    );
    tmux.keys(&[&line, "Enter"]);
    tmux.wait_for("overview ·", Duration::from_secs(30));
    for round in 0..3 {
        tmux.keys(&["C-z"]);
        let stopped = tmux.wait_for("Stopped", Duration::from_secs(10));
        assert_eq!(
            tmux.run(&["display", "-p", "-t", session, "#{alternate_on}"])
                .trim(),
            "0",
            "round {round}: the shell has the normal screen back:\n{stopped}"
        );
        tmux.keys(&["clear", "Enter"]);
        tmux.keys(&["fg", "Enter"]);
        tmux.wait_for("overview ·", Duration::from_secs(10));
        tmux.keys(&["?"]);
        tmux.wait_for("help · esc to close", Duration::from_secs(5));
        tmux.keys(&["Escape"]);
    }
    tmux.keys(&["q"]);
    tmux.wait_for("shell$", Duration::from_secs(10));
    // `$?` after `fg` is the exit status of the resumed job.
    tmux.keys(&["echo EXIT=$?", "Enter"]);
    let after = tmux.wait_for("EXIT=", Duration::from_secs(10));
    assert!(after.contains("EXIT=0"), "{after}");
}

#[test]
fn ctrl_z_gives_the_shell_back_and_fg_resumes() {
    let bin = env!("CARGO_BIN_EXE_unstuck");
    suspend_and_resume("direct", &format!("'{bin}' --demo"));
}

#[test]
fn ctrl_z_through_a_wrapper_script_stops_the_wrapper_too() {
    let bin = env!("CARGO_BIN_EXE_unstuck");
    let dir = tempfile::tempdir().unwrap();
    let wrapper = dir.path().join("wrapper.sh");
    // Like `aws-vault exec prod -- unstuck`: a process that waits for unstuck.
    std::fs::write(&wrapper, format!("#!/bin/sh\n'{bin}' --demo\nexit $?\n")).unwrap();
    suspend_and_resume("wrapped", &format!("sh '{}'", wrapper.display()));
}
