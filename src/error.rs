//! The error catalogue: every error the service answers, with its HTTP status, its code and its
//! messages, written once in the table below.
//!
//! ```
//! use smartag_rules::{Error, UserName};
//!
//! let err = "abcdef".parse::<UserName>().unwrap_err();
//! assert_eq!(err, Error::NameInvalid);
//! assert_eq!(err.http_status(), 400);
//! assert_eq!(err.code(), "ClientUser.NameInvalid");
//! assert_eq!(err.message(), "The specified UserName is invalid.");
//! assert_eq!(err.message_zh(), Some("用户名格式非法。"));
//! assert_eq!(err.to_string(), "ClientUser.NameInvalid: The specified UserName is invalid.");
//! ```

macro_rules! catalogue {
    ($(
        $(#[$doc:meta])*
        $variant:ident => ($status:literal, $code:literal, $message:literal, $zh:expr);
    )+) => {
        /// An error of the Smart Access Gateway API, exactly as the service answers it.
        ///
        /// Each variant is one documented error code. [`Error::code`], [`Error::http_status`] and
        /// [`Error::message`] give the service's own values byte for byte; `Display` prints
        /// `code: message` (two codes share one message, so the code keeps them apart).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, thiserror::Error)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[non_exhaustive]
        pub enum Error {
            $(
                $(#[$doc])*
                #[error("{}: {}", $code, $message)]
                $variant,
            )+
        }

        impl Error {
            /// Every error of the catalogue, in the order of the table.
            pub const ALL: &'static [Error] = &[$(Error::$variant),+];

            /// The service's error code, such as `ClientUser.NameInvalid`.
            pub const fn code(&self) -> &'static str {
                match self { $(Error::$variant => $code,)+ }
            }

            /// The HTTP status the service answers with (400, 403, 404, 500 or 503).
            pub const fn http_status(&self) -> u16 {
                match self { $(Error::$variant => $status,)+ }
            }

            /// The service's English message, byte for byte.
            pub const fn message(&self) -> &'static str {
                match self { $(Error::$variant => $message,)+ }
            }

            /// The Chinese message, where the Chinese API page gives one.
            pub const fn message_zh(&self) -> Option<&'static str> {
                match self { $(Error::$variant => $zh,)+ }
            }
        }
    };
}

catalogue! {
    /// `SAG.InstanceIdEmpty`: an instance ID parameter is missing or empty.
    InstanceIdEmpty => (400, "SAG.InstanceIdEmpty", "You must specify the SAG instance ID.", None);
    /// `SAG.InstanceNoFound`: no instance of this account has that ID in the request's region.
    InstanceNotFound => (400, "SAG.InstanceNoFound", "The specified SAG instance does not exist.", None);
    /// `SAG.CidrEmpty`: the instance has no client CIDR block (or an empty block list was given).
    CidrEmpty => (400, "SAG.CidrEmpty", "You must specify the CIDR blocks of SAG.", Some("智能网关地址段为空。"));
    /// `SAG.CidrOverlap`: two blocks overlap, within a pool or across a roaming link.
    CidrOverlap => (400, "SAG.CidrOverlap", "The specified CIDR overlaps with an existing CIDR.", None);
    /// `ClientUser.NotSupportAction`: the instance does not take client users (or roaming
    /// within one region).
    NotSupportAction => (400, "ClientUser.NotSupportAction", "You cannot create a user in the current SAG instance.", None);
    /// `ClientUser.NameEmpty`: `UserName` is missing or empty.
    NameEmpty => (400, "ClientUser.NameEmpty", "You must specify UserName.", Some("用户名不能为空。"));
    /// `ClientUser.NameInvalid`: `UserName` breaks the name rule.
    NameInvalid => (400, "ClientUser.NameInvalid", "The specified UserName is invalid.", Some("用户名格式非法。"));
    /// `ClientUser.PasswordInvalid`: `Password` breaks the password rule (or is missing beside a
    /// `UserName`).
    PasswordInvalid => (400, "ClientUser.PasswordInvalid", "The specified password format is invalid.", Some("密码格式非法。"));
    /// `ClientUser.BandwidthInvalid`: `Bandwidth` is not a whole number in 1..=20000, or is above
    /// the instance's ceiling.
    BandwidthInvalid => (400, "ClientUser.BandwidthInvalid", "The specified Bandwidth is invalid.", Some("用户带宽非法。"));
    /// `ClientUser.EmailEmpty`: `UserMail` is missing or empty on create.
    EmailEmpty => (400, "ClientUser.EmailEmpty", "You must specify UserEmail.", Some("用户邮箱不能为空。"));
    /// `ClientUser.EmailInvalid`: the mail address is not valid.
    EmailInvalid => (400, "ClientUser.EmailInvalid", "The format of the specified UserEmail is invalid.", Some("用户邮箱格式非法。"));
    /// `ClientUser.IpEmpty`: `ClientIp` is present but empty.
    IpEmpty => (400, "ClientUser.IpEmpty", "You must specify ClientIp.", Some("未指定静态IP。"));
    /// `ClientUser.IpInvalid`: `ClientIp` is not a dotted-quad IPv4 address.
    IpInvalid => (400, "ClientUser.IpInvalid", "The specified ClientIp is invalid.", Some("指定的静态IP非法。"));
    /// `ClientUser.InvalidClientIp`: `ClientIp` is not a free usable host of the instance's pool.
    InvalidClientIp => (400, "ClientUser.InvalidClientIp", "The specified ClientIp is invalid.", Some("非法的用户IP"));
    /// `ClientUser.UserExist`: the instance already has a user of that name.
    UserExist => (400, "ClientUser.UserExist", "The specified user already exists.", Some("用户已经存在。"));
    /// `ClientUser.UserOverLimit`: the instance's user quota is used up.
    UserOverLimit => (400, "ClientUser.UserOverLimit", "The maximum number of users is exceeded.", Some("用户数已超限"));
    /// `ResourceNotFound.User`: the instance has no user of that name.
    UserNotFound => (400, "ResourceNotFound.User", "The specified user is not found.", None);
    /// `EnterpriseCode.ConfigDifferent`: roaming between instances whose enterprise codes differ.
    EnterpriseCodeConfigDifferent => (400, "EnterpriseCode.ConfigDifferent", "The target smart access gateway enterprise code or idaas configuration is not the same.", None);
    /// `SAG.InvalidCidrFormat`: a CIDR block is not of the form `a.b.c.d/n`.
    InvalidCidrFormat => (400, "SAG.InvalidCidrFormat", "The specified CIDR format is invalid.", None);
    /// `SAG.InvalidCidr`: a CIDR block is not private, has host bits set, has a prefix outside
    /// /8..=/30, the pool would hold more than 10 blocks, or a change would strand a static user.
    InvalidCidr => (400, "SAG.InvalidCidr", "The specified CIDR block is invalid.", None);
    /// `EnterpriseCode.BeenOccupied`: the enterprise code already exists.
    EnterpriseCodeBeenOccupied => (400, "EnterpriseCode.BeenOccupied", "The specified enterprise code is occupied by other enterprises.", None);
    /// `EnterpriseCode.NotExist`: binding, updating or deleting an enterprise code the account
    /// does not have.
    EnterpriseCodeNotExist => (400, "EnterpriseCode.NotExist", "The specified enterprise code does not exist.", None);
    /// `EnterpriseCode.DeleteLimit`: deleting the account's default enterprise code.
    EnterpriseCodeDeleteLimit => (400, "EnterpriseCode.DeleteLimit", "The specified default enterprise code cannot be deleted.", None);
    /// `EnterpriseCode.BeingUsed`: deleting an enterprise code an instance is bound to.
    EnterpriseCodeBeingUsed => (400, "EnterpriseCode.BeingUsed", "The specified enterprise code is being used.", None);
    /// `IdempotentParameterMismatch`: a `ClientToken` already used by a successful request with
    /// another action or other parameters.
    IdempotentParameterMismatch => (400, "IdempotentParameterMismatch", "The request uses the same client token as a previous, but non-identical request.", None);
    /// `ClientUser.UserInUsing`: deleting a user marked as used this month.
    UserInUsing => (400, "ClientUser.UserInUsing", "The specified SAG user account is already in use this month. You cannot delete it.", None);
    /// `MissingParameter`: a required parameter with no code of its own (`RegionId`, say) is missing.
    MissingParameter => (403, "MissingParameter", "The input parameter is missing, please check your input.", None);
    /// `InvalidParameter`: a malformed value with no code of its own (`PageSize=abc`, say).
    InvalidParameter => (400, "InvalidParameter", "The specified parameter is invalid.", None);
    /// `InvalidAction.NotFound`: the `Action` names no operation of this API.
    ActionNotFound => (404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.", None);
    /// `InvalidVersion`: the `Version` parameter (or the `x-acs-version` header) is present but
    /// is not `2018-03-13`, the one version of this API.
    InvalidVersion => (400, "InvalidVersion", "Specified parameter Version is not valid.", None);
    /// `InvalidAccessKeyId.NotFound`: a server's gateway knows no access key of that ID.
    AccessKeyNotFound => (404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.", None);
    /// `SignatureDoesNotMatch`: a server's gateway computed another signature for the request.
    SignatureDoesNotMatch => (400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.", None);
    /// `SignatureNonceUsed`: a server's gateway saw the request's nonce before, within the window.
    SignatureNonceUsed => (400, "SignatureNonceUsed", "Specified signature nonce was used already.", None);
    /// `InvalidTimeStamp.Expired`: the request's timestamp is more than 15 minutes off.
    TimestampExpired => (400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.", None);
    /// `InvalidTimeStamp.Format`: the request's timestamp is malformed.
    TimestampFormat => (400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.", None);
    /// `IncompleteSignature`: a malformed `Authorization` header or an unsupported signature
    /// method.
    IncompleteSignature => (400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.", None);
    /// `ServiceUnavailable`: a server in front of the rules cannot take the request now (its
    /// budget for request bodies is spent, say); nothing ran, and a retry may succeed.
    ServiceUnavailable => (503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.", None);
    /// `Throttling.User`: the caller's requests are over its flow control; nothing ran, and a
    /// later retry may succeed (a server in front of the rules answers it: the emulator when a
    /// test injects it).
    ThrottlingUser => (400, "Throttling.User", "Request was denied due to user flow control.", None);
    /// `InternalError`: the service failed for a reason of its own; nothing ran, and a retry may
    /// succeed (a server in front of the rules answers it: the emulator when a test injects it).
    InternalError => (500, "InternalError", "The request processing has failed due to some unknown error, exception or failure.", None);
}

impl Error {
    /// Whether a server's gateway answers this error (an unknown access key, a bad signature,
    /// nonce or timestamp; a temporary failure of the server, flow control, an internal error),
    /// before the request reaches the wire layer: neither
    /// [`Account`](crate::Account) nor the wire layer ever answers one of these; a server in
    /// front of them renders them through the same error body.
    ///
    /// ```
    /// use smartag_rules::Error;
    /// assert!(Error::SignatureDoesNotMatch.is_gateway());
    /// assert!(!Error::InvalidVersion.is_gateway());
    /// ```
    pub const fn is_gateway(&self) -> bool {
        matches!(
            self,
            Error::AccessKeyNotFound
                | Error::SignatureDoesNotMatch
                | Error::SignatureNonceUsed
                | Error::TimestampExpired
                | Error::TimestampFormat
                | Error::IncompleteSignature
                | Error::ServiceUnavailable
                | Error::ThrottlingUser
                | Error::InternalError
        )
    }

    /// Looks an error up by its code (`"ClientUser.NameInvalid"`).
    ///
    /// ```
    /// use smartag_rules::Error;
    /// assert_eq!(Error::from_code("SAG.CidrOverlap"), Some(Error::CidrOverlap));
    /// assert_eq!(Error::from_code("sag.cidroverlap"), None);
    /// ```
    pub fn from_code(code: &str) -> Option<Error> {
        Error::ALL.iter().copied().find(|e| e.code() == code)
    }
}
