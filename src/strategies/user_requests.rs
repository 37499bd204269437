//! Requests naming one user (delete, enable, disable, reset password) and describe.

#[allow(unused_imports)]
use super::*;

// ---------------------------------------------------------------------------------------------
// Delete, enable, disable, reset password
// ---------------------------------------------------------------------------------------------

pub(super) fn user_ref((region, id): Place, name: String) -> ClientUserRefRaw {
    ClientUserRefRaw::default()
        .region_id(region)
        .smart_ag_id(id)
        .user_name(name)
}

pub(super) fn reset_raw(place: Place, name: String, password: Option<String>) -> ResetPasswordRaw {
    let (region, id) = place;
    let mut raw = ResetPasswordRaw::default()
        .region_id(region)
        .smart_ag_id(id)
        .user_name(name);
    raw.password = password;
    raw
}

pub(super) fn valid_user_ref(
    account: &Account,
    keep: fn(&ClientUser) -> bool,
    wrap: fn(ClientUserRefRaw) -> Request,
) -> Option<BoxedStrategy<Request>> {
    facts(account).pick_user(move |_, u| keep(u)).map(|s| {
        s.prop_map(move |(i, u)| wrap(user_ref(i.place(), u.name().to_string())))
            .boxed()
    })
}

pub(super) fn invalid_user_ref(
    account: &Account,
    wrap: fn(ClientUserRefRaw) -> Request,
    delete: bool,
) -> BoxedStrategy<LabelledRequest> {
    let f = facts(account);
    let base = named(&f).prop_map(|(place, n)| user_ref(place, n)).boxed();
    let mut arms = instance_arms(&f, &base, wrap);
    arms.extend([corrupt(&base, bad_name(), |r, v| r.user_name = v, wrap)]);
    if let Some(s) = f.pick(|_| true) {
        arms.push(
            s.prop_flat_map(move |i| {
                let place = i.place();
                new_name(&i)
                    .prop_map(move |n| (wrap(user_ref(place.clone(), n)), Error::UserNotFound))
            })
            .boxed(),
        );
    }
    if delete {
        if let Some(s) = f.pick_user(|_, u| u.used_this_month()) {
            arms.push(
                s.prop_map(move |(i, u)| {
                    (
                        wrap(user_ref(i.place(), u.name().to_string())),
                        Error::UserInUsing,
                    )
                })
                .boxed(),
            );
        }
    }
    Union::new(arms).boxed()
}

/// Valid `DeleteSmartAccessGatewayClientUser` requests: a user not marked as used this month.
/// `None` when there is none.
pub fn valid_delete_request(account: &Account) -> Option<BoxedStrategy<Request>> {
    valid_user_ref(account, |u| !u.used_this_month(), Request::DeleteClientUser)
}

/// Invalid `DeleteSmartAccessGatewayClientUser` requests, labelled with the first error: the
/// form errors, `SAG.InstanceNoFound`, `ResourceNotFound.User`, and `ClientUser.UserInUsing`
/// where a user is marked as used this month.
pub fn invalid_delete_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    invalid_user_ref(account, Request::DeleteClientUser, true)
}

/// Valid `EnableSmartAccessGatewayUser` requests: any user. `None` when there is none.
pub fn valid_enable_request(account: &Account) -> Option<BoxedStrategy<Request>> {
    valid_user_ref(account, |_| true, Request::EnableUser)
}

/// Invalid `EnableSmartAccessGatewayUser` requests, labelled with the first error: the form
/// errors, `SAG.InstanceNoFound`, `ResourceNotFound.User`.
pub fn invalid_enable_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    invalid_user_ref(account, Request::EnableUser, false)
}

/// Valid `DisableSmartAccessGatewayUser` requests: any user. `None` when there is none.
pub fn valid_disable_request(account: &Account) -> Option<BoxedStrategy<Request>> {
    valid_user_ref(account, |_| true, Request::DisableUser)
}

/// Invalid `DisableSmartAccessGatewayUser` requests, labelled with the first error: the form
/// errors, `SAG.InstanceNoFound`, `ResourceNotFound.User`.
pub fn invalid_disable_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    invalid_user_ref(account, Request::DisableUser, false)
}

/// Valid `ResetSmartAccessGatewayClientUserPassword` requests: any user, a new password or none
/// (generated). `None` when there is no user.
pub fn valid_reset_password_request(account: &Account) -> Option<BoxedStrategy<Request>> {
    facts(account).pick_user(|_, _| true).map(|s| {
        (s, option::of(password_text()))
            .prop_map(|((i, u), password)| {
                Request::ResetClientUserPassword(reset_raw(
                    i.place(),
                    u.name().to_string(),
                    password,
                ))
            })
            .boxed()
    })
}

/// Invalid `ResetSmartAccessGatewayClientUserPassword` requests, labelled with the first error:
/// the form errors (`ClientUser.PasswordInvalid` for a bad password), `SAG.InstanceNoFound`,
/// `ResourceNotFound.User`.
pub fn invalid_reset_password_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    let (f, wrap) = (
        facts(account),
        Request::ResetClientUserPassword as fn(_) -> _,
    );
    let base = (named(&f), option::of(password_text()))
        .prop_map(move |((place, n), p)| reset_raw(place, n, p))
        .boxed();
    let mut arms = instance_arms(&f, &base, wrap);
    arms.extend([
        corrupt(&base, bad_name(), |r, v| r.user_name = v, wrap),
        corrupt(&base, some(invalid_password()), |r, v| r.password = v, wrap),
    ]);
    if let Some(s) = f.pick(|_| true) {
        arms.push(
            s.prop_flat_map(move |i| {
                let place = i.place();
                (new_name(&i), option::of(password_text())).prop_map(move |(n, p)| {
                    (wrap(reset_raw(place.clone(), n, p)), Error::UserNotFound)
                })
            })
            .boxed(),
        );
    }
    Union::new(arms).boxed()
}

// ---------------------------------------------------------------------------------------------
// DescribeSmartAccessGatewayClientUsers
// ---------------------------------------------------------------------------------------------

pub(super) fn describe_filters(inst: &InstFact) -> BoxedStrategy<(Option<String>, Option<String>)> {
    let names: Vec<String> = inst.users().map(|u| u.name().to_string()).collect();
    let mails = prop_oneof![Just(String::new()), mail_text()].boxed();
    let name_filter = match choose(names) {
        Some(known) => prop_oneof![known, texts(valid_user_name()), Just(String::new())].boxed(),
        None => prop_oneof![texts(valid_user_name()), Just(String::new())].boxed(),
    };
    (
        option::weighted(0.3, name_filter),
        option::weighted(0.2, mails),
    )
        .boxed()
}

pub(super) fn describe_raw(
    (region, id): Place,
    (user_name, user_mail): (Option<String>, Option<String>),
    page_number: Option<String>,
    page_size: Option<String>,
) -> DescribeClientUsersRaw {
    let mut raw = DescribeClientUsersRaw::default()
        .region_id(region)
        .smart_ag_id(id);
    raw.user_name = user_name;
    raw.user_mail = user_mail;
    raw.page_number = page_number;
    raw.page_size = page_size;
    raw
}

pub(super) fn page_numbers() -> BoxedStrategy<Option<String>> {
    option::of(prop_oneof![1u32..=5, Just(u32::MAX)].prop_map(|n| n.to_string())).boxed()
}

pub(super) fn page_sizes() -> BoxedStrategy<Option<String>> {
    option::of((1u32..=100).prop_map(|n| n.to_string())).boxed()
}

/// Valid `DescribeSmartAccessGatewayClientUsers` requests: any instance, optional filters, a
/// page number from 1 and a page size from 1 to 100 (or the defaults). `None` when the account
/// has no instance.
pub fn valid_describe_request(account: &Account) -> Option<BoxedStrategy<Request>> {
    facts(account).pick(|_| true).map(|s| {
        s.prop_flat_map(|i| {
            let place = i.place();
            (describe_filters(&i), page_numbers(), page_sizes()).prop_map(move |(f, n, s)| {
                Request::DescribeClientUsers(describe_raw(place.clone(), f, n, s))
            })
        })
        .boxed()
    })
}

/// Invalid `DescribeSmartAccessGatewayClientUsers` requests, labelled with the first error: the
/// form errors of `RegionId` and `SmartAGId`, `InvalidParameter` for a bad `PageNumber` or
/// `PageSize`, `SAG.InstanceNoFound`.
pub fn invalid_describe_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    let f = facts(account);
    let wrap = Request::DescribeClientUsers as fn(_) -> _;
    let base = (f.any_place(), page_numbers(), page_sizes())
        .prop_map(|(place, n, s)| describe_raw(place, (None, None), n, s))
        .boxed();
    let e = Error::InvalidParameter;
    let bad_page_number = prop_oneof![
        labelled(
            &[
                "0",
                "",
                "-1",
                "+1",
                " 1",
                "1 ",
                "1.0",
                "abc",
                "4294967296",
                "99999999999999999999",
                "１"
            ],
            e
        ),
        label(published("^0{1,4}$"), e),
    ]
    .boxed();
    let bad_page_size = prop_oneof![
        labelled(&["0", "", "-10", "abc", "10.5", " 10", "4294967296"], e),
        label((101u64..=u64::MAX).prop_map(|n| n.to_string()).boxed(), e),
    ]
    .boxed();
    let mut arms = instance_arms(&f, &base, wrap);
    arms.extend([
        corrupt(&base, some(bad_page_number), |r, v| r.page_number = v, wrap),
        corrupt(&base, some(bad_page_size), |r, v| r.page_size = v, wrap),
    ]);
    Union::new(arms).boxed()
}
