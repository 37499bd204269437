//! `ListEnterpriseCode`, `UpdateEnterpriseCode`, `DeleteEnterpriseCode` and `ClientToken`
//! idempotency: the case table (`cases/enterprise_codes.cases`), the pages a listing walks, and
//! the bound of the remembered tokens.

mod common;

use common::*;
use smartag_rules::{
    Account, DeleteEnterpriseCodeRaw, EnterpriseCodePage, Error, ListEnterpriseCodeRaw, Request,
    Response, UpdateEnterpriseCodeRaw,
};

case_table!(
    "enterprise_codes.cases",
    include_str!("cases/enterprise_codes.cases"),
    rows: 117
);

fn list() -> ListEnterpriseCodeRaw {
    ListEnterpriseCodeRaw::default().region_id(SH)
}

fn update(code: &str, is_default: &str) -> UpdateEnterpriseCodeRaw {
    UpdateEnterpriseCodeRaw::default()
        .region_id(SH)
        .enterprise_code(code)
        .is_default(is_default)
}

fn delete(code: &str) -> DeleteEnterpriseCodeRaw {
    DeleteEnterpriseCodeRaw::default()
        .region_id(SH)
        .enterprise_code(code)
}

fn listed(account: &mut Account, raw: ListEnterpriseCodeRaw) -> EnterpriseCodePage {
    match ok(account, &Request::ListEnterpriseCode(raw)) {
        Response::EnterpriseCodes(page) => page,
        other => panic!("expected a page of codes, got {other:?}"),
    }
}

fn texts(page: &EnterpriseCodePage) -> Vec<(String, bool)> {
    page.enterprise_codes
        .iter()
        .map(|c| (c.enterprise_code.to_string(), c.is_default))
        .collect()
}

/// An account with `n` codes `AA000`, `AA001`, ... created in that order.
fn with_codes(n: usize) -> Account {
    let mut account = Account::with_seed(7);
    for i in 0..n {
        done(ok(
            &mut account,
            &Request::CreateEnterpriseCode(new_code(SH, &format!("AA{i:03}"))),
        ));
    }
    account
}

#[test]
fn pages_walk_every_code_once_in_creation_order() {
    let mut account = with_codes(7);
    for size in 1..=8u32 {
        let mut seen = Vec::new();
        let mut page = listed(&mut account, list().max_results(size.to_string()));
        loop {
            assert_eq!(page.total_count, 7);
            assert_eq!(page.max_results.get(), size);
            assert!(page.enterprise_codes.len() <= size as usize);
            seen.extend(texts(&page).into_iter().map(|(c, _)| c));
            let Some(token) = page.next_token else { break };
            page = listed(
                &mut account,
                list()
                    .max_results(size.to_string())
                    .next_token(token.to_string()),
            );
        }
        let all: Vec<String> = (0..7).map(|i| format!("AA{i:03}")).collect();
        assert_eq!(seen, all, "pages of {size}");
    }
}

#[test]
fn a_page_that_ends_the_listing_has_no_next_token() {
    let mut account = with_codes(2);
    let page = listed(&mut account, list().max_results("2"));
    assert_eq!((page.next_token, page.enterprise_codes.len()), (None, 2));
    let page = listed(&mut account, list().max_results("1"));
    assert!(page.next_token.is_some());
    let empty = listed(&mut Account::new(), list());
    assert_eq!((empty.total_count, empty.next_token), (0, None));
}

#[test]
fn codes_deleted_after_a_page_are_skipped() {
    let mut account = with_codes(4);
    let first = listed(&mut account, list().max_results("2"));
    let token = first.next_token.expect("a second page").to_string();
    done(ok(
        &mut account,
        &Request::DeleteEnterpriseCode(delete("AA002")),
    ));
    let second = listed(&mut account, list().max_results("2").next_token(token));
    assert_eq!(texts(&second), [("AA003".to_owned(), false)]);
    assert_eq!((second.total_count, second.next_token), (3, None));
}

#[test]
fn filters_by_code_without_case_and_by_default() {
    let mut account = with_codes(3);
    done(ok(
        &mut account,
        &Request::UpdateEnterpriseCode(update("aa001", "true")),
    ));
    let page = listed(&mut account, list().enterprise_code("aA002"));
    assert_eq!(
        (page.total_count, texts(&page)),
        (1, vec![("AA002".to_owned(), false)])
    );
    let page = listed(&mut account, list().is_default("TRUE"));
    assert_eq!(texts(&page), [("AA001".to_owned(), true)]);
    let page = listed(&mut account, list().is_default("false"));
    assert_eq!(page.total_count, 3);
    assert_eq!(
        account.default_enterprise_code().map(|c| c.as_str()),
        Some("AA001")
    );
    // A new default replaces the old one.
    done(ok(
        &mut account,
        &Request::UpdateEnterpriseCode(update("AA002", "true")),
    ));
    let page = listed(&mut account, list());
    let defaults: Vec<bool> = texts(&page).into_iter().map(|(_, d)| d).collect();
    assert_eq!(defaults, [false, false, true]);
    done(ok(
        &mut account,
        &Request::UpdateEnterpriseCode(update("AA002", "false")),
    ));
    assert_eq!(account.default_enterprise_code(), None);
    assert_eq!(
        listed(&mut account, list().is_default("true")).total_count,
        0
    );
}

#[test]
fn a_token_of_another_listing_or_account_state_is_refused() {
    let mut account = with_codes(3);
    let token = listed(&mut account, list().max_results("1"))
        .next_token
        .expect("a next page")
        .to_string();
    for other in [
        list().next_token(token.clone()).is_default("true"),
        list().next_token(token.clone()).enterprise_code("AA001"),
    ] {
        fails_with(
            &mut account,
            &Request::ListEnterpriseCode(other),
            &[Error::InvalidParameter],
        );
    }
    // Each character of the token matters.
    for at in 0..token.len() {
        let mut bytes = token.clone().into_bytes();
        bytes[at] = if bytes[at] == b'0' { b'1' } else { b'0' };
        let flipped = String::from_utf8(bytes).unwrap();
        fails(
            &mut account,
            &Request::ListEnterpriseCode(list().next_token(flipped)),
            Error::InvalidParameter,
        );
    }
}

#[test]
fn the_account_remembers_its_last_ten_thousand_tokens() {
    let mut account = Account::with_seed(7);
    done(ok(
        &mut account,
        &Request::CreateEnterpriseCode(new_code(SH, "AB123")),
    ));
    let with = |n: usize| {
        Request::UpdateEnterpriseCode(
            update("AB123", if n % 2 == 0 { "true" } else { "false" })
                .client_token(format!("token-{n}")),
        )
    };
    const CAPACITY: usize = 10_000;
    for n in 0..CAPACITY {
        account.execute(&with(n)).expect("a fresh token");
    }
    assert_eq!(account.remembered_client_tokens(), CAPACITY);
    // The oldest is still remembered: another request with it is a mismatch.
    let other = |n: usize| {
        Request::UpdateEnterpriseCode(
            update("AB123", if n % 2 == 0 { "false" } else { "true" })
                .client_token(format!("token-{n}")),
        )
    };
    fails(&mut account, &other(0), Error::IdempotentParameterMismatch);
    // One more success forgets the oldest token, and only it.
    account.execute(&with(CAPACITY)).expect("a fresh token");
    assert_eq!(account.remembered_client_tokens(), CAPACITY);
    ok(&mut account, &other(0));
    fails(&mut account, &other(2), Error::IdempotentParameterMismatch);
    ok(&mut account, &with(2));
}

#[test]
fn a_replayed_delete_changes_nothing_even_after_the_code_is_back() {
    let mut account = with_codes(1);
    let retried = Request::DeleteEnterpriseCode(delete("AA000").client_token("once"));
    done(ok(&mut account, &retried));
    done(ok(
        &mut account,
        &Request::CreateEnterpriseCode(new_code(SH, "AA000")),
    ));
    let before = account.clone();
    done(ok(&mut account, &retried));
    assert_eq!(account, before);
    assert_eq!(account.enterprise_codes().count(), 1);
}

/// The bodies of `ListEnterpriseCode`, element for element as the API model's samples: in both
/// formats `TotalCount`, `NextToken`, `RequestId`, `MaxResults` (numbers as numbers), then the
/// codes, each `IsDefault` (a boolean) and `EnterpriseCode` (as created, case kept); in JSON a
/// list `EnterpriseCodes`, in XML one `<EnterpriseCodes>` element per code. Where the samples
/// differ (the XML one leaves `NextToken` out and adds `SmartAGCount`, which neither the schema
/// nor the JSON sample has), the body follows the JSON sample and the schema (RULES.md).
#[test]
#[cfg(feature = "wire")]
fn the_list_bodies_have_the_samples_elements() {
    use smartag_rules::wire::Success;
    let mut account = Account::with_seed(7);
    for code in ["ab123", "CD456", "EF789"] {
        done(ok(
            &mut account,
            &Request::CreateEnterpriseCode(new_code(SH, code)),
        ));
    }
    done(ok(
        &mut account,
        &Request::UpdateEnterpriseCode(update("cd456", "true")),
    ));
    let id = "1A57EF84-D587-4CF9-B0C8-307488BF52C9";
    let first = Request::ListEnterpriseCode(list().max_results("2"));
    let token = match listed(&mut account, list().max_results("2")).next_token {
        Some(token) => token.to_string(),
        None => panic!("a first page of two of three codes has a NextToken"),
    };
    assert!(
        token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit()),
        "{token}"
    );
    let success = Success::execute(&mut account, &first).unwrap();
    assert_bodies(
        &success,
        id,
        &format!(
            concat!(
                r#"{{"TotalCount":3,"NextToken":"{token}","#,
                r#""RequestId":"1A57EF84-D587-4CF9-B0C8-307488BF52C9","MaxResults":2,"#,
                r#""EnterpriseCodes":[{{"IsDefault":false,"EnterpriseCode":"ab123"}},"#,
                r#"{{"IsDefault":true,"EnterpriseCode":"CD456"}}]}}"#
            ),
            token = token
        ),
        &format!(
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8"?><ListEnterpriseCodeResponse>"#,
                "<TotalCount>3</TotalCount><NextToken>{token}</NextToken>",
                "<RequestId>1A57EF84-D587-4CF9-B0C8-307488BF52C9</RequestId>",
                "<MaxResults>2</MaxResults>",
                "<EnterpriseCodes><IsDefault>false</IsDefault><EnterpriseCode>ab123</EnterpriseCode></EnterpriseCodes>",
                "<EnterpriseCodes><IsDefault>true</IsDefault><EnterpriseCode>CD456</EnterpriseCode></EnterpriseCodes>",
                "</ListEnterpriseCodeResponse>"
            ),
            token = token
        ),
    );
    // The last page: `NextToken` empty, still written.
    let last = Request::ListEnterpriseCode(list().max_results("2").next_token(token));
    let success = Success::execute(&mut account, &last).unwrap();
    assert_bodies(
        &success,
        id,
        concat!(
            r#"{"TotalCount":3,"NextToken":"","#,
            r#""RequestId":"1A57EF84-D587-4CF9-B0C8-307488BF52C9","MaxResults":2,"#,
            r#""EnterpriseCodes":[{"IsDefault":false,"EnterpriseCode":"EF789"}]}"#
        ),
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?><ListEnterpriseCodeResponse>"#,
            "<TotalCount>3</TotalCount><NextToken/>",
            "<RequestId>1A57EF84-D587-4CF9-B0C8-307488BF52C9</RequestId>",
            "<MaxResults>2</MaxResults>",
            "<EnterpriseCodes><IsDefault>false</IsDefault><EnterpriseCode>EF789</EnterpriseCode></EnterpriseCodes>",
            "</ListEnterpriseCodeResponse>"
        ),
    );
    // No code listed: no `<EnterpriseCodes>` element, an empty list in JSON.
    let success = Success::execute(&mut Account::new(), &first).unwrap();
    assert_bodies(
        &success,
        id,
        r#"{"TotalCount":0,"NextToken":"","RequestId":"1A57EF84-D587-4CF9-B0C8-307488BF52C9","MaxResults":2,"EnterpriseCodes":[]}"#,
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?><ListEnterpriseCodeResponse>"#,
            "<TotalCount>0</TotalCount><NextToken/>",
            "<RequestId>1A57EF84-D587-4CF9-B0C8-307488BF52C9</RequestId>",
            "<MaxResults>2</MaxResults></ListEnterpriseCodeResponse>"
        ),
    );
}
