//! Who may use which API: credentials are checked against the users in the store, and group
//! membership decides what they may do (as on a real server).
//!
//! * UDM: members of `Domain Admins`, `DC Backup Hosts` or `DC Slave Hosts` (the groups the
//!   UDM REST API's join script authorizes); other valid users get 403. `cn=admin` (the LDAP
//!   administrator, with its own password, the LDAP secret) skips the group check.
//! * Kelvin: every valid user gets a token; it records membership of
//!   `ucsschool-kelvin-rest-api-admins` (read and write) and `ucsschool-kelvin-rest-api-readers`
//!   (read only) at login, and the Kelvin resources refuse tokens without either.

use crate::directory::{self, links};
use crate::store::{Object, Tree};
use ucs_ldap::canonical as dn;

/// The UDM administrators group.
/// The domain administrator the emulator seeds.
pub(crate) const ADMIN_USER: &str = "Administrator";

pub(crate) const DOMAIN_ADMINS: &str = "Domain Admins";
/// The groups whose members may use the UDM REST API (`directory/manager/rest/authorized-groups/*`).
pub(crate) const UDM_GROUPS: [&str; 3] = [DOMAIN_ADMINS, "DC Backup Hosts", "DC Slave Hosts"];
/// The Kelvin administrators group.
pub(crate) const KELVIN_ADMINS: &str = "ucsschool-kelvin-rest-api-admins";
/// The Kelvin read-only group.
pub(crate) const KELVIN_READERS: &str = "ucsschool-kelvin-rest-api-readers";

/// What a Kelvin token records about its user at login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KelvinFlags {
    /// Member of the Kelvin admins group.
    pub admin: bool,
    /// Member of the Kelvin readers group.
    pub reader: bool,
}

/// Outcome of a UDM login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum UdmAccess {
    /// Allowed; the user's DN.
    Granted(String),
    /// Unknown user, wrong password or disabled account.
    Unauthenticated,
    /// Valid user without UDM rights.
    Forbidden,
}

/// The user with this user name (case-insensitive, as LDAP compares `uid`).
pub(crate) fn find_user<'a>(tree: &'a Tree, username: &str) -> Option<&'a Object> {
    tree.with_value("users/user", "username", username).next()
}

/// The DN of a group in `cn=groups,<base>`.
pub(crate) fn system_group_dn(name: &str, base: &str) -> String {
    dn::child("cn", name, &format!("cn=groups,{base}"))
}

/// Whether the user is a direct member of the system group `group`.
pub(crate) fn is_member(tree: &Tree, user: &Object, group: &str) -> bool {
    let group_key = dn::key_of_canonical(&system_group_dn(group, tree.base_dn()));
    let user_key = dn::key_of_canonical(&user.dn);
    tree.get(&group_key).is_some_and(|g| {
        g.prop_list(links::GROUP_MEMBERS.source_prop)
            .iter()
            .any(|m| dn::key_of_canonical(m) == user_key)
    })
}

fn authenticate<'a>(tree: &'a Tree, username: &str, password: &str) -> Option<&'a Object> {
    let user = find_user(tree, username)?;
    let disabled = user
        .properties
        .get("disabled")
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    (!disabled && directory::verify_password(user, password)).then_some(user)
}

/// Checks Kelvin credentials (token endpoint): the user, if the password is right and the
/// account not disabled (any user, not only school users).
pub(crate) fn kelvin_login<'a>(
    tree: &'a Tree,
    username: &str,
    password: &str,
) -> Option<&'a Object> {
    authenticate(tree, username, password)
}

/// The Kelvin group memberships of a user (direct members, as the server compares DNs).
pub(crate) fn kelvin_flags(tree: &Tree, user: &Object) -> KelvinFlags {
    KelvinFlags {
        admin: is_member(tree, user, KELVIN_ADMINS),
        reader: is_member(tree, user, KELVIN_READERS),
    }
}

/// The LDAP administrator's user name on UDM.
const LDAP_ADMIN: &str = "cn=admin";

/// Checks UDM credentials (HTTP Basic); `cn=admin` binds with the LDAP secret.
pub(crate) fn udm_login(
    tree: &Tree,
    ldap_secret: &str,
    username: &str,
    password: &str,
) -> UdmAccess {
    if username == LDAP_ADMIN {
        return if password == ldap_secret {
            UdmAccess::Granted(format!("{LDAP_ADMIN},{}", tree.base_dn()))
        } else {
            UdmAccess::Unauthenticated
        };
    }
    match authenticate(tree, username, password) {
        None => UdmAccess::Unauthenticated,
        Some(user) if UDM_GROUPS.iter().any(|g| is_member(tree, user, g)) => {
            UdmAccess::Granted(user.dn.clone())
        }
        Some(_) => UdmAccess::Forbidden,
    }
}
