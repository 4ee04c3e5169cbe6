//! Fault injection: error statuses, dropped connections and failures of chosen requests,
//! decided deterministically from a seed and the position of a request in the sequence.

use std::sync::Mutex;

/// What to break, and how often.
///
/// Requests are counted from the moment the faults are set (builder or
/// `SimHandle::set_faults`), starting at 1. For a given `seed` the same sequence of requests
/// meets the same faults.
///
/// ```
/// use ucs_sim::Faults;
/// let faults = Faults {
///     error_rate: 0.2,            // one request in five gets 429, 502 or 503
///     retry_after: Some(1),       // ... with `Retry-After: 1`
///     fail_nth: vec![(3, 500)],   // the third request gets 500
///     drop_after_processing_nth: vec![5], // the fifth is processed, then its connection closed
///     seed: 7,
///     ..Faults::default()
/// };
/// assert_eq!(faults.statuses, vec![429, 502, 503]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Faults {
    /// Share (0 to 1) of requests answered with one of `statuses` instead of being processed.
    pub error_rate: f64,
    /// Statuses for `error_rate` (default 429, 502, 503). Values outside 100..=999 become 500.
    pub statuses: Vec<u16>,
    /// Seconds sent as `Retry-After` with every injected error status.
    pub retry_after: Option<u64>,
    /// Share (0 to 1) of requests whose connection is closed without a response (the request
    /// is not processed).
    pub drop_rate: f64,
    /// `(n, status)`: the n-th request is answered with `status` without being processed;
    /// status 0 closes the connection instead.
    pub fail_nth: Vec<(u64, u16)>,
    /// The n-th request is processed (a create happens) and then its connection is closed
    /// without a response, so the client cannot know whether it took effect.
    pub drop_after_processing_nth: Vec<u64>,
    /// `(n, status)`: the n-th request is processed and then answered with `status` (a
    /// gateway that timed out after the backend did the work).
    pub fail_after_processing_nth: Vec<(u64, u16)>,
    /// Seed of the deterministic random decisions.
    pub seed: u64,
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            error_rate: 0.0,
            statuses: vec![429, 502, 503],
            retry_after: None,
            drop_rate: 0.0,
            fail_nth: Vec::new(),
            drop_after_processing_nth: Vec::new(),
            fail_after_processing_nth: Vec::new(),
            seed: 0,
        }
    }
}

impl std::str::FromStr for Faults {
    type Err = String;

    /// Faults from a command-line text: comma-separated `key=value` pairs, e.g.
    /// `error-rate=0.05,statuses=502/503,retry-after=1,drop-rate=0.01,seed=7`,
    /// `fail=3:500`, `drop-after=5`, `fail-after=2:502` (repeat a key for several).
    fn from_str(spec: &str) -> Result<Faults, String> {
        let mut faults = Faults::default();
        for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = pair
                .split_once('=')
                .ok_or_else(|| format!("{pair:?} is not key=value"))?;
            apply_spec(&mut faults, key.trim(), value.trim())?;
        }
        Ok(faults)
    }
}

fn apply_spec(faults: &mut Faults, key: &str, value: &str) -> Result<(), String> {
    let number = |v: &str| {
        v.parse::<u64>()
            .map_err(|_| format!("{key}: {v:?} is not a number"))
    };
    let share = |v: &str| match v.parse::<f64>() {
        Ok(f) if (0.0..=1.0).contains(&f) => Ok(f),
        _ => Err(format!("{key}: {v:?} is not a share between 0 and 1")),
    };
    let nth_status = |v: &str| -> Result<(u64, u16), String> {
        let (n, status) = v
            .split_once(':')
            .ok_or_else(|| format!("{key}: {v:?} is not N:STATUS"))?;
        let status = status
            .parse::<u16>()
            .map_err(|_| format!("{key}: {status:?} is not a status"))?;
        Ok((number(n)?, status))
    };
    match key {
        "error-rate" => faults.error_rate = share(value)?,
        "drop-rate" => faults.drop_rate = share(value)?,
        "retry-after" => faults.retry_after = Some(number(value)?),
        "seed" => faults.seed = number(value)?,
        "statuses" => {
            faults.statuses = value
                .split('/')
                .map(|s| s.parse::<u16>().map_err(|_| format!("statuses: {s:?} is not a status")))
                .collect::<Result<_, _>>()?
        }
        "fail" => faults.fail_nth.push(nth_status(value)?),
        "drop-after" => faults.drop_after_processing_nth.push(number(value)?),
        "fail-after" => faults.fail_after_processing_nth.push(nth_status(value)?),
        other => {
            return Err(format!(
                "unknown fault {other:?}; known: error-rate, statuses, retry-after, drop-rate, fail, drop-after, fail-after, seed"
            ))
        }
    }
    Ok(())
}

/// What happens to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Processed normally.
    Pass,
    /// Answered with this status, not processed.
    Status(u16),
    /// Connection closed, not processed.
    Drop,
    /// Processed, then answered with this status (`None`: connection closed).
    AfterProcessing(Option<u16>),
}

/// SplitMix64: a small, well-distributed hash of the seed and the request number.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn unit(x: u64) -> f64 {
    (x >> 11) as f64 / (1u64 << 53) as f64
}

impl Faults {
    /// The decision for the n-th request (1-based) since the faults were set.
    pub(crate) fn decide(&self, n: u64) -> Decision {
        if let Some((_, status)) = self.fail_nth.iter().find(|(i, _)| *i == n) {
            return if *status == 0 {
                Decision::Drop
            } else {
                Decision::Status(*status)
            };
        }
        if self.drop_after_processing_nth.contains(&n) {
            return Decision::AfterProcessing(None);
        }
        if let Some((_, status)) = self.fail_after_processing_nth.iter().find(|(i, _)| *i == n) {
            return Decision::AfterProcessing((*status != 0).then_some(*status));
        }
        let a = mix(self.seed ^ mix(n));
        let b = mix(a);
        let c = mix(b);
        if self.drop_rate > 0.0 && unit(a) < self.drop_rate {
            return Decision::Drop;
        }
        if self.error_rate > 0.0 && unit(b) < self.error_rate && !self.statuses.is_empty() {
            let status = self.statuses[(c % self.statuses.len() as u64) as usize];
            return Decision::Status(status);
        }
        Decision::Pass
    }
}

/// The active faults, the number of requests seen, and where the faults' count starts.
#[derive(Debug)]
pub(crate) struct FaultInjector {
    state: Mutex<InjectorState>,
}

#[derive(Debug)]
struct InjectorState {
    faults: Faults,
    seen: u64,
    counted_from: u64,
}

impl FaultInjector {
    /// Starts with these faults.
    pub fn new(faults: Faults) -> Self {
        Self {
            state: Mutex::new(InjectorState {
                faults,
                seen: 0,
                counted_from: 0,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, InjectorState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Replaces the faults; counting starts again with the next request.
    pub fn set(&self, faults: Faults) {
        let mut state = self.lock();
        state.counted_from = state.seen;
        state.faults = faults;
    }

    /// The active faults.
    pub fn get(&self) -> Faults {
        self.lock().faults.clone()
    }

    /// Counts a request and decides its fate; also returns the `Retry-After` to send.
    pub fn next(&self) -> (Decision, Option<u64>) {
        let mut state = self.lock();
        state.seen += 1;
        let n = state.seen - state.counted_from;
        (state.faults.decide(n), state.faults.retry_after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_are_deterministic_and_follow_rates() {
        let faults = Faults {
            error_rate: 0.3,
            drop_rate: 0.1,
            seed: 42,
            ..Faults::default()
        };
        let first: Vec<Decision> = (1..=1000).map(|n| faults.decide(n)).collect();
        let second: Vec<Decision> = (1..=1000).map(|n| faults.decide(n)).collect();
        assert_eq!(first, second);
        let drops = first.iter().filter(|d| **d == Decision::Drop).count();
        let errors = first
            .iter()
            .filter(|d| matches!(d, Decision::Status(_)))
            .count();
        assert!((60..=140).contains(&drops), "{drops}");
        assert!((200..=340).contains(&errors), "{errors}");
        let other_seed = Faults {
            seed: 43,
            ..faults.clone()
        };
        assert_ne!(
            first,
            (1..=1000).map(|n| other_seed.decide(n)).collect::<Vec<_>>()
        );
    }

    #[test]
    fn nth_rules_win_and_counting_restarts_on_set() {
        let injector = FaultInjector::new(Faults::default());
        assert_eq!(injector.next().0, Decision::Pass);
        injector.set(Faults {
            fail_nth: vec![(2, 503), (3, 0)],
            drop_after_processing_nth: vec![4],
            fail_after_processing_nth: vec![(5, 502)],
            retry_after: Some(2),
            ..Faults::default()
        });
        assert_eq!(injector.next(), (Decision::Pass, Some(2)));
        assert_eq!(injector.next().0, Decision::Status(503));
        assert_eq!(injector.next().0, Decision::Drop);
        assert_eq!(injector.next().0, Decision::AfterProcessing(None));
        assert_eq!(injector.next().0, Decision::AfterProcessing(Some(502)));
        assert_eq!(injector.next().0, Decision::Pass);
    }
}
