//! School users: the resource ([`Users`]), what to create ([`NewUser`]),
//! what to change ([`UserPatch`]) and how to search ([`UserFilter`]).

mod api;
mod filter;
mod new;
mod patch;

pub use api::Users;
pub use filter::UserFilter;
pub use new::NewUser;
pub use patch::UserPatch;

#[cfg(test)]
mod tests {
    use super::super::*;
    use crate::kelvin::urls::Urls;
    use crate::roles::Role;
    use serde_json::{json, Value};
    #[test]
    fn new_user_body_has_urls_for_schools_and_roles() {
        let urls = Urls::new("https://h", "v1");
        let u = NewUser::teacher("A", "B")
            .school("DEMO SCHOOL")
            .class("1a")
            .password("pw123");
        let body = u.to_json(&urls).unwrap();
        assert_eq!(
            body["school"],
            "https://h/ucsschool/kelvin/v1/schools/DEMO%20SCHOOL"
        );
        assert_eq!(
            body["schools"],
            json!(["https://h/ucsschool/kelvin/v1/schools/DEMO%20SCHOOL"])
        );
        assert_eq!(
            body["roles"],
            json!(["https://h/ucsschool/kelvin/v1/roles/teacher"])
        );
        assert_eq!(body["school_classes"], json!({"DEMO SCHOOL": ["1a"]}));
        assert_eq!(body["password"], "pw123");
        let typed: kelvin_raw::v1::types::UserCreateModel =
            serde_json::from_value(body).expect("fits the generated model");
        assert_eq!(typed.firstname, "A");
    }

    #[test]
    fn patch_sends_only_set_fields_and_null_clears() {
        let urls = Urls::new("https://h", "v1");
        let p = UserPatch::new()
            .email(None)
            .roles([Role::Staff])
            .udm_property("title", Value::Null);
        let body = p.to_json(&urls).unwrap();
        assert_eq!(body.len(), 3);
        assert_eq!(body["email"], Value::Null);
        assert_eq!(
            body["roles"],
            json!(["https://h/ucsschool/kelvin/v1/roles/staff"])
        );
        assert_eq!(body["udm_properties"], json!({"title": null}));
        assert!(p.touches_rules());
        assert!(!UserPatch::new().firstname("x").touches_rules());
    }

    #[test]
    fn patch_debug_hides_the_password() {
        let p = UserPatch::new().password("Very$ecret1");
        assert!(!format!("{p:?}").contains("Very$ecret1"));
        assert!(!p.is_empty());
    }
}
