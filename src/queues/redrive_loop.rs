//! The async half of a redrive: settling what a killed run left, the workers (receive,
//! decide, send, delete, journal), the end of the run, and showing held messages again.

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::time::Duration;

use unstuck_aws::model::BackendError;
use unstuck_aws::model::queues::{BATCH_SIZE, QueueMessage};

use super::redrive::{
    Decision, RedriveError, Run, decide, outgoing, patiently, receipts, receive_request,
    size_batches,
};
use super::target::QueueTarget;

/// How long an empty DLQ is watched for messages in flight elsewhere, past the visibility
/// timeout, before the run ends and says how many it did not see.
const GRACE: Duration = Duration::from_secs(3);

/// What a killed run left: delete what it sent, show again what it held.
pub(super) async fn settle(run: &Run<'_>) -> Result<(), RedriveError> {
    let unsettled = match run.lock().journal.as_ref() {
        Some(j) => j.unsettled(),
        None => return Ok(()),
    };
    let Some(ops) = run.ops else { return Ok(()) };
    for chunk in unsettled.to_delete.chunks(BATCH_SIZE) {
        let entries = receipts(chunk);
        let outcome = patiently(|| ops.delete_batch(&run.dlq.url, &entries)).await?;
        let ids: Vec<String> = outcome
            .ok
            .iter()
            .filter_map(|e| {
                chunk
                    .get(e.parse::<usize>().ok()?)
                    .map(|(id, _)| id.clone())
            })
            .collect();
        run.journal_step(|j| j.deleted(&ids))?;
    }
    for chunk in unsettled.to_release.chunks(BATCH_SIZE) {
        // A handle a later receive replaced fails here: that message is visible anyway.
        let _ = run
            .queues
            .change_visibility(&run.dlq.url, &receipts(chunk), 0)
            .await;
    }
    Ok(())
}

/// One receiver: until the DLQ is done or the run is stopped.
pub(super) async fn worker(run: &Run<'_>) -> Result<(), RedriveError> {
    let request = receive_request(run.options);
    while !run.done.load(Ordering::SeqCst) {
        let batch = match patiently(|| run.queues.receive(&run.dlq.url, &request)).await {
            Ok(batch) => batch,
            Err(BackendError::NotFound(_)) => {
                run.stop(format!("the DLQ {} no longer exists", run.dlq.name));
                return Ok(());
            }
            Err(e) => {
                run.stop(format!("receiving from {}: {e}", run.dlq.name));
                return Ok(());
            }
        };
        if batch.is_empty() {
            if finished(run).await? {
                run.done.store(true, Ordering::SeqCst);
            } else {
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            continue;
        }
        process(run, batch).await?;
        let counts = run.lock().report.counts.clone();
        (run.on_progress)(&counts);
    }
    Ok(())
}

/// Nothing visible and nothing in flight but what this run holds, or nothing new for
/// longer than the visibility timeout (what is in flight elsewhere is reported, not waited
/// for without end).
async fn finished(run: &Run<'_>) -> Result<bool, RedriveError> {
    let attributes = match patiently(|| run.queues.queue_attributes(&run.dlq.url)).await {
        Ok(a) => a,
        Err(BackendError::NotFound(_)) => {
            run.stop(format!("the DLQ {} no longer exists", run.dlq.name));
            return Ok(true);
        }
        Err(e) => return Err(e.into()),
    };
    let mut shared = run.lock();
    let ours = shared.held.len() as u64 + shared.busy;
    let others = attributes.in_flight.saturating_sub(ours);
    if attributes.visible == 0 && others == 0 {
        return Ok(true);
    }
    let quiet_for = shared.last_new.map_or(Duration::ZERO, |t| t.elapsed());
    let patience = Duration::from_secs(u64::from(run.options.visibility_s)) + GRACE;
    if quiet_for > patience {
        shared.report.left_in_flight = others + attributes.visible;
        return Ok(true);
    }
    if shared.last_new.is_none() {
        shared.last_new = Some(tokio::time::Instant::now());
    }
    Ok(false)
}

async fn process(run: &Run<'_>, batch: Vec<QueueMessage>) -> Result<(), RedriveError> {
    let mut sends: BTreeMap<&str, (&QueueTarget, Vec<QueueMessage>)> = BTreeMap::new();
    let mut settle: Vec<(String, String)> = Vec::new();
    let fresh: Vec<(String, String)>;
    {
        let mut shared = run.lock();
        let mut new = Vec::new();
        for m in batch {
            if shared.seen.contains(&m.message_id) {
                // Held before and shown again by its timeout: hold it under its new handle.
                if let Some(handle) = shared.held.get_mut(&m.message_id) {
                    handle.clone_from(&m.receipt_handle);
                }
                continue;
            }
            shared.seen.insert(m.message_id.clone());
            new.push(m);
        }
        if !new.is_empty() {
            shared.last_new = Some(tokio::time::Instant::now());
        }
        fresh = new
            .iter()
            .map(|m| (m.message_id.clone(), m.receipt_handle.clone()))
            .collect();
        let dry = run.ops.is_none();
        for m in new {
            shared.report.counts.seen += 1;
            let sent = shared
                .journal
                .as_ref()
                .is_some_and(|j| j.was_sent(&m.message_id));
            match decide(&m, &run.options.filter, sent, run.destination) {
                Decision::Hold => {
                    shared
                        .held
                        .insert(m.message_id.clone(), m.receipt_handle.clone());
                }
                Decision::Skip(why) => {
                    shared.report.counts.selected += 1;
                    shared.report.counts.skipped += 1;
                    *shared.report.skip_reasons.entry(why).or_default() += 1;
                    shared
                        .held
                        .insert(m.message_id.clone(), m.receipt_handle.clone());
                }
                Decision::Settle if dry => {
                    shared.report.counts.selected += 1;
                    shared.report.counts.resumed += 1;
                    shared
                        .held
                        .insert(m.message_id.clone(), m.receipt_handle.clone());
                }
                Decision::Settle => {
                    shared.report.counts.selected += 1;
                    shared.busy += 1;
                    settle.push((m.message_id.clone(), m.receipt_handle.clone()));
                }
                Decision::Send(target) => {
                    shared.report.counts.selected += 1;
                    if dry {
                        shared.report.counts.moved += 1;
                        *shared
                            .report
                            .by_destination
                            .entry(target.name.clone())
                            .or_default() += 1;
                        shared
                            .held
                            .insert(m.message_id.clone(), m.receipt_handle.clone());
                    } else {
                        shared.busy += 1;
                        sends
                            .entry(target.url.as_str())
                            .or_insert((target, Vec::new()))
                            .1
                            .push(m);
                    }
                }
            }
        }
    }
    if run.ops.is_some() {
        run.journal_step(|j| j.received(&fresh))?;
    }
    let Some(ops) = run.ops else { return Ok(()) };
    let mut to_delete: Vec<(String, String)> = Vec::new();
    for (url, (target, messages)) in sends {
        for chunk in size_batches(messages) {
            if let Some(pacer) = &run.pacer {
                pacer.take(chunk.len()).await;
            }
            let entries: Vec<_> = chunk
                .iter()
                .enumerate()
                .map(|(i, m)| outgoing(m, i, target))
                .collect();
            let outcome = match patiently(|| ops.send_batch(url, &entries)).await {
                Ok(o) => o,
                Err(e) => {
                    hold_back(run, &chunk, &e.to_string());
                    let why = match e {
                        BackendError::NotFound(_) => {
                            format!("the destination {} no longer exists", target.name)
                        }
                        e => format!("sending to {}: {e}", target.name),
                    };
                    run.stop(why);
                    return Ok(());
                }
            };
            let sent: Vec<&QueueMessage> = outcome
                .ok
                .iter()
                .filter_map(|id| chunk.get(id.parse::<usize>().ok()?))
                .collect();
            let ids: Vec<String> = sent.iter().map(|m| m.message_id.clone()).collect();
            run.journal_step(|j| j.sent(&ids, url))?;
            {
                let mut shared = run.lock();
                *shared
                    .report
                    .by_destination
                    .entry(target.name.clone())
                    .or_default() += ids.len() as u64;
            }
            to_delete.extend(
                sent.iter()
                    .map(|m| (m.message_id.clone(), m.receipt_handle.clone())),
            );
            for failure in &outcome.failed {
                if let Some(m) = failure
                    .entry_id
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| chunk.get(i))
                {
                    hold_back(
                        run,
                        std::slice::from_ref(m),
                        &format!("{}: {}", failure.code, failure.message),
                    );
                }
            }
        }
    }
    delete(run, ops, &to_delete, false).await?;
    delete(run, ops, &settle, true).await
}

/// Messages that could not be sent stay in the DLQ (held until the end of the run).
fn hold_back(run: &Run<'_>, messages: &[QueueMessage], why: &str) {
    let mut shared = run.lock();
    for m in messages {
        shared.busy = shared.busy.saturating_sub(1);
        shared.report.counts.failed += 1;
        if shared.report.failures.len() < 5 {
            let line = format!("{}: {why}", m.message_id);
            shared
                .report
                .failures
                .push(unstuck_aws::untrusted_text::sanitize_line(&line).into_owned());
        }
        shared
            .held
            .insert(m.message_id.clone(), m.receipt_handle.clone());
    }
}

/// Delete what was sent (`resumed`: sent by an earlier run).
async fn delete(
    run: &Run<'_>,
    ops: &dyn unstuck_aws::api::QueuesOps,
    entries: &[(String, String)],
    resumed: bool,
) -> Result<(), RedriveError> {
    for chunk in entries.chunks(BATCH_SIZE) {
        let receipt_entries = receipts(chunk);
        let outcome = patiently(|| ops.delete_batch(&run.dlq.url, &receipt_entries)).await;
        let ok: Vec<usize> = match &outcome {
            Ok(o) => o.ok.iter().filter_map(|id| id.parse().ok()).collect(),
            Err(_) => Vec::new(),
        };
        let ids: Vec<String> = ok
            .iter()
            .filter_map(|&i| chunk.get(i))
            .map(|(id, _)| id.clone())
            .collect();
        run.journal_step(|j| j.deleted(&ids))?;
        let mut shared = run.lock();
        for i in 0..chunk.len() {
            shared.busy = shared.busy.saturating_sub(1);
            if !ok.contains(&i) {
                shared.report.counts.undeleted += 1;
            } else if resumed {
                shared.report.counts.resumed += 1;
            } else {
                shared.report.counts.moved += 1;
            }
        }
    }
    Ok(())
}

/// Show every held message again (visibility 0), so the DLQ looks as it did.
pub(super) async fn release_held(run: &Run<'_>) {
    let held: Vec<(String, String)> = run.lock().held.drain().collect();
    for chunk in held.chunks(BATCH_SIZE) {
        let _ = run
            .queues
            .change_visibility(&run.dlq.url, &receipts(chunk), 0)
            .await;
    }
}
