//! The two-sided relations the store keeps indexed: one side is stored (a group's
//! `users`), the other derived on read (a user's `groups`), as UDM keeps them
//! (`users/user` `groups` is the inverse of `groups/group` `users`, `memberOf` of
//! `nestedGroup`; UCS@school's legal guardians and wards).

/// A relation: `source_module.source_prop` lists DNs of `target_module` entries, whose
/// `target_prop` is the derived inverse.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Link {
    /// Module of the entries that store the list.
    pub source_module: &'static str,
    /// The stored list property.
    pub source_prop: &'static str,
    /// Module of the listed entries.
    pub target_module: &'static str,
    /// The derived inverse property.
    pub target_prop: &'static str,
}

/// A group's `users`; a user's `groups`.
pub(crate) static GROUP_MEMBERS: Link = Link {
    source_module: "groups/group",
    source_prop: "users",
    target_module: "users/user",
    target_prop: "groups",
};

/// A group's `nestedGroup`; a group's `memberOf`.
pub(crate) static NESTED_GROUPS: Link = Link {
    source_module: "groups/group",
    source_prop: "nestedGroup",
    target_module: "groups/group",
    target_prop: "memberOf",
};

/// A student's `ucsschoolLegalGuardian`; a guardian's `ucsschoolLegalWard`.
pub(crate) static LEGAL_GUARDIANS: Link = Link {
    source_module: "users/user",
    source_prop: "ucsschoolLegalGuardian",
    target_module: "users/user",
    target_prop: "ucsschoolLegalWard",
};

/// Every relation, in the order the index keeps them.
pub(crate) static RELATIONS: [&Link; 3] = [&GROUP_MEMBERS, &NESTED_GROUPS, &LEGAL_GUARDIANS];
