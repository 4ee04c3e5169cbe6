//! Bulk runs with a report: every result carries its input's identity, a
//! callback sees each finished item with its outcome, the run stops after
//! `n` failures or when its first `k` errors are the same, and a pre-flight
//! check keeps items that need a missing school, workgroup, class or mail
//! domain from being sent at all.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use futures::StreamExt;

use super::bulk_preflight::{Missing, Needs, Preflight, PreflightReport};
use super::users::{NewUser, UserPatch, Users};
use super::User;
use crate::error::{Error, Result};

/// Which input an item is: its position and the names that identify it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ItemId {
    /// Position in the input (from 0).
    pub index: usize,
    /// The user name (of a create, if it has one; of a patch, the user
    /// patched).
    pub name: Option<String>,
    /// The create's `record_uid`.
    pub record_uid: Option<String>,
    /// The create's `source_uid`.
    pub source_uid: Option<String>,
}

impl std::fmt::Display for ItemId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{}", self.index)?;
        for (key, value) in [
            ("name", &self.name),
            ("record_uid", &self.record_uid),
            ("source_uid", &self.source_uid),
        ] {
            if let Some(value) = value {
                write!(f, " {key}={value:?}")?;
            }
        }
        Ok(())
    }
}

/// What became of one item.
#[derive(Debug)]
#[non_exhaustive]
pub enum ItemOutcome {
    /// Sent and done: the user as stored.
    Done(Box<User>),
    /// Sent and failed.
    Failed(Error),
    /// Not sent.
    NotSent(NotSent),
}

/// Why an item was not sent.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotSent {
    /// The pre-flight check found what it needs missing.
    Missing(Vec<Missing>),
    /// The run had stopped before its turn.
    Stopped,
}

/// One item of a report: which input, and what became of it.
#[derive(Debug)]
#[non_exhaustive]
pub struct BulkItem {
    /// The input.
    pub id: ItemId,
    /// Its outcome.
    pub outcome: ItemOutcome,
}

/// What the per-item callback sees.
#[derive(Debug)]
#[non_exhaustive]
pub struct ItemEvent<'a> {
    /// The input.
    pub id: &'a ItemId,
    /// Its outcome.
    pub outcome: &'a ItemOutcome,
    /// Items finished so far (this one included).
    pub done: usize,
    /// Items sent and failed so far.
    pub failed: usize,
    /// All items.
    pub total: usize,
}

/// Why a run stopped early.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StopReason {
    /// [`BulkRun::stop_after`]: this many items failed.
    Failures(usize),
    /// [`BulkRun::stop_on_identical_errors`]: the first `count` errors were
    /// the same (`error`: the first of them; the items' own names stand as
    /// `{…}` when comparing).
    IdenticalErrors {
        /// How many.
        count: usize,
        /// The first of them.
        error: String,
    },
}

/// The result of a run: one item per input, in input order.
#[derive(Debug)]
#[non_exhaustive]
pub struct BulkReport {
    /// One per input, in input order.
    pub items: Vec<BulkItem>,
    /// Why the run stopped early, if it did.
    pub stopped: Option<StopReason>,
    /// What the pre-flight check found, if one was made.
    pub preflight: Option<PreflightReport>,
}

impl BulkReport {
    /// The users made or changed, with their inputs.
    pub fn succeeded(&self) -> impl Iterator<Item = (&ItemId, &User)> {
        self.items.iter().filter_map(|i| match &i.outcome {
            ItemOutcome::Done(user) => Some((&i.id, user.as_ref())),
            _ => None,
        })
    }

    /// The failures, with their inputs.
    pub fn failed(&self) -> impl Iterator<Item = (&ItemId, &Error)> {
        self.items.iter().filter_map(|i| match &i.outcome {
            ItemOutcome::Failed(error) => Some((&i.id, error)),
            _ => None,
        })
    }

    /// The items not sent, and why.
    pub fn not_sent(&self) -> impl Iterator<Item = (&ItemId, &NotSent)> {
        self.items.iter().filter_map(|i| match &i.outcome {
            ItemOutcome::NotSent(why) => Some((&i.id, why)),
            _ => None,
        })
    }
}

type Callback = Arc<dyn Fn(&ItemEvent<'_>) + Send + Sync>;

/// A configured bulk run over a [`Users`] handle (see [`Users::bulk`]).
///
/// ```no_run
/// # async fn demo(kelvin: ucs::kelvin::Kelvin, batch: Vec<ucs::kelvin::NewUser>) -> ucs::Result<()> {
/// use ucs::kelvin::{ItemOutcome, Preflight};
/// let report = kelvin
///     .users()
///     .bulk()
///     .concurrency(8)
///     .stop_after(20)
///     .stop_on_identical_errors(5)
///     .preflight(Preflight::new().mail_domains(["example.com"]))
///     .on_item(|event| {
///         if let ItemOutcome::Failed(error) = event.outcome {
///             eprintln!("{}: {error}", event.id);
///         }
///     })
///     .create(batch)
///     .await?;
/// println!("{} created, {} failed, {} not sent", report.succeeded().count(),
///     report.failed().count(), report.not_sent().count());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct BulkRun {
    users: Users,
    concurrency: usize,
    stop_after: Option<usize>,
    identical: Option<usize>,
    preflight: Option<Preflight>,
    on_item: Option<Callback>,
}

impl std::fmt::Debug for BulkRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BulkRun")
            .field("concurrency", &self.concurrency)
            .field("stop_after", &self.stop_after)
            .field("identical", &self.identical)
            .field("preflight", &self.preflight)
            .field("on_item", &self.on_item.is_some())
            .finish()
    }
}

impl Users {
    /// A bulk run through this handle (its rule checks and
    /// [`Users::server_fills`] apply to every item): 8 requests in flight,
    /// no stopping rule, no pre-flight check.
    pub fn bulk(&self) -> BulkRun {
        BulkRun {
            users: self.clone(),
            concurrency: 8,
            stop_after: None,
            identical: None,
            preflight: None,
            on_item: None,
        }
    }
}

impl BulkRun {
    /// How many requests run at the same time (at least 1).
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.concurrency = requests.max(1);
        self
    }

    /// Stop sending once `failures` items failed (at least 1). Requests in
    /// flight then finish; the items not yet sent are [`NotSent::Stopped`].
    pub fn stop_after(mut self, failures: usize) -> Self {
        self.stop_after = Some(failures.max(1));
        self
    }

    /// Stop sending when the first `count` errors of the run are the same
    /// (at least 2): a batch-wide problem (a missing school, a password
    /// policy, an expired account) that every further item would hit too.
    /// Errors compare by status, message and field errors, with the item's
    /// own name, `record_uid`, `source_uid`, e-mail and names taken out (the
    /// server repeats them in its texts).
    pub fn stop_on_identical_errors(mut self, count: usize) -> Self {
        self.identical = Some(count.max(2));
        self
    }

    /// Check before sending what the batch needs (one lookup per school,
    /// not one failed request per item); items that need something missing
    /// are [`NotSent::Missing`].
    pub fn preflight(mut self, checks: Preflight) -> Self {
        self.preflight = Some(checks);
        self
    }

    /// Called after every item (sent or not), in completion order.
    pub fn on_item(mut self, callback: impl Fn(&ItemEvent<'_>) + Send + Sync + 'static) -> Self {
        self.on_item = Some(Arc::new(callback));
        self
    }

    /// Only the pre-flight check of a batch of creates (nothing is sent).
    pub async fn check(&self, users: &[NewUser]) -> Result<PreflightReport> {
        let needs: Vec<Needs> = users.iter().map(create_needs).collect();
        let checks = self.preflight.clone().unwrap_or_default();
        Ok(checks.check(self.users.kelvin(), &needs).await?.0)
    }

    /// Creates the users. `Err` only when the pre-flight lookups fail
    /// (then nothing was sent); every item's own failure is in the report.
    pub async fn create(&self, users: impl IntoIterator<Item = NewUser>) -> Result<BulkReport> {
        let users: Vec<NewUser> = users.into_iter().collect();
        let ids = users
            .iter()
            .enumerate()
            .map(|(index, u)| ItemId {
                index,
                name: u.name.clone(),
                record_uid: u.record_uid.clone(),
                source_uid: u.source_uid.clone(),
            })
            .collect();
        let needs: Vec<Needs> = users.iter().map(create_needs).collect();
        let values = users.iter().map(own_values).collect();
        self.run(users, ids, values, needs, |user| self.users.create(user))
            .await
    }

    /// Applies the patches (`(user name, patch)`); see [`BulkRun::create`].
    pub async fn patch(
        &self,
        patches: impl IntoIterator<Item = (String, UserPatch)>,
    ) -> Result<BulkReport> {
        let patches: Vec<(String, UserPatch)> = patches.into_iter().collect();
        let ids = patches
            .iter()
            .enumerate()
            .map(|(index, (name, _))| ItemId {
                index,
                name: Some(name.clone()),
                record_uid: None,
                source_uid: None,
            })
            .collect();
        let needs = patches
            .iter()
            .map(|(_, p)| {
                let preview = p.to_json_preview();
                Needs::of(
                    &p.rule_fields(),
                    preview.get("email").and_then(|e| e.as_str()),
                )
            })
            .collect();
        let values = patches.iter().map(|(name, _)| vec![name.clone()]).collect();
        self.run(patches, ids, values, needs, |(name, patch)| async move {
            self.users.patch(&name, &patch).await
        })
        .await
    }

    /// Runs `call` for every item that passes the pre-flight check, with
    /// bounded concurrency and the stopping rules.
    async fn run<I, F, Fut>(
        &self,
        inputs: Vec<I>,
        ids: Vec<ItemId>,
        values: Vec<Vec<String>>,
        needs: Vec<Needs>,
        call: F,
    ) -> Result<BulkReport>
    where
        F: Fn(I) -> Fut,
        Fut: std::future::Future<Output = Result<User>>,
    {
        let (preflight, missing) = match &self.preflight {
            Some(checks) => {
                let (report, missing) = checks.check(self.users.kelvin(), &needs).await?;
                (Some(report), missing)
            }
            None => (None, vec![Vec::new(); inputs.len()]),
        };
        let total = inputs.len();
        let stop = AtomicBool::new(false);
        let stop = &stop;
        let call = &call;
        let mut stream = futures::stream::iter(inputs.into_iter().zip(missing).enumerate())
            .map(|(index, (input, missing))| async move {
                if !missing.is_empty() {
                    return (index, ItemOutcome::NotSent(NotSent::Missing(missing)));
                }
                if stop.load(Ordering::SeqCst) {
                    return (index, ItemOutcome::NotSent(NotSent::Stopped));
                }
                match call(input).await {
                    Ok(user) => (index, ItemOutcome::Done(Box::new(user))),
                    Err(error) => (index, ItemOutcome::Failed(error)),
                }
            })
            .buffer_unordered(self.concurrency);
        let mut outcomes: Vec<Option<ItemOutcome>> = (0..total).map(|_| None).collect();
        let mut rules = StopRules::new(self.stop_after, self.identical);
        let mut done = 0;
        while let Some((index, outcome)) = stream.next().await {
            done += 1;
            if let ItemOutcome::Failed(error) = &outcome {
                if rules.failed(error, &values[index]) {
                    stop.store(true, Ordering::SeqCst);
                }
            }
            if let Some(callback) = &self.on_item {
                callback(&ItemEvent {
                    id: &ids[index],
                    outcome: &outcome,
                    done,
                    failed: rules.failures,
                    total,
                });
            }
            outcomes[index] = Some(outcome);
        }
        let items = ids
            .into_iter()
            .zip(outcomes)
            .map(|(id, outcome)| BulkItem {
                id,
                outcome: outcome.unwrap_or(ItemOutcome::NotSent(NotSent::Stopped)),
            })
            .collect();
        Ok(BulkReport {
            items,
            stopped: rules.reason,
            preflight,
        })
    }
}

fn create_needs(user: &NewUser) -> Needs {
    Needs::of(&user.rule_fields(), user.email.as_deref())
}

/// The values of a create that the server's error texts repeat.
fn own_values(user: &NewUser) -> Vec<String> {
    [
        &user.name,
        &user.record_uid,
        &user.source_uid,
        &user.email,
        &Some(user.firstname.clone()),
        &Some(user.lastname.clone()),
    ]
    .into_iter()
    .flatten()
    .cloned()
    .collect()
}

/// The stopping rules' state.
struct StopRules {
    stop_after: Option<usize>,
    identical: Option<usize>,
    failures: usize,
    /// The signatures of the first `identical` errors.
    first: Vec<String>,
    first_error: Option<String>,
    reason: Option<StopReason>,
}

impl StopRules {
    fn new(stop_after: Option<usize>, identical: Option<usize>) -> Self {
        StopRules {
            stop_after,
            identical,
            failures: 0,
            first: Vec::new(),
            first_error: None,
            reason: None,
        }
    }

    /// Counts a failure; whether the run stops now.
    fn failed(&mut self, error: &Error, own: &[String]) -> bool {
        self.failures += 1;
        if self.first_error.is_none() {
            self.first_error = Some(error.to_string());
        }
        if self.reason.is_some() {
            return false;
        }
        if let Some(k) = self.identical {
            if self.first.len() < k {
                self.first.push(signature(error, own));
                if self.first.len() == k && self.first.iter().all(|s| *s == self.first[0]) {
                    self.reason = Some(StopReason::IdenticalErrors {
                        count: k,
                        error: self.first_error.clone().unwrap_or_default(),
                    });
                    return true;
                }
            }
        }
        if self.stop_after.is_some_and(|n| self.failures >= n) {
            self.reason = Some(StopReason::Failures(self.failures));
            return true;
        }
        false
    }
}

/// An error as compared for "the same error": kind, status, message and
/// field errors without the request (URL, request id), with the item's own
/// values (at least 3 characters) replaced by `{…}`.
fn signature(error: &Error, own: &[String]) -> String {
    let mut text = match error.api_error() {
        Some(api) => {
            let fields: Vec<String> = api.fields.iter().map(ToString::to_string).collect();
            format!("{} {} [{}]", api.status, api.detail, fields.join("; "))
        }
        None => match error {
            Error::Transport { message, .. } => format!("transport: {message}"),
            Error::Timeout { message, .. } => format!("timeout: {message}"),
            Error::Decode { message, .. } => format!("decode: {message}"),
            Error::TooLarge { limit, .. } => format!("too large: {limit}"),
            other => other.to_string(),
        },
    };
    let mut own: Vec<&String> = own.iter().filter(|v| v.chars().count() >= 3).collect();
    own.sort_by_key(|v| std::cmp::Reverse(v.len()));
    for value in own {
        text = text.replace(value.as_str(), "{…}");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ApiError, RequestContext};

    fn refused(status: u16, detail: &str, url: &str) -> Error {
        Error::from_status(ApiError {
            context: RequestContext {
                method: "POST".into(),
                url: url.into(),
                request_id: Some(url.into()),
            },
            status,
            detail: detail.into(),
            fields: Vec::new(),
        })
    }

    #[test]
    fn errors_that_differ_only_in_the_items_values_are_the_same() {
        let a = refused(
            400,
            "Failed to create ImportStudent(name='anna', dn='uid=anna,cn=schueler'): Password is shorter than 15 characters.",
            "u1",
        );
        let b = refused(
            400,
            "Failed to create ImportStudent(name='bernd', dn='uid=bernd,cn=schueler'): Password is shorter than 15 characters.",
            "u2",
        );
        assert_eq!(
            signature(&a, &["anna".into()]),
            signature(&b, &["bernd".into()])
        );
        let other = refused(400, "Failed to create ImportStudent(name='bernd', dn='uid=bernd,cn=schueler'): Username 'bernd' is longer than allowed.", "u3");
        assert_ne!(
            signature(&a, &["anna".into()]),
            signature(&other, &["bernd".into()])
        );
        assert_ne!(
            signature(&refused(409, "x", "u"), &[]),
            signature(&refused(400, "x", "u"), &[])
        );
    }

    #[test]
    fn the_first_k_errors_decide_and_stop_after_counts_all() {
        let same = refused(404, "No school with name='X' found.", "u");
        let mut rules = StopRules::new(None, Some(3));
        assert!(!rules.failed(&same, &[]));
        assert!(!rules.failed(&same, &[]));
        assert!(rules.failed(&same, &[]));
        assert!(matches!(
            rules.reason,
            Some(StopReason::IdenticalErrors { count: 3, .. })
        ));

        let mut mixed = StopRules::new(Some(5), Some(2));
        assert!(!mixed.failed(&same, &[]));
        assert!(!mixed.failed(&refused(409, "School user exists.", "u"), &[]));
        assert!(!mixed.failed(&same, &[]), "only the first two are compared");
        assert!(!mixed.failed(&same, &[]));
        assert!(mixed.failed(&same, &[]));
        assert_eq!(mixed.reason, Some(StopReason::Failures(5)));
    }

    #[test]
    fn item_ids_name_their_input() {
        let id = ItemId {
            index: 3,
            name: Some("jdoe".into()),
            record_uid: Some("r-1".into()),
            source_uid: None,
        };
        assert_eq!(id.to_string(), "#3 name=\"jdoe\" record_uid=\"r-1\"");
    }
}
