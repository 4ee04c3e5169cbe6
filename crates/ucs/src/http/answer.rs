//! A successful answer together with the request it answers.

use progenitor_client::ResponseValue;
use reqwest::header::HeaderMap;

use crate::error::{Error, RequestContext};

/// A success answer and its request (method, URL, request id), so that a
/// later decode error names the request without a call site rebuilding it.
pub(crate) struct Answer<T> {
    response: ResponseValue<T>,
    context: RequestContext,
}

impl<T> Answer<T> {
    pub(crate) fn new(response: ResponseValue<T>, context: RequestContext) -> Self {
        Answer { response, context }
    }

    /// The HTTP status.
    pub(crate) fn status(&self) -> u16 {
        self.response.status().as_u16()
    }

    /// The response headers.
    pub(crate) fn headers(&self) -> &HeaderMap {
        self.response.headers()
    }

    /// A response header as text.
    pub(crate) fn header(&self, name: &str) -> Option<String> {
        self.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }

    /// The body.
    pub(crate) fn body(&self) -> &T {
        self.response.as_ref()
    }

    /// The request this answers.
    pub(crate) fn context(&self) -> &RequestContext {
        &self.context
    }

    /// A decode error about this answer.
    pub(crate) fn decode_error(&self, message: impl Into<String>) -> Error {
        Error::Decode {
            context: Box::new(self.context.clone()),
            message: message.into(),
        }
    }

    /// The generated client's answer as it came.
    pub(crate) fn into_response(self) -> ResponseValue<T> {
        self.response
    }

    /// The body and the request.
    pub(crate) fn into_parts(self) -> (T, RequestContext) {
        (self.response.into_inner(), self.context)
    }
}
