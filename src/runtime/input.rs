//! The input task: terminal events into the app channel.

use crossterm::event::{Event, EventStream, MouseEventKind};
use futures::StreamExt;
use tokio::sync::mpsc::Sender;
use tokio_util::sync::CancellationToken;

use crate::state::Msg;
use std::sync::Arc;
use unstuck_aws::api::WallClock;

/// Reads terminal events into the channel; keys and clicks carry the wall-clock time.
pub fn spawn_input_task(
    tx: Sender<Msg>,
    clock: Arc<dyn WallClock>,
    cancel: CancellationToken,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut events = EventStream::new();
        loop {
            let next = tokio::select! {
                () = cancel.cancelled() => break,
                next = events.next() => next,
            };
            let msg = match next {
                Some(Ok(Event::Key(key))) => Msg::key(key, clock.now_ms()),
                Some(Ok(Event::Mouse(mouse))) => match mouse.kind {
                    // Motion would wake the loop for nothing.
                    MouseEventKind::Moved | MouseEventKind::Drag(_) => continue,
                    _ => Msg::Mouse {
                        mouse,
                        at_ms: clock.now_ms(),
                    },
                },
                Some(Ok(Event::Resize(w, h))) => Msg::Resize(w, h),
                Some(Ok(_)) => continue,
                Some(Err(error)) => {
                    tracing::warn!(%error, "terminal input error");
                    continue;
                }
                None => break,
            };
            if tx.send(msg).await.is_err() {
                break;
            }
        }
    })
}
