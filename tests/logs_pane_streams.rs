//! The stream filter of the logs pane (`:stream`, `:nostream`), as `unstuck tail --stream`
//! and `--stream-prefix` have it: the tail restarts narrowed to those streams.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod logs_pane_support;

use logs_pane_support::*;
use unstuck::state::Effect;
use unstuck::tail::TailSpec;

fn new_tail(effects: &[Effect]) -> Option<TailSpec> {
    effects.iter().find_map(|e| match e {
        Effect::StartTail(spec) => Some(spec.clone()),
        _ => None,
    })
}

#[test]
fn stream_names_or_a_prefix_narrow_the_tail() {
    let (mut s, id) = tailing(120, 30);
    feed(&mut s, id, lambda_events());
    let spec = new_tail(&palette(&mut s, "stream 2026/11/20/*")).expect("a narrowed tail");
    assert_eq!(spec.stream_prefix.as_deref(), Some("2026/11/20/"));
    assert!(spec.stream_names.is_empty());
    assert!(render(&s).0.contains("streams 2026/11/20/*"));
    let spec = new_tail(&palette(&mut s, "stream a, b")).unwrap();
    assert_eq!(spec.stream_names, ["a", "b"]);
    assert_eq!(spec.stream_prefix, None);
    assert!(render(&s).0.contains("2 streams"));
    // Names and a prefix together cannot be asked of AWS.
    assert!(new_tail(&palette(&mut s, "stream a b*")).is_none());
    assert!(render(&s).0.contains("not both"));
    press(&mut s, crossterm::event::KeyCode::Esc);
    let spec = new_tail(&palette(&mut s, "nostream")).unwrap();
    assert!(spec.stream_names.is_empty() && spec.stream_prefix.is_none());
}
