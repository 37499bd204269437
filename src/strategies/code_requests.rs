//! Requests of the enterprise-code operations `ListEnterpriseCode`, `UpdateEnterpriseCode` and
//! `DeleteEnterpriseCode`, with and without a `ClientToken`.

#[allow(unused_imports)]
use super::*;

/// The `ClientToken` the generated accounts' spare code was created with: a request that
/// repeats it with other parameters is `IdempotentParameterMismatch`.
pub(super) const SETUP_TOKEN: &str = "setup-spare-code";

/// `IsDefault` in some case.
fn is_default_text() -> BoxedStrategy<String> {
    prop_oneof![Just("true"), Just("false"), Just("True"), Just("FALSE")]
        .prop_map(str::to_owned)
        .boxed()
}

/// A fresh `ClientToken`, or none: 1 to 64 printable ASCII characters that no generated account
/// remembers.
fn fresh_token() -> BoxedStrategy<Option<String>> {
    option::of("fresh-[ -~]{0,58}").boxed()
}

/// A `ClientToken` that breaks its rule: 65 characters, or a character outside printable ASCII.
fn bad_token() -> BoxedStrategy<(Option<String>, Error)> {
    prop_oneof![
        "[ -~]{65,80}",
        "[ -~]{0,10}[\u{0}-\u{1f}\u{7f}-\u{10ffff}][ -~]{0,10}",
    ]
    .prop_map(|t| (Some(t), Error::InvalidParameter))
    .boxed()
}

/// Whether the account remembers [`SETUP_TOKEN`] (it has a spare code).
fn remembers_setup_token(account: &Account) -> bool {
    let mut probe = delete_raw(REGIONS_FOR_LISTING.to_owned(), "ZZ999".to_owned());
    probe.client_token = Some(SETUP_TOKEN.to_owned());
    account
        .violations(&Request::DeleteEnterpriseCode(probe))
        .first()
        == Some(&Error::IdempotentParameterMismatch)
}

/// The requests of `base` with [`SETUP_TOKEN`] (set by `set`), labelled
/// `IdempotentParameterMismatch`, when the account remembers the token.
fn mismatch<R: Clone + Debug + 'static>(
    account: &Account,
    base: &BoxedStrategy<R>,
    set: fn(&mut R, Option<String>),
    wrap: fn(R) -> Request,
) -> Option<BoxedStrategy<LabelledRequest>> {
    let token = Just((
        Some(SETUP_TOKEN.to_owned()),
        Error::IdempotentParameterMismatch,
    ))
    .boxed();
    remembers_setup_token(account).then(|| corrupt(base, token, set, wrap))
}

fn list_raw(region: String) -> ListEnterpriseCodeRaw {
    ListEnterpriseCodeRaw::default().region_id(region)
}

fn update_raw(region: String, code: String, is_default: String) -> UpdateEnterpriseCodeRaw {
    UpdateEnterpriseCodeRaw::default()
        .region_id(region)
        .enterprise_code(code)
        .is_default(is_default)
}

fn delete_raw(region: String, code: String) -> DeleteEnterpriseCodeRaw {
    DeleteEnterpriseCodeRaw::default()
        .region_id(region)
        .enterprise_code(code)
}

/// The codes of the account in some case, if it has any.
fn known_codes(f: &Facts) -> Option<BoxedStrategy<String>> {
    choose(f.codes.iter().map(|c| c.to_string()).collect()).map(recase)
}

/// Valid `ListEnterpriseCode` requests: any region, an optional filter (a code of the account,
/// in some case, or another code), `IsDefault` in some case, `MaxResults` from 1 to 100, and
/// now and then the `NextToken` of the account's first page of one code. Always `Some`.
pub fn valid_list_enterprise_code_request(account: &Account) -> Option<BoxedStrategy<Request>> {
    let f = facts(account);
    let filter = match known_codes(&f) {
        Some(known) => option::of(prop_oneof![known, f.new_code()]).boxed(),
        None => option::of(f.new_code()).boxed(),
    };
    let paged = account
        .list_enterprise_codes(
            crate::ops::ListEnterpriseCode::new(REGIONS_FOR_LISTING.parse().ok()?)
                .with_max_results(crate::ops::MaxResults::MIN),
        )
        .ok()
        .and_then(|page| page.next_token)
        .map(|token| token.to_string());
    let unfiltered = (
        texts(valid_region_id()),
        1u32..=100,
        option::of(Just(paged)),
    )
        .prop_map(|(r, n, token)| {
            let mut raw = list_raw(r).max_results(n.to_string());
            raw.next_token = token.flatten();
            Request::ListEnterpriseCode(raw)
        });
    let filtered = (
        texts(valid_region_id()),
        filter,
        option::of(is_default_text()),
        option::of(1u32..=100),
    )
        .prop_map(|(r, code, is_default, n)| {
            let mut raw = list_raw(r);
            raw.enterprise_code = code;
            raw.is_default = is_default;
            raw.max_results = n.map(|n| n.to_string());
            Request::ListEnterpriseCode(raw)
        });
    Some(prop_oneof![unfiltered, filtered].boxed())
}

/// The region a strategy's own listing is sent to (the codes are the account's, in every
/// region).
const REGIONS_FOR_LISTING: &str = "cn-shanghai";

/// Invalid `ListEnterpriseCode` requests, labelled with the first error: the form errors of
/// `RegionId`, and `InvalidParameter` for `IsDefault`, `MaxResults` (0, 101 and more, not a
/// number) and a `NextToken` no listing returned.
pub fn invalid_list_enterprise_code_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    let _ = account;
    let wrap = Request::ListEnterpriseCode as fn(_) -> _;
    let base = texts(valid_region_id()).prop_map(list_raw).boxed();
    let invalid =
        |s: BoxedStrategy<String>| s.prop_map(|t| (Some(t), Error::InvalidParameter)).boxed();
    let bad_is_default = invalid(
        "[a-zA-Z0-9 ]{0,6}"
            .prop_filter("not a boolean", |s| {
                !s.eq_ignore_ascii_case("true") && !s.eq_ignore_ascii_case("false")
            })
            .boxed(),
    );
    let bad_max_results = invalid(
        prop_oneof![
            Just("0".to_owned()),
            (101u64..=u64::from(u32::MAX) + 1).prop_map(|n| n.to_string()),
            "[+ -]?[a-z]{1,4}",
        ]
        .boxed(),
    );
    let bad_next_token = invalid("[0-9a-f]{0,31}|[0-9a-f]{33,40}|[0-9a-f]{32}".boxed());
    Union::new(vec![
        corrupt(&base, bad_region(), |r, v| r.region_id = v, wrap),
        corrupt(&base, bad_is_default, |r, v| r.is_default = v, wrap),
        corrupt(&base, bad_max_results, |r, v| r.max_results = v, wrap),
        // Made-up tokens of 32 digits are all but never one a listing returns; the account's
        // own verdict labels them.
        corrupt(&base, bad_next_token, |r, v| r.next_token = v, wrap),
    ])
    .prop_filter("a made-up token the listing refuses", |(request, _)| {
        let Request::ListEnterpriseCode(raw) = request else {
            return false;
        };
        raw.validate().is_err()
    })
    .boxed()
}

/// Valid `UpdateEnterpriseCode` requests: a code of the account (in some case), `IsDefault` in
/// some case, a fresh `ClientToken` or none. `None` when the account has no code.
pub fn valid_update_enterprise_code_request(account: &Account) -> Option<BoxedStrategy<Request>> {
    let f = facts(account);
    let codes = known_codes(&f)?;
    Some(
        (
            texts(valid_region_id()),
            codes,
            is_default_text(),
            fresh_token(),
        )
            .prop_map(|(r, c, d, token)| {
                let mut raw = update_raw(r, c, d);
                raw.client_token = token;
                Request::UpdateEnterpriseCode(raw)
            })
            .boxed(),
    )
}

/// Invalid `UpdateEnterpriseCode` requests, labelled with the first error: the form errors of
/// `RegionId`, `EnterpriseCode`, `IsDefault` and `ClientToken`, `EnterpriseCode.NotExist`, and
/// `IdempotentParameterMismatch` for the token of the account's spare code.
pub fn invalid_update_enterprise_code_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    let f = facts(account);
    let wrap = Request::UpdateEnterpriseCode as fn(_) -> _;
    let code = known_codes(&f).unwrap_or_else(|| f.new_code());
    let base = (texts(valid_region_id()), code, is_default_text())
        .prop_map(|(r, c, d)| update_raw(r, c, d))
        .boxed();
    let bad_code = or_absent(invalid_enterprise_code(), Error::MissingParameter);
    let bad_is_default = prop_oneof![
        Just((None, Error::MissingParameter)),
        Just((Some(String::new()), Error::MissingParameter)),
        "[a-zA-Z0-9 ]{1,6}"
            .prop_filter("not a boolean", |s| {
                !s.eq_ignore_ascii_case("true") && !s.eq_ignore_ascii_case("false")
            })
            .prop_map(|s| (Some(s), Error::InvalidParameter)),
    ]
    .boxed();
    let not_there = (texts(valid_region_id()), f.new_code(), is_default_text())
        .prop_map(move |(r, c, d)| (wrap(update_raw(r, c, d)), Error::EnterpriseCodeNotExist))
        .boxed();
    let mut arms = vec![
        corrupt(&base, bad_region(), |r, v| r.region_id = v, wrap),
        corrupt(&base, bad_code, |r, v| r.enterprise_code = v, wrap),
        corrupt(&base, bad_is_default, |r, v| r.is_default = v, wrap),
        corrupt(&base, bad_token(), |r, v| r.client_token = v, wrap),
        not_there,
    ];
    arms.extend(mismatch(account, &base, |r, v| r.client_token = v, wrap));
    Union::new(arms).boxed()
}

/// The codes of the account that can be deleted: neither the default nor bound to an instance.
fn deletable(account: &Account) -> Vec<String> {
    account
        .enterprise_codes()
        .filter(|&c| account.default_enterprise_code() != Some(c))
        .filter(|&c| account.instances().all(|i| i.enterprise_code() != Some(c)))
        .map(|c| c.to_string())
        .collect()
}

/// Valid `DeleteEnterpriseCode` requests: a code that is neither the default nor bound (in some
/// case), a fresh `ClientToken` or none. `None` when the account has no such code.
pub fn valid_delete_enterprise_code_request(account: &Account) -> Option<BoxedStrategy<Request>> {
    let codes = choose(deletable(account))?;
    Some(
        (texts(valid_region_id()), recase(codes), fresh_token())
            .prop_map(|(r, c, token)| {
                let mut raw = delete_raw(r, c);
                raw.client_token = token;
                Request::DeleteEnterpriseCode(raw)
            })
            .boxed(),
    )
}

/// Invalid `DeleteEnterpriseCode` requests, labelled with the first error: the form errors of
/// `RegionId`, `EnterpriseCode` and `ClientToken`, `EnterpriseCode.NotExist`,
/// `EnterpriseCode.DeleteLimit` (the default code), `EnterpriseCode.BeingUsed` (a bound code)
/// and `IdempotentParameterMismatch` (the token of the account's spare code).
pub fn invalid_delete_enterprise_code_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    let f = facts(account);
    let wrap = Request::DeleteEnterpriseCode as fn(_) -> _;
    let code = known_codes(&f).unwrap_or_else(|| f.new_code());
    let base = (texts(valid_region_id()), code)
        .prop_map(|(r, c)| delete_raw(r, c))
        .boxed();
    let bad_code = or_absent(invalid_enterprise_code(), Error::MissingParameter);
    let not_there = (texts(valid_region_id()), f.new_code())
        .prop_map(move |(r, c)| (wrap(delete_raw(r, c)), Error::EnterpriseCodeNotExist))
        .boxed();
    let mut arms = vec![
        corrupt(&base, bad_region(), |r, v| r.region_id = v, wrap),
        corrupt(&base, bad_code, |r, v| r.enterprise_code = v, wrap),
        corrupt(&base, bad_token(), |r, v| r.client_token = v, wrap),
        not_there,
    ];
    let kept: Vec<String> = account
        .enterprise_codes()
        .map(|c| c.to_string())
        .filter(|c| !deletable(account).contains(c))
        .collect();
    if let Some(kept) = choose(kept) {
        // The default code, a bound code: the account's own rules label them.
        arms.push(
            f.by_violations(
                (texts(valid_region_id()), recase(kept))
                    .prop_map(move |(r, c)| wrap(delete_raw(r, c)))
                    .boxed(),
            ),
        );
    }
    arms.extend(mismatch(account, &base, |r, v| r.client_token = v, wrap));
    Union::new(arms).boxed()
}
