//! Group commit: jobs sent by concurrent callers are written by one writer task, a batch per transaction.

use services::store::StoreError;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};

/// How many jobs one transaction takes at most: enough to spread one fsync over a burst, few
/// enough that a batch's transaction stays short for the readers and writers beside it.
pub const MAX_BATCH: usize = 128;

/// How many jobs may wait for the writer before callers wait to hand theirs over.
const QUEUE: usize = 4 * MAX_BATCH;

/// Writes a batch in one transaction and answers each job in order. A job's failure is its own
/// answer; a failure of the whole transaction (its commit, a lost connection) is every job's.
pub type WriteBatch<J, R> =
    Arc<dyn Fn(Vec<J>) -> Pin<Box<dyn Future<Output = Vec<Result<R, StoreError>>> + Send>> + Send + Sync>;

struct Pending<J, R> {
    job: J,
    reply: oneshot::Sender<Result<R, StoreError>>,
}

/// The queue in front of one writer task. The writer is started on the first job, in the runtime
/// of its caller, and again if it has stopped (its runtime ended, as a test's does).
pub struct GroupCommit<J, R> {
    write: WriteBatch<J, R>,
    sender: Mutex<Option<mpsc::Sender<Pending<J, R>>>>,
}

impl<J: Send + 'static, R: Send + 'static> GroupCommit<J, R> {
    pub fn new(write: WriteBatch<J, R>) -> Self {
        Self { write, sender: Mutex::new(None) }
    }

    /// Hands `job` to the writer and waits until the transaction holding it has committed (or failed).
    pub async fn submit(&self, job: J) -> Result<R, StoreError> {
        let (reply, answer) = oneshot::channel();
        let sender = self.sender();
        sender.send(Pending { job, reply }).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }

    fn sender(&self) -> mpsc::Sender<Pending<J, R>> {
        // A poisoned lock only means a caller panicked while holding it; the sender is still whole.
        let mut held = self.sender.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match held.as_ref() {
            Some(sender) if !sender.is_closed() => sender.clone(),
            _ => {
                let (sender, receiver) = mpsc::channel(QUEUE);
                tokio::spawn(run_writer(receiver, self.write.clone()));
                *held = Some(sender.clone());
                sender
            }
        }
    }
}

fn stopped() -> StoreError {
    StoreError::Unavailable("the intake writer stopped".into())
}

/// Takes what is waiting (at least one job, at most [`MAX_BATCH`]) and writes it as one batch;
/// jobs arriving meanwhile wait for the next, so a batch grows with the load without a timer.
async fn run_writer<J, R>(mut receiver: mpsc::Receiver<Pending<J, R>>, write: WriteBatch<J, R>) {
    while let Some(first) = receiver.recv().await {
        let mut batch = vec![first];
        // Callers woken in the same instant are still on their way to the queue: one yield lets
        // them arrive, which costs a single job nothing measurable.
        tokio::task::yield_now().await;
        while batch.len() < MAX_BATCH {
            match receiver.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let (jobs, replies): (Vec<J>, Vec<_>) = batch.into_iter().map(|p| (p.job, p.reply)).unzip();
        let count = jobs.len();
        let mut answers = write(jobs).await;
        answers.resize_with(count, || Err(StoreError::Database("the batch gave no answer for a report".into())));
        for (reply, answer) in replies.into_iter().zip(answers) {
            // A caller that went away no longer needs its answer; its report is stored all the same.
            let _ = reply.send(answer);
        }
    }
}
