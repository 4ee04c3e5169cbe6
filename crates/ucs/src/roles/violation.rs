//! Rule violations: which field breaks which rule, and why.

use std::fmt;

/// One rule of UCS@school user data.
///
/// [`Rule::code`] gives a stable snake_case name for logs, metrics and error bodies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// A field that a create (or a full replacement) needs is missing or blank.
    RequiredField,
    /// A field is sent but empty (`""`, `[]`) where the server refuses that.
    EmptyValue,
    /// The roles are not an allowed combination (see [`RoleSet`](super::RoleSet)).
    RoleCombination,
    /// Staff users who are not teachers cannot be members of school classes; a change to
    /// staff must drop the classes explicitly.
    StaffWithoutClasses,
    /// A user changed to student needs at least one school class in each of their schools.
    StudentNeedsClass,
    /// A school admin cannot be changed to student.
    SchoolAdminToStudent,
    /// `school` must be one of `schools`.
    SchoolNotInSchools,
    /// Every key of `school_classes` and `workgroups` must be one of the user's schools.
    MembershipOutsideSchools,
    /// Only students can have legal guardians.
    LegalGuardiansOnlyForStudents,
    /// A student can have at most 4 legal guardians.
    TooManyLegalGuardians,
    /// Only legal guardians can have legal wards.
    LegalWardsOnlyForLegalGuardians,
    /// A legal guardian can have at most 10 legal wards.
    TooManyLegalWards,
    /// The year of `expiration_date` must be between 1961 and 2099.
    ExpirationYear,
    /// A `ucsschool_roles` entry is not `role:context_type:context`.
    UcsschoolRoleFormat,
    /// A role change the server would ignore: the new roles make the same user type as
    /// the current ones.
    RoleChangeIgnored,
}

impl Rule {
    /// Every rule, in declaration order.
    pub const ALL: [Rule; 15] = [
        Rule::RequiredField,
        Rule::EmptyValue,
        Rule::RoleCombination,
        Rule::StaffWithoutClasses,
        Rule::StudentNeedsClass,
        Rule::SchoolAdminToStudent,
        Rule::SchoolNotInSchools,
        Rule::MembershipOutsideSchools,
        Rule::LegalGuardiansOnlyForStudents,
        Rule::TooManyLegalGuardians,
        Rule::LegalWardsOnlyForLegalGuardians,
        Rule::TooManyLegalWards,
        Rule::ExpirationYear,
        Rule::UcsschoolRoleFormat,
        Rule::RoleChangeIgnored,
    ];

    /// A stable snake_case name for the rule.
    pub fn code(self) -> &'static str {
        match self {
            Rule::RequiredField => "required_field",
            Rule::EmptyValue => "empty_value",
            Rule::RoleCombination => "role_combination",
            Rule::StaffWithoutClasses => "staff_without_classes",
            Rule::StudentNeedsClass => "student_needs_class",
            Rule::SchoolAdminToStudent => "school_admin_to_student",
            Rule::SchoolNotInSchools => "school_not_in_schools",
            Rule::MembershipOutsideSchools => "membership_outside_schools",
            Rule::LegalGuardiansOnlyForStudents => "legal_guardians_only_for_students",
            Rule::TooManyLegalGuardians => "too_many_legal_guardians",
            Rule::LegalWardsOnlyForLegalGuardians => "legal_wards_only_for_legal_guardians",
            Rule::TooManyLegalWards => "too_many_legal_wards",
            Rule::ExpirationYear => "expiration_year",
            Rule::UcsschoolRoleFormat => "ucsschool_role_format",
            Rule::RoleChangeIgnored => "role_change_ignored",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A broken rule: the field path, the rule and an English sentence naming the value.
///
/// Field paths are `roles`, `school`, `school_classes.DEMOSCHOOL2` (a key of a map),
/// `legal_guardians[4]` (an index of a list; for "too many" rules the first one too many),
/// `ucsschool_roles[1]`, ...
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Path of the offending field.
    pub field: String,
    /// The rule broken.
    pub rule: Rule,
    /// One English sentence saying what is wrong, naming the value.
    pub message: String,
}

impl Violation {
    pub(crate) fn new(field: impl Into<String>, rule: Rule, message: impl Into<String>) -> Self {
        Violation {
            field: field.into(),
            rule,
            message: message.into(),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.field, self.message, self.rule.code())
    }
}

impl std::error::Error for Violation {}
