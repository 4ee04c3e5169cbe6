//! Which HTTP proxy a session uses: the environment's (reqwest's default),
//! none at all, or one given explicitly.

use crate::error::{Error, Result};
use crate::http::url::parse_server_url;
use crate::secret::Secret;

/// The proxy choice of a session.
#[derive(Clone, Debug, Default)]
pub(crate) enum ProxyChoice {
    /// `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` (and their
    /// lower-case forms) as reqwest reads them when the client is built.
    #[default]
    Environment,
    /// Connect directly, whatever the environment says.
    Direct,
    /// This proxy for every request (the environment is ignored).
    Explicit(ExplicitProxy),
}

/// A proxy given with `Builder::proxy`.
#[derive(Clone, Debug)]
pub(crate) struct ExplicitProxy {
    /// `http://proxy:3128` (no credentials in it).
    pub url: reqwest::Url,
    /// Basic credentials for the proxy (`Proxy-Authorization`).
    pub credentials: Option<(String, Secret)>,
    /// Hosts reached directly (`NO_PROXY` syntax: `localhost,.example.com,10.0.0.0/8`).
    pub bypass: Option<String>,
}

impl ExplicitProxy {
    /// Parses a proxy URL: `http` or `https`, and no credentials in it (they
    /// would show up wherever the URL is printed; give them with
    /// `proxy_credentials`).
    pub(crate) fn parse(url: &str) -> Result<ExplicitProxy> {
        let url = parse_server_url(url).map_err(|e| match e {
            Error::Config(text) if text.contains("contains credentials") => Error::Config(
                "the proxy URL contains credentials (user:password@host); give them with \
                 .proxy_credentials(...) instead"
                    .into(),
            ),
            Error::Config(text) => Error::Config(format!("proxy: {text}")),
            other => other,
        })?;
        Ok(ExplicitProxy {
            url,
            credentials: None,
            bypass: None,
        })
    }

    /// The reqwest proxy.
    pub(crate) fn to_reqwest(&self) -> Result<reqwest::Proxy> {
        let mut proxy = reqwest::Proxy::all(self.url.as_str())
            .map_err(|e| Error::Config(format!("proxy {}: {e}", self.url)))?;
        if let Some((user, password)) = &self.credentials {
            proxy = proxy.basic_auth(user, password.expose());
        }
        if let Some(bypass) = &self.bypass {
            proxy = proxy.no_proxy(reqwest::NoProxy::from_string(bypass));
        }
        Ok(proxy)
    }
}

impl ProxyChoice {
    /// Applies the choice to a client builder.
    pub(crate) fn apply(&self, builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder> {
        Ok(match self {
            ProxyChoice::Environment => builder,
            ProxyChoice::Direct => builder.no_proxy(),
            ProxyChoice::Explicit(proxy) => builder.proxy(proxy.to_reqwest()?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_urls_with_credentials_are_refused_without_echoing_them() {
        let error = ExplicitProxy::parse("http://u:Proxy-Pw-1@proxy:3128").unwrap_err();
        let text = error.to_string();
        assert!(text.contains("proxy"), "{text}");
        assert!(text.contains("contains credentials"), "{text}");
        assert!(!text.contains("Proxy-Pw-1"), "{text}");
        let proxy = ExplicitProxy::parse("http://proxy.example.com:3128").unwrap();
        assert_eq!(proxy.url.as_str(), "http://proxy.example.com:3128/");
    }

    #[test]
    fn proxy_credentials_stay_out_of_debug() {
        let mut proxy = ExplicitProxy::parse("http://proxy:3128").unwrap();
        proxy.credentials = Some(("squid".into(), Secret::new("Proxy-Pw-2")));
        let choice = ProxyChoice::Explicit(proxy);
        let text = format!("{choice:?}");
        assert!(!text.contains("Proxy-Pw-2"), "{text}");
        assert!(text.contains("squid"), "{text}");
    }
}
