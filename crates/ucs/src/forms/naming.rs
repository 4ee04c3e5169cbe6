//! Naming policies for user names and mail addresses, and the longest user
//! names UCS@school allows.

use crate::roles::Role;

/// How a user name (or the local part of a mail address) is made from the first and
/// last name; used by [`UserValues::uid_policy`](super::UserValues::uid_policy) and
/// [`UserValues::mail_policy`](super::UserValues::mail_policy). Each is a policy of the
/// [`Policy`](super::Policy) language; the names are transliterated, and user names
/// reduced by [`uid_from`](super::uid_from).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NamePolicy {
    /// `mueller` (the default of user names).
    LastName,
    /// `jmueller`: first initial and last name.
    FirstInitialLastName,
    /// `j.mueller`.
    FirstInitialDotLastName,
    /// `juergen.mueller` (the default of mail addresses).
    FirstNameDotLastName,
    /// `juergenmueller`.
    FirstNameLastName,
    /// `mueller.juergen`.
    LastNameDotFirstName,
}

impl NamePolicy {
    /// The policy text of this naming (without a domain).
    pub fn policy(self) -> &'static str {
        match self {
            NamePolicy::LastName => "%(sn)s",
            NamePolicy::FirstInitialLastName => "'%(givenname)s'[0:1] + '%(sn)s'",
            NamePolicy::FirstInitialDotLastName => "'%(givenname)s'[0:1] + '.' + '%(sn)s'",
            NamePolicy::FirstNameDotLastName => "%(givenname)s.%(sn)s",
            NamePolicy::FirstNameLastName => "%(givenname)s%(sn)s",
            NamePolicy::LastNameDotFirstName => "%(sn)s.%(givenname)s",
        }
    }

    /// The policy of a mail address of this naming: the local part, `@`, the domain.
    pub fn mail_policy(self) -> String {
        let local = self.policy();
        if local.starts_with('\'') {
            format!("{local} + '@%(domain)s'")
        } else {
            format!("{local}@%(domain)s")
        }
    }
}

/// The longest user names, by role, as the UCS@school importer allows them: the import
/// configuration's `username:max_length` (ucs-school-import, `configuration.py`
/// `_set_username_maxlength`). Its `default` is the UCR variable
/// `ucsschool/username/max_length` (20 if unset); students get that minus the length of
/// the exam user prefix (`ucsschool/ldap/default/userprefix/exam`, `exam-`), so that
/// their exam accounts fit too: 15. The importer refuses longer names
/// (`ImportUser.validate`: `UsernameToLong`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct UidLength {
    /// Every role but students.
    pub default: usize,
    /// Students.
    pub student: usize,
}

impl UidLength {
    /// UCS@school's defaults: 20, students 15.
    pub const UCS_SCHOOL: UidLength = UidLength::from_ucr(20, "exam-");

    /// The lengths the importer derives from the UCR variable
    /// `ucsschool/username/max_length` and the exam user prefix.
    pub const fn from_ucr(max_length: usize, exam_prefix: &str) -> UidLength {
        UidLength {
            default: max_length,
            student: max_length.saturating_sub(exam_prefix.len()),
        }
    }

    /// The same limit for every role.
    pub const fn uniform(max_length: usize) -> UidLength {
        UidLength {
            default: max_length,
            student: max_length,
        }
    }

    /// The limit for a user with `roles`: the student limit if one of them is student.
    pub fn for_roles(&self, roles: &[Role]) -> usize {
        if roles.contains(&Role::Student) {
            self.student
        } else {
            self.default
        }
    }
}
