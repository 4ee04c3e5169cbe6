//! The runtime the blocking clients run their calls on: a current-thread
//! tokio runtime on a thread of its own, so that a call never starts or
//! drops a runtime on the caller's thread (which panics inside an async
//! context) and the connection pool keeps being driven between calls.

use std::future::Future;
use std::sync::Arc;

use tokio::sync::oneshot;

use crate::error::{Error, Result};

/// A handle to the runtime thread; the thread (and the runtime with its
/// connections) ends when the last clone is dropped.
#[derive(Clone)]
pub(crate) struct Worker {
    inner: Arc<Inner>,
}

struct Inner {
    handle: tokio::runtime::Handle,
    /// Dropping it ends the thread's `block_on`.
    _stop: oneshot::Sender<()>,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Worker")
    }
}

impl Worker {
    /// Starts the runtime thread.
    pub(crate) fn start() -> Result<Worker> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| {
                Error::Config(format!("cannot start the blocking client's runtime: {e}"))
            })?;
        let handle = runtime.handle().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        std::thread::Builder::new()
            .name("ucs-blocking".into())
            .spawn(move || {
                runtime.block_on(async {
                    let _ = stopped.await;
                });
                // the runtime, its tasks and connections are dropped here, on
                // this thread
            })
            .map_err(|e| {
                Error::Config(format!("cannot start the blocking client's thread: {e}"))
            })?;
        Ok(Worker {
            inner: Arc::new(Inner {
                handle,
                _stop: stop,
            }),
        })
    }

    /// Runs `call` on the runtime thread and waits for its result. Waiting
    /// uses a plain channel, so this works (blocking the calling thread)
    /// even from inside an async runtime.
    pub(crate) fn run<T, F>(&self, call: F) -> Result<T>
    where
        T: Send + 'static,
        F: Future<Output = Result<T>> + Send + 'static,
    {
        let (done, result) = std::sync::mpsc::sync_channel(1);
        self.inner.handle.spawn(async move {
            let _ = done.send(call.await);
        });
        result.recv().map_err(|_| {
            Error::Config("the blocking client's runtime stopped before the call finished".into())
        })?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_run_on_the_worker_thread() {
        let worker = Worker::start().unwrap();
        let name = worker
            .run(async { Ok(std::thread::current().name().map(str::to_string)) })
            .unwrap();
        assert_eq!(name.as_deref(), Some("ucs-blocking"));
        let error: Result<()> = worker.run(async { Err(Error::InvalidInput("no".into())) });
        assert!(matches!(error, Err(Error::InvalidInput(_))));
    }

    #[tokio::test]
    async fn calls_from_inside_a_runtime_and_drops_there_do_not_panic() {
        let worker = Worker::start().unwrap();
        let value = worker
            .run(async {
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                Ok(7)
            })
            .unwrap();
        assert_eq!(value, 7);
        drop(worker);
    }
}
