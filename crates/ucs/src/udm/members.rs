//! Group membership changes that never lose a concurrent one: each is a
//! read-modify-write of the group's `users` with `If-Match`, started over
//! on a conflicting write ([`Module::modify`]).

use serde_json::Value;

use super::module::Module;
use super::object::Object;
use crate::error::{Error, Result};
use ucs_ldap::Dn;

/// The property of `groups/group` that lists the member users (groups in
/// groups are `nestedGroup`).
const MEMBERS: &str = "users";

impl Module {
    /// Adds users to a `groups/group` (`users`), keeping every other member,
    /// also those another client adds at the same time. Members already in
    /// the group (DNs compared as DNs, not as text) are left alone; the
    /// group as stored afterwards is returned.
    pub async fn add_members(
        &self,
        group: &Dn,
        members: impl IntoIterator<Item = Dn>,
    ) -> Result<Object> {
        let members: Vec<Dn> = members.into_iter().collect();
        self.change_members(group, |list| {
            for member in &members {
                if !list.iter().any(|v| same_dn(v, member)) {
                    list.push(Value::String(member.to_string()));
                }
            }
        })
        .await
    }

    /// Removes users from a `groups/group` (`users`), keeping every other
    /// member; DNs that are not members are ignored.
    pub async fn remove_members(
        &self,
        group: &Dn,
        members: impl IntoIterator<Item = Dn>,
    ) -> Result<Object> {
        let members: Vec<Dn> = members.into_iter().collect();
        self.change_members(group, |list| {
            list.retain(|v| !members.iter().any(|m| same_dn(v, m)));
        })
        .await
    }

    async fn change_members(&self, group: &Dn, change: impl Fn(&mut Vec<Value>)) -> Result<Object> {
        if self.name() != "groups/group" {
            return Err(Error::InvalidInput(format!(
                "members are changed on groups/group, not on {}",
                self.name()
            )));
        }
        self.modify(group, |object| {
            let current = match object.get(MEMBERS) {
                Some(Value::Array(values)) => values.clone(),
                Some(Value::String(one)) if !one.is_empty() => vec![Value::String(one.clone())],
                _ => Vec::new(),
            };
            let mut list = current.clone();
            change(&mut list);
            if list != current {
                object.set(MEMBERS, Value::Array(list));
            }
            Ok(())
        })
        .await
    }
}

/// Whether a `users` value names `dn` (values that are no DN name nothing).
fn same_dn(value: &Value, dn: &Dn) -> bool {
    value
        .as_str()
        .and_then(|text| Dn::parse(text).ok())
        .is_some_and(|parsed| &parsed == dn)
}
