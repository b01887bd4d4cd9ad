//! `:tz local|utc`: every time on screen (rows, invocations, the header clock, details, status
//! messages) follows the zone, the header says which, and typed times are read in it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod logs_pane_support;

use crossterm::event::KeyCode;
use logs_pane_support::*;

#[test]
fn local_times_are_shown_and_typed_in_the_local_zone() {
    let (mut s, id) = tailing(120, 30);
    // As if the machine were in Paris (UTC+1) in November.
    s.local_offset_s = 3_600;
    feed(&mut s, id, lambda_events());
    let utc = render(&s).0;
    assert!(utc.contains("02:45:02.131"), "{utc}");
    assert!(
        utc.contains("02:47:00Z"),
        "the header clock says UTC: {utc}"
    );

    palette(&mut s, "tz local");
    let local = render(&s).0;
    assert!(local.contains("03:45:02.131"), "{local}");
    assert!(
        local.contains("03:47:00+01"),
        "the header says the offset: {local}"
    );
    assert!(!local.contains("02:45:02.131"));
    assert!(status(&s).contains("local +01:00"), "{}", status(&s));

    // 03:45:02 typed in local time is 02:45:02 UTC: the warm invocation's START.
    palette(&mut s, "time 03:45:02");
    assert!(
        selected_text(&s).starts_with("START RequestId: 0a0b0c0d"),
        "{}",
        selected_text(&s)
    );
    // An explicit Z still means UTC.
    palette(&mut s, "time 2026-11-20T02:45:00.313Z");
    assert!(
        selected_text(&s).starts_with("START RequestId: 6f1c2a3b"),
        "{}",
        selected_text(&s)
    );
    // The detail view gives the full time in the zone too.
    press(&mut s, KeyCode::Enter);
    assert!(
        render(&s)
            .0
            .contains("2026-11-20 03:45:00.313 local +01:00")
    );
    press(&mut s, KeyCode::Esc);

    palette(&mut s, "tz utc");
    assert!(render(&s).0.contains("02:45:02.131"));
    palette(&mut s, "tz mars");
    assert!(render(&s).0.contains("unknown zone \"mars\""));
}
