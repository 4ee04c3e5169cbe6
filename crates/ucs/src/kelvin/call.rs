//! Calling the generated client of the session's API version.

/// Converts a generated (v1 or v2) model into a facade model.
pub(crate) trait FromRaw<T>: Sized {
    /// The conversion; `Err` names what did not fit.
    fn from_raw(raw: T) -> Result<Self, String>;
}

impl FromRaw<()> for () {
    fn from_raw(_: ()) -> Result<Self, String> {
        Ok(())
    }
}

impl<T, R: FromRaw<T>> FromRaw<Vec<T>> for Vec<R> {
    fn from_raw(raw: Vec<T>) -> Result<Self, String> {
        raw.into_iter().map(R::from_raw).collect()
    }
}

/// Runs one Kelvin operation through the executor (auth, request id,
/// language, retries, bounded body), calling the v1 or v2 generated method,
/// and converts the answer into the facade's type; a conversion error names
/// the request the answer came from.
///
/// `$query` are extra query pairs (`Vec<(String, String)>`). The two
/// expressions may only capture references and `Copy` values (they run once
/// per attempt). The whole call is one `async` block, so its result can be
/// matched on (errors do not return from the enclosing function).
macro_rules! kelvin_call {
    ($kelvin:expr, $op:expr, $query:expr, |$c:ident| v1: $v1:expr, v2: $v2:expr $(,)?) => {
        async {
            let kelvin: &$crate::kelvin::Kelvin = $kelvin;
            let query: ::std::vec::Vec<(::std::string::String, ::std::string::String)> = $query;
            let query = &query;
            let host = kelvin.host();
            let http = &kelvin.transport().http;
            let version = kelvin.api_version();
            let answer = kelvin
                .execute($op, |prepared| {
                    let options = ::kelvin_raw::CallOptions {
                        headers: prepared.headers,
                        query: query.clone(),
                        max_body: prepared.max_body,
                    };
                    let http = http.clone();
                    async move {
                        match version {
                            $crate::kelvin::ApiVersion::V1 => {
                                let $c =
                                    ::kelvin_raw::v1::Client::new_with_client(host, http, options);
                                $v1.await
                                    .and_then(|r| r.map($crate::kelvin::call::FromRaw::from_raw))
                            }
                            $crate::kelvin::ApiVersion::V2 => {
                                let $c =
                                    ::kelvin_raw::v2::Client::new_with_client(host, http, options);
                                $v2.await
                                    .and_then(|r| r.map($crate::kelvin::call::FromRaw::from_raw))
                            }
                        }
                    }
                })
                .await?;
            let (value, context) = answer.into_parts();
            value.map_err(|message| $crate::error::Error::Decode {
                context: Box::new(context),
                message,
            })
        }
        .await
    };
}

pub(crate) use kelvin_call;

/// Converts a facade-built JSON body into the generated request type of the
/// version in use (inferred at the call site).
pub(crate) fn body<T: serde::de::DeserializeOwned>(
    json: &serde_json::Value,
) -> Result<T, progenitor_client::Error<progenitor_client::ByteStream>> {
    serde_json::from_value(json.clone())
        .map_err(|e| progenitor_client::Error::InvalidRequest(format!("request body: {e}")))
}

/// Parses a value into a constrained generated type (a school URL, an e-mail
/// filter, ...).
pub(crate) fn parse<T: std::str::FromStr>(
    value: &str,
    what: &str,
) -> Result<T, progenitor_client::Error<progenitor_client::ByteStream>>
where
    T::Err: std::fmt::Display,
{
    value.parse().map_err(|e| {
        progenitor_client::Error::InvalidRequest(format!("invalid {what} {value:?}: {e}"))
    })
}
