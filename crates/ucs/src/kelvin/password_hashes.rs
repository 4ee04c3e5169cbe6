//! Helpers for [`PasswordHashes`]: a constructor, the Kerberos keys as bytes
//! and the values under their OpenLDAP attribute names (what the Python
//! client's `PasswordsHashes` offers: `krb_5_key_as_bytes` and
//! `as_dict_with_ldap_attr_names`, kelvin-rest-api-client 2.6.0).

use base64::Engine;

use super::models::PasswordHashes;
use crate::error::{Error, Result};
use crate::secret::Secret;

impl PasswordHashes {
    /// The OpenLDAP attributes Kelvin writes the hashes to, in field order
    /// (kelvin-api `routers/v1/user.py` `set_password_hashes`, Kelvin 4.0.0).
    pub const LDAP_ATTRIBUTES: [&'static str; 5] = [
        "userPassword",
        "sambaNTPassword",
        "krb5Key",
        "krb5KeyVersionNumber",
        "sambaPwdLastSet",
    ];

    /// Hashes as Kelvin's `kelvin_password_hashes` has them: `userPassword`
    /// values, `sambaNTPassword`, base64-encoded `krb5Key` values,
    /// `krb5KeyVersionNumber` and `sambaPwdLastSet`.
    pub fn new(
        user_password: impl IntoIterator<Item = impl Into<Secret>>,
        samba_nt_password: impl Into<Secret>,
        krb_5_key: impl IntoIterator<Item = impl Into<Secret>>,
        krb5_key_version_number: i64,
        samba_pwd_last_set: i64,
    ) -> Self {
        PasswordHashes {
            user_password: user_password.into_iter().map(Into::into).collect(),
            samba_nt_password: samba_nt_password.into(),
            krb_5_key: krb_5_key.into_iter().map(Into::into).collect(),
            krb5_key_version_number,
            samba_pwd_last_set,
        }
    }

    /// The `krb5Key` values decoded from base64 (as read from LDAP). The
    /// bytes are the keys themselves: keep them out of logs.
    pub fn krb_5_key_bytes(&self) -> Result<Vec<Vec<u8>>> {
        self.krb_5_key
            .iter()
            .enumerate()
            .map(|(index, key)| {
                base64::engine::general_purpose::STANDARD
                    .decode(key.expose().trim())
                    .map_err(|_| {
                        Error::InvalidInput(format!(
                            "krb_5_key value #{} is not base64 (value not shown)",
                            index + 1
                        ))
                    })
            })
            .collect()
    }

    /// Sets the `krb5Key` values from the raw keys (as LDAP stores them),
    /// base64-encoding them for Kelvin.
    pub fn set_krb_5_key_bytes(
        &mut self,
        keys: impl IntoIterator<Item = impl AsRef<[u8]>>,
    ) -> &mut Self {
        self.krb_5_key = keys
            .into_iter()
            .map(|k| Secret::new(base64::engine::general_purpose::STANDARD.encode(k.as_ref())))
            .collect();
        self
    }

    /// The values under their OpenLDAP attribute names ([`PasswordHashes::LDAP_ATTRIBUTES`]),
    /// as LDAP values (the numbers as text), still secret.
    pub fn ldap_attributes(&self) -> Vec<(&'static str, Vec<Secret>)> {
        let [user_password, nt, krb5key, kvno, last_set] = Self::LDAP_ATTRIBUTES;
        vec![
            (user_password, self.user_password.clone()),
            (nt, vec![self.samba_nt_password.clone()]),
            (krb5key, self.krb_5_key.clone()),
            (
                kvno,
                vec![Secret::new(self.krb5_key_version_number.to_string())],
            ),
            (
                last_set,
                vec![Secret::new(self.samba_pwd_last_set.to_string())],
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashes() -> PasswordHashes {
        PasswordHashes::new(
            ["{crypt}$6$salt$hash"],
            "8846F7EAEE8FB117AD06BDD830B7586C",
            ["AAEC"],
            3,
            1_700_000_000,
        )
    }

    #[test]
    fn kerberos_keys_round_trip_through_base64() {
        let mut h = hashes();
        assert_eq!(h.krb_5_key_bytes().unwrap(), vec![vec![0u8, 1, 2]]);
        h.set_krb_5_key_bytes([[0xffu8, 0x00].as_slice(), b"key"]);
        assert_eq!(
            h.krb_5_key.iter().map(Secret::expose).collect::<Vec<_>>(),
            ["/wA=", "a2V5"]
        );
        assert_eq!(
            h.krb_5_key_bytes().unwrap(),
            vec![vec![0xff, 0x00], b"key".to_vec()]
        );
    }

    #[test]
    fn a_key_that_is_not_base64_is_reported_without_its_value() {
        let mut h = hashes();
        h.krb_5_key.push(Secret::new("not base64 !!secret-part"));
        let error = h.krb_5_key_bytes().unwrap_err().to_string();
        assert!(error.contains("#2"), "{error}");
        assert!(!error.contains("secret-part"), "{error}");
    }

    #[test]
    fn ldap_attribute_names_and_values() {
        let attributes = hashes().ldap_attributes();
        let names: Vec<_> = attributes.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, PasswordHashes::LDAP_ATTRIBUTES);
        let values: Vec<Vec<&str>> = attributes
            .iter()
            .map(|(_, v)| v.iter().map(Secret::expose).collect())
            .collect();
        assert_eq!(
            values,
            vec![
                vec!["{crypt}$6$salt$hash"],
                vec!["8846F7EAEE8FB117AD06BDD830B7586C"],
                vec!["AAEC"],
                vec!["3"],
                vec!["1700000000"],
            ]
        );
        assert!(!format!("{attributes:?}").contains("8846F7"));
    }

    #[test]
    fn hashes_deserialize_from_kelvins_field_names() {
        let h: PasswordHashes = serde_json::from_value(serde_json::json!({
            "user_password": ["{crypt}$6$salt$hash"],
            "samba_nt_password": "8846F7EAEE8FB117AD06BDD830B7586C",
            "krb_5_key": ["AAEC"],
            "krb5_key_version_number": 3,
            "samba_pwd_last_set": 1_700_000_000
        }))
        .unwrap();
        assert_eq!(h, hashes());
    }
}
