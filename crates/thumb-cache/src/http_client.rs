use std::fmt;
use std::time::Duration;

use reqwest::redirect::{Attempt, Policy};

use crate::error::error_chain_text;
use crate::image_url::{is_fetchable_scheme, ImageUrl};
use crate::{ThumbConfig, ThumbError};

/// Maximum number of redirects followed for one picture.
pub(crate) const MAX_REDIRECTS: usize = 3;

const USER_AGENT: &str = concat!("replenish-desk-thumb-cache/", env!("CARGO_PKG_VERSION"));

/// Builds the client shared by all fetches of one cache.
pub(crate) fn build_client(config: &ThumbConfig) -> Result<reqwest::Client, ThumbError> {
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(config.connect_timeout)
        .redirect(Policy::custom(check_redirect))
        .build()
        .map_err(|error| ThumbError::HttpClient {
            cause: error_chain_text(&error),
        })
}

/// Reason why [`check_redirect`] stopped a redirect chain, found again in the `reqwest` error.
#[derive(Debug)]
enum RedirectRejection {
    Scheme(String),
    TooMany,
}

impl fmt::Display for RedirectRejection {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Scheme(scheme) => write!(formatter, "redirect to a {scheme:?} URL"),
            Self::TooMany => write!(formatter, "more than {MAX_REDIRECTS} redirects"),
        }
    }
}

impl std::error::Error for RedirectRejection {}

fn check_redirect(attempt: Attempt<'_>) -> reqwest::redirect::Action {
    let scheme = attempt.url().scheme().to_owned();

    // `previous` contains the original URL too, as in reqwest's own `Policy::limited`.
    if attempt.previous().len() > MAX_REDIRECTS {
        attempt.error(RedirectRejection::TooMany)
    } else if !is_fetchable_scheme(&scheme) {
        attempt.error(RedirectRejection::Scheme(scheme))
    } else {
        attempt.follow()
    }
}

/// Converts a `reqwest` error into the matching [`ThumbError`] without the URL's query string.
pub(crate) fn map_request_error(
    error: reqwest::Error,
    target: &ImageUrl,
    connect_timeout: Duration,
) -> ThumbError {
    let url = target.redacted().to_owned();

    if let Some(rejection) = find_redirect_rejection(&error) {
        return match rejection {
            RedirectRejection::Scheme(scheme) => ThumbError::RedirectScheme {
                url,
                scheme: scheme.clone(),
            },
            RedirectRejection::TooMany => ThumbError::TooManyRedirects {
                url,
                max: MAX_REDIRECTS,
            },
        };
    }

    if error.is_timeout() && error.is_connect() {
        return ThumbError::TimedOut {
            url,
            stage: "connecting to",
            after: connect_timeout,
        };
    }

    // The error text would otherwise repeat the full URL, query string included.
    let error = error.without_url();
    ThumbError::Network {
        url,
        cause: error_chain_text(&error),
    }
}

fn find_redirect_rejection(error: &reqwest::Error) -> Option<&RedirectRejection> {
    let mut source = std::error::Error::source(error);

    while let Some(cause) = source {
        if let Some(rejection) = cause.downcast_ref::<RedirectRejection>() {
            return Some(rejection);
        }
        source = cause.source();
    }
    None
}
