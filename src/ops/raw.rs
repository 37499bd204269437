//! The raw requests: every parameter optional text, as it arrives, each field declared once with
//! its API parameter name.

/// Declares a raw request: the struct (every field `Option<String>`), a chainable setter per
/// field, the list of its API parameter names, its reading from parameters and its `validate`
/// (the operation `$op`'s form checks, giving `$typed`, the raw request's typed form).
macro_rules! raw_request {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_doc:meta])*
                $field:ident: $param:literal,
            )+
        }

        $(#[$validate_doc:meta])*
        fn validate() -> $typed:ty = $op:ty;
    ) => {
        $(#[$meta])*
        ///
        /// Built with `default()` and a setter per parameter; more parameters may come.
        #[derive(Clone, PartialEq, Eq, Debug, Default)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[non_exhaustive]
        pub struct $name {
            $(
                $(#[$field_doc])*
                pub $field: Option<String>,
            )+
        }

        impl $crate::ops::operation::RawRequest for $name {
            type Typed = $typed;
        }

        impl $name {
            /// The API names of the parameters, in the order of the fields.
            pub const PARAMETERS: &'static [&'static str] = &[$($param),+];

            $(
                #[doc = concat!("Sets `", $param, "`.")]
                #[must_use]
                pub fn $field(mut self, value: impl Into<String>) -> Self {
                    self.$field = Some(value.into());
                    self
                }
            )+

            /// Checks the form of every parameter and returns the typed request.
            ///
            $(#[$validate_doc])*
            pub fn validate(&self) -> Result<$typed, $crate::error::Error> {
                $crate::ops::operation::validate::<$op>(self)
            }

            /// Reads the request from its parameters: `get` answers a parameter's value by its
            /// API name.
            pub(crate) fn from_params<'p>(get: &impl Fn(&str) -> Option<&'p str>) -> Self {
                $name {
                    $($field: get($param).map(str::to_owned),)+
                }
            }
        }
    };
}

pub(crate) use raw_request;
