//! `ClientToken` idempotency: the account remembers the requests of its last
//! [`ClientTokens::CAPACITY`] successful requests that carried a token, so that a retried
//! request answers its first success again and changes nothing.
//!
//! Every operation that takes a `ClientToken` answers only its `RequestId`, so remembering the
//! request is enough to answer a retry: nothing else of the first answer is kept (the retry's
//! answer carries its own request ID, as every answer does).

use std::collections::{BTreeMap, VecDeque};

use super::enterprise_code::{DeleteEnterpriseCode, UpdateEnterpriseCode};
use super::setup::{BindEnterpriseCode, CreateEnterpriseCode};
use crate::error::Error;
use crate::fields::ClientToken;
use crate::model::Account;

/// Declares the operations that take a `ClientToken`: the remembered request (one variant per
/// operation, its typed request), and each typed request's `with_client_token` and
/// [`Idempotent`] impl, from one list.
macro_rules! idempotent {
    ($($variant:ident($typed:ident);)+) => {
        /// A successful request that carried a `ClientToken`, as the account remembers it: its
        /// operation (the variant) and its typed parameters.
        #[derive(Clone, PartialEq, Eq, Debug)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        pub(crate) enum Remembered {
            $(
                #[doc = concat!("A `", stringify!($typed), "`.")]
                $variant($typed),
            )+
        }

        $(
            impl $typed {
                /// The request with the idempotency key `client_token`: a retry with the same
                /// token and parameters answers the first success and changes nothing.
                #[must_use]
                pub fn with_client_token(mut self, client_token: ClientToken) -> $typed {
                    self.client_token = Some(client_token);
                    self
                }
            }

            impl Idempotent for $typed {
                fn client_token(&self) -> Option<&ClientToken> {
                    self.client_token.as_ref()
                }

                fn remembered(&self) -> Remembered {
                    Remembered::$variant(self.clone())
                }
            }
        )+
    };
}

idempotent! {
    Create(CreateEnterpriseCode);
    Bind(BindEnterpriseCode);
    Update(UpdateEnterpriseCode);
    Delete(DeleteEnterpriseCode);
}

/// The items of an [`Operation`](super::operation::Operation) impl for an operation that takes
/// a `ClientToken`: its form check is the operation's own, its memory the account's.
macro_rules! takes_client_token {
    () => {
        const TAKES_CLIENT_TOKEN: bool = true;

        fn recall(
            account: &$crate::model::Account,
            request: &$crate::ops::operation::Typed<Self>,
        ) -> $crate::ops::idempotency::Recall {
            account.client_tokens.recall(request)
        }
    };
}
pub(super) use takes_client_token;

/// A typed request that may carry a `ClientToken`.
pub(crate) trait Idempotent {
    /// The request's token, if it has one.
    fn client_token(&self) -> Option<&ClientToken>;
    /// The request as the account remembers it.
    fn remembered(&self) -> Remembered;
}

/// What the account's memory says of a request's token.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Recall {
    /// No token, or one the account does not remember: the request runs.
    Fresh,
    /// The token of an identical successful request: the request answers that success again and
    /// changes nothing.
    Replay,
    /// The token of another request: `IdempotentParameterMismatch`.
    Mismatch,
}

/// The tokens of the account's last [`ClientTokens::CAPACITY`] successful requests that
/// carried one, each with its request, oldest first.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub(crate) struct ClientTokens {
    requests: BTreeMap<ClientToken, Remembered>,
    order: VecDeque<ClientToken>,
}

impl ClientTokens {
    /// How many tokens the account remembers: a token older than the last `CAPACITY` successful
    /// requests that carried one is forgotten (a request with it runs again).
    pub(crate) const CAPACITY: usize = 10_000;

    /// What the memory says of `request`.
    pub(crate) fn recall(&self, request: &impl Idempotent) -> Recall {
        match request
            .client_token()
            .and_then(|token| self.requests.get(token))
        {
            None => Recall::Fresh,
            Some(first) if *first == request.remembered() => Recall::Replay,
            Some(_) => Recall::Mismatch,
        }
    }

    /// Remembers the successful `request` under its token (if it has one), forgetting the
    /// oldest token beyond [`ClientTokens::CAPACITY`].
    pub(crate) fn remember(&mut self, request: &impl Idempotent) {
        if let Some(&token) = request.client_token() {
            self.push(token, request.remembered());
        }
    }

    /// Remembers `request` under `token` as the newest (restoring a snapshot, oldest first).
    pub(crate) fn push(&mut self, token: ClientToken, request: Remembered) {
        if self.requests.insert(token, request).is_none() {
            self.order.push_back(token);
        }
        while self.order.len() > Self::CAPACITY {
            if let Some(oldest) = self.order.pop_front() {
                self.requests.remove(&oldest);
            }
        }
    }

    /// The remembered tokens and requests, oldest first.
    #[cfg(feature = "serde")]
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&ClientToken, &Remembered)> + '_ {
        self.order
            .iter()
            .filter_map(|token| Some((token, self.requests.get(token)?)))
    }

    /// How many tokens are remembered.
    pub(crate) fn len(&self) -> usize {
        self.order.len()
    }
}

impl Account {
    /// Runs `run` on `request` once per `ClientToken`: a request that repeats the token of an
    /// identical successful request answers `Ok` and changes nothing; one that repeats the token
    /// of another request is refused; a fresh one runs, and its success is remembered.
    ///
    /// # Errors
    ///
    /// [`Error::IdempotentParameterMismatch`], or what `run` answers.
    pub(crate) fn once<R: Idempotent>(
        &mut self,
        request: R,
        run: impl FnOnce(&mut Account, &R) -> Result<(), Error>,
    ) -> Result<(), Error> {
        match self.client_tokens.recall(&request) {
            Recall::Replay => Ok(()),
            Recall::Mismatch => Err(Error::IdempotentParameterMismatch),
            Recall::Fresh => {
                run(self, &request)?;
                self.client_tokens.remember(&request);
                Ok(())
            }
        }
    }

    /// How many client tokens the account remembers (at most 10,000).
    pub fn remembered_client_tokens(&self) -> usize {
        self.client_tokens.len()
    }
}
