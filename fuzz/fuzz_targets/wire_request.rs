//! Arbitrary parameter lists into the wire layer, several requests against one service: through
//! `wire::Service::handle`, and the same list as a whole HTTP request (`Action`/`Version` as the
//! ACS3 headers, part of it in a `POST` form body) through `wire::Service::handle_http`, which
//! must answer byte for byte alike. `Version` is checked right after `Action`. Every answer has a
//! documented status and, for an error, a documented code (one of `Error::ALL`, with its own
//! status and message) that is the first violation the account reports; every body is valid
//! JSON, or well-formed XML when the first `Format` parameter is `XML` (any case), with the
//! request ID of the answer.
#![no_main]

use std::collections::BTreeMap;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use quick_xml::events::Event;
use quick_xml::Reader;
use smartag_rules::wire::{parse_request, Format, HttpRequest, HttpResponse, Method, Service};
use smartag_rules::{Account, Error, InstanceSpec, Request};

#[path = "common/params.rs"]
mod params;

use params::{Text, NAMES};

/// The `i`-th value worth trying for a parameter of that name (wrapping around).
fn value_of(name: &str, i: usize) -> String {
    let extra = known_values(name);
    let actions: &[&str] = if name == "Action" {
        Request::ACTIONS
    } else {
        &[]
    };
    let n = actions.len() + extra.len();
    let i = i % n.max(1);
    actions
        .get(i)
        .or_else(|| i.checked_sub(actions.len()).and_then(|j| extra.get(j)))
        .map_or_else(String::new, |v| v.to_string())
}

/// Values worth trying for a parameter of that name.
fn known_values(name: &str) -> &'static [&'static str] {
    match name {
        // Every action of the API, then two that are not (checked in `value_of`).
        "Action" => &["", "DeleteEverything"],
        "RegionId" | "OriginRegionId" => {
            &["cn-shanghai", "cn-hangzhou", "ap-southeast-1", "", "CN"]
        }
        "SmartAGId" | "OriginSmartAGId" | "TargetSmartAGId" => {
            &["sag-a1", "sag-b2", "sag-hw3", "", "sag-zz"]
        }
        "UserName" => &["alice001", "bob00002", "o'neil&co", "abc", ""],
        "Password" => &["duuf1234", "x", ""],
        "UserMail" | "Email" => &[
            "user@example.com",
            "o'neil&co@example.com",
            "a{b}|c~@example.com",
            "bad",
            "",
        ],
        "Bandwidth" => &["20", "2000", "20000", "20001", "abc"],
        "ClientIp" => &["10.0.0.1", "10.0.0.2", "10.0.0.0", "1.2.3.4", ""],
        "Format" => &["XML", "xml", "JSON", "json", ""],
        "PageNumber" | "PageSize" => &["1", "2", "100", "0", "abc"],
        "CidrBlock" => &[
            "10.0.0.0/24",
            "192.168.0.0/24",
            "10.0.0.0/24,10.0.0.0/25",
            "",
        ],
        "EnterpriseCode" => &["AB123", "ab123", "XY789", "12345"],
        "UserCount" => &["1", "5", "0", ""],
        "Version" => &["2018-03-13", "2018-03-14", ""],
        _ => &["1", ""],
    }
}

#[derive(Arbitrary, Debug)]
struct Input {
    seed: u8,
    requests: Vec<(Shape, Vec<(Text, Text)>)>,
}

/// How a parameter list travels as a whole HTTP request.
#[derive(Arbitrary, Debug)]
struct Shape {
    /// `POST` with the parameters from `split` on in a form body; else `GET`, all in the query.
    post: bool,
    split: u8,
    /// `Action` and `Version` as the ACS3 headers (when each is given once).
    acs3: bool,
    /// The headers' names in capitals.
    upper: bool,
}

/// Percent-encodes every byte but ASCII letters and digits.
fn encode(pairs: &[(String, String)]) -> String {
    let enc = |text: &str| -> String {
        text.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    pairs
        .iter()
        .map(|(n, v)| format!("{}={}", enc(n), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The parameter list as a whole HTTP request that must answer exactly as the list does.
fn http_request(shape: &Shape, params: &[(String, String)]) -> HttpRequest {
    let mut rest: Vec<(String, String)> = params.to_vec();
    let mut headers = Vec::new();
    if shape.acs3 {
        for (param, header) in [("Action", "x-acs-action"), ("Version", "x-acs-version")] {
            if rest.iter().filter(|(n, _)| n == param).count() == 1 {
                let at = rest
                    .iter()
                    .position(|(n, _)| n == param)
                    .unwrap_or_default();
                let (_, value) = rest.remove(at);
                let name = if shape.upper {
                    header.to_ascii_uppercase()
                } else {
                    header.to_owned()
                };
                headers.push((name, value));
            }
        }
    }
    let split = if shape.post {
        usize::from(shape.split).min(rest.len())
    } else {
        rest.len()
    };
    let (query, body) = rest.split_at(split);
    let method = if shape.post {
        Method::Post
    } else {
        Method::Get
    };
    let mut request = HttpRequest::new(method, encode(query));
    if shape.post {
        let content_type = if shape.upper {
            "Application/X-WWW-Form-Urlencoded; charset=UTF-8"
        } else {
            "application/x-www-form-urlencoded"
        };
        request = request
            .with_header("Content-Type", content_type)
            .with_body(encode(body));
    }
    headers
        .into_iter()
        .fold(request, |r, (n, v)| r.with_header(n, v))
}

fn params(list: &[(Text, Text)]) -> Vec<(String, String)> {
    list.iter()
        .take(16)
        .map(|(n, v)| {
            let name = n.get(&NAMES);
            let value = v.or_known(|i| value_of(&name, i));
            (name, value)
        })
        .collect()
}

fn service(seed: u8) -> Service {
    let mut account = Account::with_seed(u64::from(seed));
    let specs = [
        InstanceSpec::app("sag-a1".parse().unwrap(), "cn-shanghai".parse().unwrap())
            .quota(3)
            .pool("10.0.0.0/24".parse().unwrap())
            .enterprise_code("AB123".parse().unwrap()),
        InstanceSpec::app("sag-b2".parse().unwrap(), "cn-hangzhou".parse().unwrap())
            .quota(3)
            .pool("192.168.0.0/24".parse().unwrap())
            .enterprise_code("AB123".parse().unwrap()),
        InstanceSpec::hardware(
            "sag-hw3".parse().unwrap(),
            "ap-southeast-1".parse().unwrap(),
        ),
    ];
    for spec in specs {
        account.add_instance(spec).unwrap();
    }
    Service::with_account(account, u64::from(seed))
}

/// A request ID of the service's form: 32 uppercase hex digits grouped 8-4-4-4-12.
fn is_request_id(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|g| {
            g.bytes()
                .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
        })
}

/// Checks the XML is well formed (one root, matching tags, valid escapes) and returns the root's
/// name and the text of its direct children.
fn xml(body: &str) -> (String, BTreeMap<String, String>) {
    assert!(
        body.starts_with(smartag_rules::wire::XML_DECLARATION),
        "no XML declaration: {body:?}"
    );
    let mut reader = Reader::from_str(body);
    let (mut depth, mut roots) = (0usize, 0usize);
    let mut root = String::new();
    let mut child: Option<String> = None;
    let mut fields = BTreeMap::new();
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("malformed XML {body:?}: {e}"));
        let opens = matches!(event, Event::Start(_));
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                if depth == 0 {
                    roots += 1;
                    root = name;
                } else if depth == 1 {
                    fields.insert(name.clone(), String::new());
                    // Only an element that opens (not `<a/>`) has text to come.
                    child = opens.then_some(name);
                }
                if opens {
                    depth += 1;
                }
            }
            Event::End(_) => {
                assert!(depth > 0, "unbalanced XML {body:?}");
                depth -= 1;
                if depth == 1 {
                    child = None;
                }
            }
            Event::Text(t) => {
                let text = t
                    .unescape()
                    .unwrap_or_else(|e| panic!("bad escape in {body:?}: {e}"));
                if depth == 0 {
                    assert!(text.trim().is_empty(), "text outside the root: {body:?}");
                } else if depth == 2 {
                    if let Some(c) = &child {
                        fields.insert(c.clone(), text.into_owned());
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "unclosed XML {body:?}");
    assert_eq!(roots, 1, "one root element: {body:?}");
    (root, fields)
}

fn check(response: &HttpResponse, format: Format, action: Option<&str>, expected: Option<Error>) {
    assert!(is_request_id(&response.request_id), "{response:?}");
    assert_eq!(response.content_type, format.content_type());
    let error = (response.status != 200).then(|| {
        assert!(
            Error::ALL
                .iter()
                .any(|e| e.http_status() == response.status),
            "undocumented status {response:?}"
        );
    });
    let (root, fields): (Option<String>, BTreeMap<String, String>) = match format {
        Format::Json => {
            let value: serde_json::Value = serde_json::from_str(&response.body)
                .unwrap_or_else(|e| panic!("invalid JSON {:?}: {e}", response.body));
            let object = value.as_object().expect("a JSON object");
            let fields = object
                .iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect();
            (None, fields)
        }
        Format::Xml => {
            let (root, fields) = xml(&response.body);
            (Some(root), fields)
        }
    };
    assert_eq!(
        fields.get("RequestId"),
        Some(&response.request_id),
        "{response:?}"
    );
    match error {
        None => {
            assert_eq!(expected, None, "200 despite {expected:?}: {response:?}");
            if let (Some(root), Some(action)) = (root, action) {
                assert_eq!(root, format!("{action}Response"));
            }
        }
        Some(()) => {
            let code = fields.get("Code").expect("an error body has a Code");
            let e = Error::from_code(code).unwrap_or_else(|| panic!("undocumented code {code}"));
            assert_eq!(e.http_status(), response.status);
            assert_eq!(fields.get("Message").map(String::as_str), Some(e.message()));
            let host = fields.get("HostId").expect("an error body has a HostId");
            assert!(
                host.starts_with("smartag.") && host.ends_with(".aliyuncs.com"),
                "{host}"
            );
            let recommend = fields.get("Recommend").expect("a Recommend URL");
            assert!(recommend.contains(code) && recommend.contains(&response.request_id));
            if let Some(root) = root {
                assert_eq!(root, "Error");
            }
            if let Some(expected) = expected {
                assert_eq!(e, expected, "{response:?}");
            }
        }
    }
}

fuzz_target!(|input: Input| {
    let mut service = service(input.seed);
    for (shape, list) in input.requests.iter().take(12) {
        let params = params(list);
        let first = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let format = match first("Format") {
            Some(f) if f.eq_ignore_ascii_case("xml") => Format::Xml,
            _ => Format::Json,
        };
        // What the answer must be: the wire layer's own error, or the account's first violation.
        let (action, expected) = match parse_request(params.iter().cloned()) {
            Ok(parsed) => {
                assert!(matches!(first("Version"), None | Some("2018-03-13")));
                let request: &Request = &parsed.request;
                (
                    Some(request.action()),
                    service.account().violations(request).first().copied(),
                )
            }
            Err(e) => {
                // Action (missing, then unknown), then Version, before anything else.
                let wire = match first("Action") {
                    None | Some("") => Error::MissingParameter,
                    Some(a) if !Request::ACTIONS.contains(&a) => Error::ActionNotFound,
                    Some(_) => {
                        assert_ne!(first("Version"), Some("2018-03-13"));
                        assert!(first("Version").is_some());
                        Error::InvalidVersion
                    }
                };
                assert_eq!(e.error, wire);
                (None, Some(wire))
            }
        };
        // The same request as a whole HTTP request (Action/Version as headers, a form body)
        // answers byte for byte the same, on a twin of the service.
        let mut twin = service.clone();
        let response = service.handle(params.iter().cloned());
        let request = http_request(shape, &params);
        assert_eq!(twin.handle_http(&request), response, "{shape:?} {params:?}");
        check(&response, format, action, expected);
        let broken = service.account().invariant_violations();
        assert!(broken.is_empty(), "{broken:?}");
    }
});
