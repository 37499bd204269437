//! Group commit: one thread owns the log file. Entries queue up while it writes and syncs; each
//! round takes everything queued (up to [`MAX_BATCH`] bytes), writes it as one record, calls
//! `fdatasync` once, and only then tells every waiter of the round that its entry is durable.
//! A failed write or sync stops the log for good: that round and every later entry fail, so
//! that nothing is ever acknowledged after a gap.

use std::fs::File;
use std::future::Future;
use std::io::Write;
use std::pin::Pin;
use std::sync::{mpsc, Arc, OnceLock};
use std::task::{Context, Poll};
use std::thread::JoinHandle;

use tokio::sync::oneshot;

use super::format;
use super::Compactor;

/// The most entry bytes one record takes (a larger single entry gets a record of its own).
const MAX_BATCH: usize = 1 << 20;
/// How many times a round looks again for entries still arriving before it is written.
const GATHER_PASSES: usize = 8;

/// Why a change could not be made durable: it is in memory but not on disk, must not be
/// acknowledged, and a restart comes back without it.
#[derive(Clone, Debug, thiserror::Error)]
#[error("the state log {path} cannot be written: {reason}")]
pub struct NotDurable {
    path: Arc<str>,
    reason: Arc<str>,
}

struct Job {
    entry: Vec<u8>,
    done: oneshot::Sender<Result<(), NotDurable>>,
}

/// The writer thread and the queue to it.
pub(crate) struct Writer {
    queue: Option<mpsc::Sender<Job>>,
    thread: Option<JoinHandle<()>>,
    failed: Arc<OnceLock<NotDurable>>,
    path: Arc<str>,
}

impl Writer {
    /// Starts the thread that appends to `file` (opened for appending), telling `compactor` of
    /// each record written and moving to the new log it hands back.
    pub(crate) fn start(
        file: File,
        path: Arc<str>,
        compactor: Compactor,
    ) -> std::io::Result<Writer> {
        let (queue, jobs) = mpsc::channel();
        let failed = Arc::new(OnceLock::new());
        let (thread_path, thread_failed) = (Arc::clone(&path), Arc::clone(&failed));
        let thread = std::thread::Builder::new()
            .name("state-log".into())
            .spawn(move || run(file, &jobs, thread_path, &thread_failed, compactor))?;
        Ok(Writer {
            queue: Some(queue),
            thread: Some(thread),
            failed,
            path,
        })
    }

    /// Queues one entry; the answer resolves once it is on disk.
    pub(crate) fn append(&self, entry: Vec<u8>) -> Result<Durable, NotDurable> {
        if let Some(failed) = self.failed.get() {
            return Err(failed.clone());
        }
        let (done, wait) = oneshot::channel();
        match &self.queue {
            Some(queue) if queue.send(Job { entry, done }).is_ok() => Ok(Durable {
                wait,
                path: Arc::clone(&self.path),
            }),
            _ => Err(self.not_durable("the log writer has stopped")),
        }
    }

    /// A failure of this log, for `reason`.
    pub(crate) fn not_durable(&self, reason: impl Into<Arc<str>>) -> NotDurable {
        NotDurable {
            path: Arc::clone(&self.path),
            reason: reason.into(),
        }
    }
}

impl Drop for Writer {
    /// Closes the queue and waits for the thread to write what was queued.
    fn drop(&mut self) {
        drop(self.queue.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(
    mut file: File,
    jobs: &mpsc::Receiver<Job>,
    mut path: Arc<str>,
    failed: &OnceLock<NotDurable>,
    mut compactor: Compactor,
) {
    let mut record = Vec::new();
    let mut payload = Vec::new();
    while let Ok(first) = jobs.recv() {
        let mut size = first.entry.len();
        let mut round = vec![first];
        // Take what is queued; while more keeps coming (other requests are being answered right
        // now), let them join this round rather than wait a whole sync for the next. A lone
        // writer finds nothing more at once and pays no delay.
        for _ in 0..GATHER_PASSES {
            let before = round.len();
            while size < MAX_BATCH {
                match jobs.try_recv() {
                    Ok(job) => {
                        size += job.entry.len();
                        round.push(job);
                    }
                    Err(_) => break,
                }
            }
            if round.len() == before || size >= MAX_BATCH {
                break;
            }
            std::thread::yield_now();
        }
        if failed.get().is_none() {
            payload.clear();
            record.clear();
            let written = round
                .iter()
                .try_for_each(|job| format::push_entry(&mut payload, &job.entry))
                .and_then(|()| format::push_frame(&mut record, &payload))
                .map_err(|e| e.to_string())
                .and_then(|()| {
                    file.write_all(&record)
                        .and_then(|()| file.sync_data())
                        .map_err(|e| e.to_string())
                });
            if let Err(reason) = written {
                tracing::error!(file = %path, %reason, "state: the log cannot be written; no change is accepted any more");
                let _ = failed.set(NotDurable {
                    path: Arc::clone(&path),
                    reason: reason.into(),
                });
            } else if let Some((next, next_path)) = compactor.wrote(record.len()) {
                // Every entry of the log left behind is on disk: the next round goes to the
                // new log, and the compaction folds the old one into a snapshot meanwhile.
                file = next;
                path = next_path;
            }
        }
        let answer = failed.get().cloned().map_or(Ok(()), Err);
        for job in round {
            // A waiter that went away (its client hung up) needs no answer.
            let _ = job.done.send(answer.clone());
        }
    }
}

/// A change on its way to disk: resolves once it is durable, or to [`NotDurable`].
#[derive(Debug)]
pub(crate) struct Durable {
    wait: oneshot::Receiver<Result<(), NotDurable>>,
    path: Arc<str>,
}

impl Future for Durable {
    type Output = Result<(), NotDurable>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let path = Arc::clone(&self.path);
        Pin::new(&mut self.wait).poll(cx).map(|r| {
            r.unwrap_or_else(|_| {
                Err(NotDurable {
                    path,
                    reason: "the log writer has stopped".into(),
                })
            })
        })
    }
}
