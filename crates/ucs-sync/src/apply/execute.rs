//! One action: journal it, send it, journal the outcome.

use ucs::kelvin::UserPatch;
use ucs::Secret;

use super::report::{ActionResult, ResultKind};
use super::resume::{resolve, Resolution};
use super::run::Run;
use crate::journal::{Entry, Identity, Outcome};
use crate::plan::{to_patch, Action, NewUserSpec, Op};
use crate::scheme::password;

impl Run<'_> {
    fn identity(&self, action: &Action) -> Identity {
        Identity {
            name: action.name.clone(),
            record_uid: action.record_uid.clone(),
            source_uid: self.plan.source_uid.clone(),
        }
    }

    pub(crate) async fn run_action(&self, action: &Action) -> ActionResult {
        if let Some((outcome, _)) = self.earlier.finished.get(&action.id) {
            return self.finished_before(action, *outcome).await;
        }
        let mut user = None;
        if let (Some(identity), Some(directory)) =
            (self.earlier.started.get(&action.id), &self.directory)
        {
            match resolve(action, identity, directory) {
                Resolution::Happened => return self.found_done(action).await,
                Resolution::Send { user: name } => user = name,
            }
        }
        if self.too_many_failures() {
            return ActionResult::of(
                action,
                ResultKind::Skipped,
                Some("too many failures before it".into()),
            );
        }
        let identity = self.identity(action);
        let started = Entry::Started {
            action: action.id,
            identity: identity.clone(),
        };
        if let Err(e) = self.journal.append(&started, true).await {
            return ActionResult::of(action, ResultKind::Failed, Some(e.to_string()));
        }
        let outcome = self.send(action, user).await;
        self.record(action, identity, outcome).await
    }

    /// Finished by an earlier run; a create whose password did not reach the file gets a
    /// new one.
    async fn finished_before(&self, action: &Action, outcome: Outcome) -> ActionResult {
        if outcome != Outcome::Failed {
            if let Op::Create { user } = &action.op {
                if let Err(e) = self.ensure_password(user).await {
                    return ActionResult::of(action, ResultKind::Failed, Some(e));
                }
            }
        }
        let kind = match outcome {
            Outcome::Done => ResultKind::Done,
            Outcome::AlreadyDone => ResultKind::AlreadyDone,
            Outcome::Failed => ResultKind::Failed,
        };
        ActionResult::of(action, kind, None)
    }

    async fn found_done(&self, action: &Action) -> ActionResult {
        let identity = self.identity(action);
        self.record(action, identity, Ok(Outcome::AlreadyDone))
            .await
    }

    async fn record(
        &self,
        action: &Action,
        identity: Identity,
        outcome: Result<Outcome, String>,
    ) -> ActionResult {
        let (journal_outcome, error) = match &outcome {
            Ok(o) => (*o, None),
            Err(e) => (Outcome::Failed, Some(e.clone())),
        };
        let done = Entry::Done {
            action: action.id,
            outcome: journal_outcome,
            identity,
            error: error.clone(),
        };
        if let Err(e) = self.journal.append(&done, false).await {
            return ActionResult::of(action, ResultKind::Failed, Some(e.to_string()));
        }
        if journal_outcome == Outcome::AlreadyDone {
            if let Op::Create { user } = &action.op {
                if let Err(e) = self.ensure_password(user).await {
                    return ActionResult::of(action, ResultKind::Failed, Some(e));
                }
            }
        }
        let kind = match journal_outcome {
            Outcome::Done => ResultKind::Done,
            Outcome::AlreadyDone => ResultKind::AlreadyDone,
            Outcome::Failed => ResultKind::Failed,
        };
        ActionResult::of(action, kind, error)
    }

    async fn send(&self, action: &Action, user: Option<String>) -> Result<Outcome, String> {
        let users = self.kelvin.users().without_rule_checks();
        match &action.op {
            Op::Create { user: spec } => self.create(action, spec).await,
            Op::Patch {
                user: name,
                changes,
            } => {
                let name = user.unwrap_or_else(|| name.clone());
                users
                    .patch(&name, &to_patch(changes))
                    .await
                    .map(|_| Outcome::Done)
                    .map_err(|e| e.to_string())
            }
            Op::Delete { user: name } => {
                let name = user.unwrap_or_else(|| name.clone());
                match users.delete(&name).await {
                    Ok(()) => Ok(Outcome::Done),
                    Err(e) if e.is_not_found() => Ok(Outcome::AlreadyDone),
                    Err(e) => Err(e.to_string()),
                }
            }
            Op::None => Ok(Outcome::Done),
        }
    }

    async fn create(&self, action: &Action, spec: &NewUserSpec) -> Result<Outcome, String> {
        let password = self
            .plan
            .passwords
            .get(&action.id)
            .cloned()
            .unwrap_or_else(|| password::generate(self.plan.password_length));
        let users = self.kelvin.users().without_rule_checks();
        users
            .create(spec.to_new_user(Some(password.clone())))
            .await
            .map_err(|e| e.to_string())?;
        self.write_password(spec, &password)?;
        Ok(Outcome::Done)
    }

    fn write_password(&self, spec: &NewUserSpec, password: &Secret) -> Result<(), String> {
        match &self.passwords {
            Some(file) => file.add(spec, password).map_err(|e| e.to_string()),
            None => Ok(()),
        }
    }

    /// A user an interrupted run created: if its password is not in the file, it is
    /// unknown, so a new one is set and written.
    async fn ensure_password(&self, spec: &NewUserSpec) -> Result<(), String> {
        let Some(file) = &self.passwords else {
            return Ok(());
        };
        if file.has(&spec.name) {
            return Ok(());
        }
        let password = password::generate(self.plan.password_length);
        let patch = UserPatch::new().password(password.clone());
        let users = self.kelvin.users().without_rule_checks();
        users
            .patch(&spec.name, &patch)
            .await
            .map_err(|e| e.to_string())?;
        self.write_password(spec, &password)
    }
}
