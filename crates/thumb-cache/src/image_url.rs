use sha2::{Digest, Sha256};
use url::Url;

use crate::ThumbError;

/// Maximum number of characters of a rejected input that an error message repeats.
const MAX_ECHOED_INPUT_CHARS: usize = 80;

/// A checked `http` or `https` picture URL with its cache key and its redacted form for logs.
#[derive(Debug, Clone)]
pub(crate) struct ImageUrl {
    url: Url,
    redacted: String,
    key: String,
}

impl ImageUrl {
    /// Parses `input` and rejects every scheme other than `http` and `https`.
    pub(crate) fn parse(input: &str) -> Result<Self, ThumbError> {
        let url = Url::parse(input.trim()).map_err(|error| ThumbError::InvalidUrl {
            input: echo_input(input),
            reason: error.to_string(),
        })?;

        if !is_fetchable_scheme(url.scheme()) {
            return Err(ThumbError::UnsupportedScheme {
                scheme: url.scheme().to_owned(),
            });
        }

        let Some(host) = url.host_str() else {
            return Err(ThumbError::InvalidUrl {
                input: echo_input(input),
                reason: "the URL has no host".to_owned(),
            });
        };
        let redacted = match url.port() {
            Some(port) => format!("{}://{}:{}{}", url.scheme(), host, port, url.path()),
            None => format!("{}://{}{}", url.scheme(), host, url.path()),
        };

        // The serialized URL is normalized by the parser, so spellings that differ only in case
        // of the scheme or host, or in a default port, share one cache entry.
        let key = hex_sha256(url.as_str());

        Ok(Self { url, redacted, key })
    }

    pub(crate) fn url(&self) -> &Url {
        &self.url
    }

    /// URL without user info, query and fragment, safe to log.
    pub(crate) fn redacted(&self) -> &str {
        &self.redacted
    }

    /// Lowercase hex SHA-256 of the normalized URL.
    pub(crate) fn key(&self) -> &str {
        &self.key
    }

    /// Host and port that share one concurrency limit.
    pub(crate) fn host_port(&self) -> String {
        let host = self.url.host_str().unwrap_or_default();
        let port = self.url.port_or_known_default().unwrap_or_default();
        format!("{host}:{port}")
    }

    pub(crate) fn host(&self) -> &str {
        self.url.host_str().unwrap_or_default()
    }

    pub(crate) fn path(&self) -> &str {
        self.url.path()
    }
}

pub(crate) fn is_fetchable_scheme(scheme: &str) -> bool {
    scheme == "http" || scheme == "https"
}

/// Returns the start of `input` without its query and fragment, for error messages.
fn echo_input(input: &str) -> String {
    let end = input.find(['?', '#']).unwrap_or(input.len());
    input[..end].chars().take(MAX_ECHOED_INPUT_CHARS).collect()
}

fn hex_sha256(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacted_url_drops_query_and_user_info() {
        let url =
            ImageUrl::parse("http://user:secret@10.0.0.5:8081/img/a.jpg?token=abc#x").unwrap();

        assert_eq!(url.redacted(), "http://10.0.0.5:8081/img/a.jpg");
        assert_eq!(url.host_port(), "10.0.0.5:8081");
    }

    #[test]
    fn default_port_shares_cache_key() {
        let explicit = ImageUrl::parse("HTTP://Example.com:80/a.png").unwrap();
        let implicit = ImageUrl::parse("http://example.com/a.png").unwrap();

        assert_eq!(explicit.key(), implicit.key());
        assert_eq!(explicit.key().len(), 64);
    }

    #[test]
    fn non_http_schemes_rejected() {
        for input in [
            "file:///etc/passwd",
            "data:image/png;base64,AAAA",
            "javascript:alert(1)",
            "ftp://example.com/a.png",
        ] {
            let error = ImageUrl::parse(input).unwrap_err();
            assert!(
                matches!(error, ThumbError::UnsupportedScheme { .. }),
                "{input}: {error}"
            );
        }
    }

    #[test]
    fn invalid_url_message_omits_query() {
        let error = ImageUrl::parse("/relative/a.png?token=secret").unwrap_err();

        assert!(matches!(error, ThumbError::InvalidUrl { .. }), "{error}");
        assert!(!error.to_string().contains("secret"), "{error}");
    }
}
