//! The router's `check_role` of the legal-guardian parameters (`legal_guardians` only for
//! students, `legal_wards` only for legal guardians), shared by creates, replaces and changes.

use super::class::UserClass;
use crate::kelvin::error::KelvinError;
use crate::kelvin::py::repr;

/// `check_role` of the legal-guardian parameters: the user's class (or, in a PATCH, a new
/// role name containing the role) must fit.
pub(super) fn check(
    class: UserClass,
    guardians: bool,
    wards: bool,
    new_roles: Option<&[String]>,
) -> Result<(), KelvinError> {
    let role_string = match class {
        UserClass::Student => "student",
        UserClass::Teacher => "teacher",
        UserClass::TeachersAndStaff => "teacher_and_staff",
        UserClass::Staff => "staff",
        UserClass::LegalGuardian => "legal_guardian",
        UserClass::SchoolAdmin => "school_admin",
    };
    for (given, param, role) in [
        (guardians, "legal_guardians", "student"),
        (wards, "legal_wards", "legal_guardian"),
    ] {
        let allowed =
            role_string == role || new_roles.is_some_and(|r| r.iter().any(|n| n.contains(role)));
        if given && !allowed {
            return Err(KelvinError::bad_request(format!(
                "Parameter {} only valid for user-role {}",
                repr(param),
                repr(role)
            )));
        }
    }
    Ok(())
}
