//! UCS@school rules for user roles and attributes that need no directory lookup
//! (the ones that do, such as "changing to student needs a class in each school", live in
//! `user_write.rs`).

use ucs_ldap::Role;

/// Most legal guardians a student can have.
pub(crate) const MAX_LEGAL_GUARDIANS: usize = 4;
/// Most legal wards a legal guardian can have.
pub(crate) const MAX_LEGAL_WARDS: usize = 10;

/// Checks a role set: exactly one role, or staff and teacher; school_admin may be added to
/// staff and/or teacher.
pub(crate) fn check_role_combination(roles: &[Role]) -> Result<(), String> {
    let mut set: Vec<Role> = roles.to_vec();
    crate::school_role::sort_by_name(&mut set);
    set.dedup();
    let without_admin: Vec<Role> = set
        .iter()
        .copied()
        .filter(|r| *r != Role::SchoolAdmin)
        .collect();
    let ok = match set.len() {
        0 => false,
        1 => true,
        _ => {
            let admin = set.contains(&Role::SchoolAdmin);
            let staff_teacher_only = without_admin
                .iter()
                .all(|r| matches!(r, Role::Staff | Role::Teacher));
            staff_teacher_only && (admin || without_admin.len() == 2)
        }
    };
    if ok {
        Ok(())
    } else {
        let names: Vec<&str> = set.iter().map(|r| r.as_str()).collect();
        Err(format!(
            "Invalid combination of roles: {}. Allowed are a single role, or 'staff' and 'teacher'; 'school_admin' can be combined with 'staff' and/or 'teacher'.",
            names.join(", ")
        ))
    }
}

/// Checks the year of an expiration date (`YYYY-MM-DD`).
pub(crate) fn check_expiration_date(date: &str) -> Result<(), String> {
    let year: i32 = date.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
    if (1961..=2099).contains(&year) {
        Ok(())
    } else {
        Err("expiration_date must be between 1961-01-01 and 2099-12-31.".into())
    }
}

/// Checks the shape of a `ucsschool_roles` entry: `role:context_type:context`.
pub(crate) fn check_ucsschool_role(value: &str) -> Result<(), String> {
    let parts: Vec<&str> = value.split(':').collect();
    if parts.len() == 3 && parts.iter().all(|p| !p.is_empty()) {
        Ok(())
    } else {
        Err(format!(
            "Invalid UCS@school role {value:?}: expected 'role:context_type:context'."
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Role::*;

    #[test]
    fn allowed_role_sets() {
        for ok in [
            &[Student][..],
            &[Teacher],
            &[Staff],
            &[SchoolAdmin],
            &[LegalGuardian],
            &[Staff, Teacher],
            &[SchoolAdmin, Teacher],
            &[SchoolAdmin, Staff],
            &[SchoolAdmin, Staff, Teacher],
            &[Student, Student],
        ] {
            assert!(check_role_combination(ok).is_ok(), "{ok:?}");
        }
        for bad in [
            &[][..],
            &[Student, Teacher],
            &[Student, Staff],
            &[SchoolAdmin, Student],
            &[LegalGuardian, Teacher],
            &[LegalGuardian, SchoolAdmin],
        ] {
            let e = check_role_combination(bad).unwrap_err();
            assert!(e.contains("Invalid combination of roles"), "{bad:?}");
        }
    }

    #[test]
    fn expiration_and_role_strings() {
        assert!(check_expiration_date("1961-01-01").is_ok());
        assert!(check_expiration_date("2099-12-31").is_ok());
        assert!(check_expiration_date("1960-12-31").is_err());
        assert!(check_expiration_date("2100-01-01").is_err());
        assert!(check_ucsschool_role("teacher:school:DEMOSCHOOL").is_ok());
        assert!(check_ucsschool_role("teacher:school").is_err());
        assert!(check_ucsschool_role("a::b").is_err());
    }
}
