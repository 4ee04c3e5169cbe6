//! Applying with a planner at hand: a plan the directory has moved away from is made again.

use super::{ApplyOptions, ApplyReport};
use crate::input::Roster;
use crate::plan::{Plan, Planner};
use crate::{Result, SyncError};

impl Planner {
    /// Applies `plan`; if the directory changed since it was made, plans `roster` again
    /// and applies the new plan (at most 3 plans in all). Returns the plan applied and
    /// its report.
    pub async fn apply_or_replan(
        &self,
        roster: &Roster,
        plan: Plan,
        options: &ApplyOptions,
    ) -> Result<(Plan, ApplyReport)> {
        let kelvin = self.kelvin()?;
        let mut plan = plan;
        for _ in 0..2 {
            match plan.apply(kelvin, options).await {
                Err(SyncError::DirectoryChanged { .. }) => plan = self.plan(roster).await?,
                other => return other.map(|report| (plan, report)),
            }
        }
        let report = plan.apply(kelvin, options).await?;
        Ok((plan, report))
    }
}
