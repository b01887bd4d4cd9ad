//! A panic in any task ends the app: the panic hook (installed by the TUI and by `tail`)
//! prints the panic and exits 101 at once, instead of tokio catching it in the task while
//! the app goes on half-dead. Run as a child process of this test, so the exit is real.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;
use std::time::Duration;

const CHILD: &str = "UNSTUCK_PANIC_EXIT_CHILD";

#[test]
fn a_panic_in_a_spawned_task_ends_the_process_with_exit_101() {
    if std::env::var_os(CHILD).is_some() {
        unstuck::runtime::install_panic_hook(false);
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            // Without the hook tokio would catch this in the task and go on.
            let _ = tokio::spawn(async { panic!("boom in a poller task") }).await;
            tokio::time::sleep(Duration::from_secs(5)).await;
        });
        return;
    }
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "a_panic_in_a_spawned_task_ends_the_process_with_exit_101",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(101),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    assert!(stderr.contains("boom in a poller task"), "{stderr}");
    // It ended at the panic, not when the test harness finished.
    assert!(!stdout.contains("test result"), "{stdout}");
}
