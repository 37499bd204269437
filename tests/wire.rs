//! The wire format: requests from parameters, JSON and XML bodies that parse back with their
//! exact field names, request IDs, and the scenario runner's fixture errors.

use quick_xml::events::Event;
use quick_xml::Reader;
use regex::Regex;
use serde_json::Value;
use smartag_rules::wire::scenario::{FixtureError, Scenario};
use smartag_rules::wire::{
    error_body, host_id, parse_request, success_body, Format, HttpRequest, HttpResponse, Method,
    Service, Success, API_VERSION, COMMON_PARAMETERS, XML_DECLARATION,
};
use smartag_rules::{CreateEnterpriseCode, Error, InstanceSpec, Request};

const SH: &str = "RegionId=cn-shanghai&SmartAGId=sag-app1";

fn service() -> Service {
    let mut service = Service::with_seed(0);
    service
        .account_mut()
        .add_instance(
            InstanceSpec::app("sag-app1".parse().unwrap(), "cn-shanghai".parse().unwrap())
                .quota(5)
                .pool("10.0.0.0/24".parse().unwrap()),
        )
        .unwrap();
    service
}

fn create(service: &mut Service, name: &str, extra: &str) -> HttpResponse {
    service.handle_query(&format!(
        "Action=CreateSmartAccessGatewayClientUser&{SH}&UserName={name}&Password=duuf1234\
         &UserMail=username%40example.com{extra}"
    ))
}

fn request_id_pattern() -> Regex {
    Regex::new(r"^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$").unwrap()
}

/// The top-level keys of a compact JSON object, in the order they appear in the text.
fn json_keys_in_order(body: &str, keys: &[&str]) -> Vec<usize> {
    keys.iter()
        .map(|k| {
            body.find(&format!("\"{k}\":"))
                .unwrap_or_else(|| panic!("{k} missing in {body}"))
        })
        .collect()
}

fn assert_json_fields(body: &str, expected: &[&str]) -> Value {
    let value: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    let object = value.as_object().expect("a JSON object");
    let mut names: Vec<&str> = object.keys().map(String::as_str).collect();
    names.sort_unstable();
    let mut want = expected.to_vec();
    want.sort_unstable();
    assert_eq!(names, want, "fields of {body}");
    let positions = json_keys_in_order(body, expected);
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "field order of {body}, expected {expected:?}"
    );
    value
}

/// Parses an XML body completely: its root element name, and every (path, text) leaf.
fn parse_xml(body: &str) -> (String, Vec<(String, String)>) {
    assert!(
        body.starts_with(XML_DECLARATION),
        "no XML declaration: {body}"
    );
    let mut reader = Reader::from_str(body);
    let mut stack: Vec<String> = Vec::new();
    let mut root = None;
    let mut leaves = Vec::new();
    let mut text = String::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                root.get_or_insert_with(|| name.clone());
                stack.push(name);
                text.clear();
            }
            Ok(Event::Empty(e)) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                root.get_or_insert_with(|| name.clone());
                leaves.push((format!("{}/{name}", stack.join("/")), String::new()));
            }
            Ok(Event::Text(t)) => text.push_str(&t.unescape().unwrap()),
            Ok(Event::End(e)) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                assert_eq!(stack.last(), Some(&name), "unbalanced XML: {body}");
                if !text.is_empty() {
                    leaves.push((stack.join("/"), std::mem::take(&mut text)));
                }
                stack.pop();
            }
            Ok(Event::Eof) => break,
            Ok(Event::Decl(_)) => assert_eq!(root, None, "a declaration after the root: {body}"),
            Ok(_) => {}
            Err(e) => panic!("ill-formed XML ({e}): {body}"),
        }
    }
    assert!(stack.is_empty(), "unclosed elements in {body}");
    (root.expect("a root element"), leaves)
}

#[test]
fn create_and_modify_answer_the_seed_fields_in_the_seed_order() {
    let mut s = service();
    let created = create(&mut s, "doctest1", "&Bandwidth=20&ClientIp=10.0.0.7");
    assert_eq!(
        (created.status, created.content_type),
        (200, "application/json;charset=utf-8")
    );
    let fields = ["UserName", "RequestId", "UserMail", "Bandwidth", "ClientIp"];
    let v = assert_json_fields(&created.body, &fields);
    assert_eq!(v["UserName"], "doctest1");
    assert_eq!(v["UserMail"], "username@example.com");
    assert_eq!(v["Bandwidth"], 20); // a number, not a string
    assert_eq!(v["ClientIp"], "10.0.0.7");
    assert_eq!(v["RequestId"], created.request_id.as_str());

    let plain = create(&mut s, "doctest2", "");
    let v = assert_json_fields(&plain.body, &fields);
    assert_eq!(
        (v["Bandwidth"].as_u64(), v["ClientIp"].as_str()),
        (Some(2000), Some(""))
    );

    let modified = s.handle_query(&format!(
        "Action=ModifySmartAccessGatewayClientUser&{SH}&UserName=doctest1&Bandwidth=1&Email=new%40example.com"
    ));
    let v = assert_json_fields(&modified.body, &fields);
    assert_eq!(
        (v["Bandwidth"].as_u64(), v["UserMail"].as_str()),
        (Some(1), Some("new@example.com"))
    );
}

#[test]
fn describe_answers_the_reference_schema() {
    let mut s = service();
    create(&mut s, "doctest1", "&ClientIp=10.0.0.9&Bandwidth=30");
    create(&mut s, "doctest2", "");
    s.handle_query(&format!(
        "Action=DisableSmartAccessGatewayUser&{SH}&UserName=doctest2"
    ));
    let r = s.handle_query(&format!(
        "Action=DescribeSmartAccessGatewayClientUsers&{SH}"
    ));
    assert_eq!(r.status, 200);
    let v = assert_json_fields(
        &r.body,
        &["TotalCount", "PageSize", "RequestId", "PageNumber", "Users"],
    );
    assert_eq!(
        (
            v["TotalCount"].as_u64(),
            v["PageSize"].as_u64(),
            v["PageNumber"].as_u64()
        ),
        (Some(2), Some(10), Some(1))
    );
    let users = v["Users"]["User"].as_array().expect("Users.User is a list");
    assert_eq!(users.len(), 2);
    let user_fields = [
        "Bandwidth",
        "State",
        "ClientIp",
        "UserName",
        "UserMail",
        "IsStaticIp",
    ];
    for (user, (name, bw, state, ip, fixed)) in users.iter().zip([
        ("doctest1", 30, 0, "10.0.0.9", 1),
        ("doctest2", 2000, 1, "", 0),
    ]) {
        let object = user.as_object().unwrap();
        let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
        keys.sort_unstable();
        let mut want = user_fields.to_vec();
        want.sort_unstable();
        assert_eq!(keys, want);
        assert_eq!(user["UserName"], name);
        assert_eq!(user["Bandwidth"], bw);
        assert_eq!(user["State"], state);
        assert_eq!(user["ClientIp"], ip);
        assert_eq!(user["IsStaticIp"], fixed);
    }
    let empty = s.handle_query(&format!(
        "Action=DescribeSmartAccessGatewayClientUsers&{SH}&UserName=nobody12"
    ));
    let v: Value = serde_json::from_str(&empty.body).unwrap();
    assert_eq!(v["Users"]["User"], Value::Array(vec![]));
}

#[test]
fn request_id_only_bodies_and_the_software_body() {
    let mut s = service();
    create(&mut s, "doctest1", "");
    for query in [
        format!("Action=DisableSmartAccessGatewayUser&{SH}&UserName=doctest1"),
        format!("Action=EnableSmartAccessGatewayUser&{SH}&UserName=doctest1"),
        format!("Action=ResetSmartAccessGatewayClientUserPassword&{SH}&UserName=doctest1"),
        format!("Action=ModifySmartAccessGateway&{SH}&CidrBlock=10.0.0.0/24"),
        "Action=CreateEnterpriseCode&RegionId=cn-shanghai&EnterpriseCode=AB123".to_owned(),
        format!("Action=UpdateSmartAGEnterpriseCode&{SH}&EnterpriseCode=AB123"),
        format!("Action=DeleteSmartAccessGatewayClientUser&{SH}&UserName=doctest1"),
    ] {
        let r = s.handle_query(&query);
        assert_eq!(r.status, 200, "{query}: {}", r.body);
        assert_json_fields(&r.body, &["RequestId"]);
    }
    let r =
        s.handle_query("Action=CreateSmartAccessGatewaySoftware&RegionId=cn-hangzhou&UserCount=3&Period=1&AutoPay=true&ChargeType=PREPAY&DataPlan=5");
    let v = assert_json_fields(&r.body, &["RequestId", "SmartAGId"]);
    let id = v["SmartAGId"].as_str().unwrap();
    assert!(Regex::new(r"^sag-[a-z0-9]+$").unwrap().is_match(id), "{id}");
    assert!(s
        .account()
        .instance(&"cn-hangzhou".parse().unwrap(), &id.parse().unwrap())
        .is_some());
}

#[test]
fn error_bodies_carry_the_five_fields_and_the_status() {
    let rid = request_id_pattern();
    for &error in Error::ALL {
        let body = error_body(
            error,
            "26C24B63-5E5A-413A-9E49-FC0C0AE9DFB7",
            "smartag.cn-shanghai.aliyuncs.com",
            Format::Json,
        );
        let v = assert_json_fields(
            &body,
            &["RequestId", "HostId", "Code", "Message", "Recommend"],
        );
        assert_eq!(v["Code"], error.code());
        assert_eq!(v["Message"], error.message());
        assert_eq!(v["HostId"], "smartag.cn-shanghai.aliyuncs.com");
        assert!(rid.is_match(v["RequestId"].as_str().unwrap()));
        assert_eq!(
            v["Recommend"],
            format!(
                "https://api.alibabacloud.com/troubleshoot?intl_lang=EN_US&q={}&product=Smartag&requestId=26C24B63-5E5A-413A-9E49-FC0C0AE9DFB7",
                error.code()
            )
        );

        let xml = error_body(
            error,
            "26C24B63-5E5A-413A-9E49-FC0C0AE9DFB7",
            "smartag.aliyuncs.com",
            Format::Xml,
        );
        let (root, leaves) = parse_xml(&xml);
        assert_eq!(root, "Error");
        let names: Vec<&str> = leaves
            .iter()
            .map(|(p, _)| p.trim_start_matches("Error/"))
            .collect();
        assert_eq!(
            names,
            ["RequestId", "HostId", "Code", "Message", "Recommend"]
        );
        assert_eq!(leaves[2].1, error.code());
        assert_eq!(leaves[3].1, error.message());
        assert_eq!(leaves[4].1, v["Recommend"].as_str().unwrap()); // `&` escaped and back
    }
}

#[test]
fn the_service_answers_each_error_with_its_status() {
    let mut s = service();
    create(&mut s, "doctest1", "");
    let cases = [
        (format!("Action=CreateSmartAccessGatewayClientUser&{SH}&UserName=doctest1&Password=duuf1234&UserMail=a%40example.com"), Error::UserExist),
        ("Action=DescribeSmartAccessGatewayClientUsers&SmartAGId=sag-app1".to_owned(), Error::MissingParameter),
        (format!("Action=DescribeSmartAccessGatewayClientUsers&{SH}&PageSize=abc"), Error::InvalidParameter),
        (format!("Action=DescribeSmartAccessGatewayClientUsers&{SH}&PageSize=0"), Error::InvalidParameter),
        (format!("Action=DescribeSmartAccessGatewayClientUsers&{SH}&PageSize=101"), Error::InvalidParameter),
        (format!("Action=DescribeSmartAccessGatewayClientUsers&{SH}&PageNumber=0"), Error::InvalidParameter),
        ("Action=CreateSmartAccessGatewaySoftware&RegionId=cn-shanghai&UserCount=abc".to_owned(), Error::InvalidParameter),
        (format!("Action=NoSuchThing&{SH}"), Error::ActionNotFound),
        (SH.to_owned(), Error::MissingParameter),
    ];
    for (query, error) in cases {
        let r = s.handle_query(&query);
        assert_eq!(r.status, error.http_status(), "{query}");
        let v: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(v["Code"], error.code(), "{query}");
        assert_eq!(v["RequestId"], r.request_id.as_str());
    }
}

#[test]
fn xml_bodies_are_well_formed_under_the_action_response_root() {
    let mut s = service();
    // The characters XML escapes reach the body through a valid address.
    let r = s.handle_query(&format!(
        "Action=CreateSmartAccessGatewayClientUser&Format=XML&{SH}&UserName=doctest2&Password=duuf1234\
         &UserMail=o%27hara%26sons%40example.com&ClientIp=10.0.0.3"
    ));
    assert_eq!((r.status, r.content_type), (200, "text/xml;charset=utf-8"));
    assert!(r.body.contains("o'hara&amp;sons@example.com"), "{}", r.body);
    let (root, leaves) = parse_xml(&r.body);
    assert_eq!(root, "CreateSmartAccessGatewayClientUserResponse");
    let p = |n: &str| format!("{root}/{n}");
    assert_eq!(
        leaves,
        vec![
            (p("UserName"), "doctest2".to_owned()),
            (p("RequestId"), r.request_id.clone()),
            (p("UserMail"), "o'hara&sons@example.com".to_owned()),
            (p("Bandwidth"), "2000".to_owned()),
            (p("ClientIp"), "10.0.0.3".to_owned()),
        ]
    );

    create(&mut s, "doctest3", "");
    let r = s.handle_query(&format!(
        "Action=DescribeSmartAccessGatewayClientUsers&Format=xml&{SH}"
    ));
    let (root, leaves) = parse_xml(&r.body);
    assert_eq!(root, "DescribeSmartAccessGatewayClientUsersResponse");
    let user_names: Vec<&str> = leaves
        .iter()
        .filter(|(path, _)| path.ends_with("/Users/User/UserName"))
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(user_names, ["doctest2", "doctest3"]); // one <User> per user, inside <Users>
    let static_flags: Vec<&str> = leaves
        .iter()
        .filter(|(path, _)| path.ends_with("/Users/User/IsStaticIp"))
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(static_flags, ["1", "0"]);

    for action in Request::ACTIONS {
        let r = s.handle_query(&format!("Action={action}&Format=XML"));
        let (root, _) = parse_xml(&r.body);
        assert_eq!(root, "Error", "{action}: {}", r.body);
    }
    let r = s.handle_query(&format!("Action=RoamClientUser&Format=XML&{SH}"));
    assert_eq!(r.content_type, "text/xml;charset=utf-8");
}

#[test]
fn request_ids_have_the_service_form_and_replay_with_the_seed() {
    let pattern = request_id_pattern();
    let run = |seed: u64| -> Vec<String> {
        let mut s = Service::with_seed(seed);
        (0..200)
            .map(|_| s.handle_query("Action=Nothing").request_id)
            .collect()
    };
    let ids = run(0);
    for id in &ids {
        assert!(pattern.is_match(id), "{id}");
    }
    let distinct: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(distinct.len(), ids.len());
    assert_eq!(run(0), ids);
    assert_ne!(run(1), ids);
    // Request IDs do not consume the account's generator: generated names stay the same.
    let generated = |noise: usize| {
        let mut s = service();
        for _ in 0..noise {
            s.handle_query("Action=Nothing");
        }
        let r = s.handle_query(&format!(
            "Action=CreateSmartAccessGatewayClientUser&{SH}&UserMail=a%40example.com"
        ));
        let v: Value = serde_json::from_str(&r.body).unwrap();
        v["UserName"].as_str().unwrap().to_owned()
    };
    assert_eq!(generated(0), generated(3));
}

#[test]
fn parameters_names_repeats_and_common_parameters() {
    // Every action reads to its own request.
    for action in Request::ACTIONS {
        let parsed = parse_request([("Action", *action), ("RegionId", "cn-shanghai")]).unwrap();
        assert_eq!(parsed.request.action(), *action);
        assert_eq!(parsed.request.region_id(), Some("cn-shanghai"));
        assert_eq!(parsed.format, Format::Json);
    }
    // Action: missing or empty is MissingParameter; unknown or in another case is ActionNotFound.
    assert_eq!(
        parse_request([("RegionId", "cn-shanghai")])
            .unwrap_err()
            .error,
        Error::MissingParameter
    );
    assert_eq!(
        parse_request([("Action", "")]).unwrap_err().error,
        Error::MissingParameter
    );
    assert_eq!(
        parse_request([("action", "RoamClientUser")])
            .unwrap_err()
            .error,
        Error::MissingParameter
    );
    assert_eq!(
        parse_request([("Action", "roamclientuser")])
            .unwrap_err()
            .error,
        Error::ActionNotFound
    );
    let err = parse_request([
        ("Action", "Nope"),
        ("Format", "XML"),
        ("RegionId", "eu-central-1"),
    ])
    .unwrap_err();
    assert_eq!(
        (err.format, err.host_id().as_str()),
        (Format::Xml, "smartag.eu-central-1.aliyuncs.com")
    );

    // The first of repeated values; names case-sensitive; common and unknown parameters ignored.
    let mut params: Vec<(&str, &str)> = vec![
        ("Action", "DeleteSmartAccessGatewayClientUser"),
        ("Action", "Nope"),
        ("RegionId", "cn-shanghai"),
        ("RegionId", "cn-hangzhou"),
        ("SmartAGId", "sag-app1"),
        ("username", "lowercase"),
        ("UserName", "doctest1"),
        ("UserName", "doctest2"),
        ("Colour", "red"),
    ];
    // Every common parameter, any value (but Version, which must be the API's).
    let common: Vec<(&str, &str)> = COMMON_PARAMETERS
        .iter()
        .map(|&n| (n, if n == "Version" { API_VERSION } else { "x" }))
        .collect();
    params.extend(common);
    let parsed = parse_request(params.iter().copied()).unwrap();
    let Request::DeleteClientUser(raw) = &parsed.request else {
        panic!("{:?}", parsed.request)
    };
    assert_eq!(raw.region_id.as_deref(), Some("cn-shanghai"));
    assert_eq!(raw.user_name.as_deref(), Some("doctest1"));
    assert_eq!(parsed.format, Format::Json); // Format=x is not XML

    // Owned pairs (as form_urlencoded yields them) work too.
    let owned = vec![("Action".to_owned(), "RoamClientUser".to_owned())];
    assert_eq!(
        parse_request(owned).unwrap().request.action(),
        "RoamClientUser"
    );

    // The common parameters change nothing in the answer but the request ID.
    let (mut a, mut b) = (service(), service());
    let bare = create(&mut a, "doctest1", "");
    let signed = create(
        &mut b,
        "doctest1",
        "&Format=JSON&Version=2018-03-13&AccessKeyId=id&SignatureMethod=HMAC-SHA1\
         &SignatureVersion=1.0&SignatureNonce=n&Signature=s%3D&Timestamp=2018-03-13T12%3A00%3A00Z",
    );
    assert_eq!(bare, signed);
    assert_eq!(a, b);
}

#[test]
fn host_ids_follow_the_region() {
    assert_eq!(
        host_id(Some(&"cn-shanghai".parse().unwrap())),
        "smartag.cn-shanghai.aliyuncs.com"
    );
    assert_eq!(host_id(None), "smartag.aliyuncs.com");
    let mut s = service();
    for (region, host) in [
        (
            "RegionId=ap-southeast-1",
            "smartag.ap-southeast-1.aliyuncs.com",
        ),
        ("RegionId=", "smartag.aliyuncs.com"),
        ("RegionId=Shanghai", "smartag.aliyuncs.com"),
        ("", "smartag.aliyuncs.com"),
    ] {
        let r = s.handle_query(&format!(
            "Action=DescribeSmartAccessGatewayClientUsers&SmartAGId=sag-nothere&{region}"
        ));
        let v: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(v["HostId"], host, "{region}");
    }
}

#[test]
fn handle_request_answers_like_handle() {
    let (mut a, mut b) = (service(), service());
    let query = format!("Action=CreateSmartAccessGatewayClientUser&{SH}&UserName=doctest1&Password=duuf1234&UserMail=a%40example.com");
    let parsed = parse_request(form_urlencoded::parse(query.as_bytes())).unwrap();
    assert_eq!(
        a.handle_request(&parsed.request, Format::Xml),
        b.handle_query(&format!("{query}&Format=XML"))
    );
    assert_eq!(
        a.handle_request(&parsed.request, Format::Json),
        b.handle_query(&query)
    );
}

#[test]
fn a_failed_request_changes_nothing_but_the_request_id() {
    let mut s = service();
    create(&mut s, "doctest1", "");
    let before = s.account().clone();
    for query in [
        format!("Action=CreateSmartAccessGatewayClientUser&{SH}&UserName=doctest1&Password=duuf1234&UserMail=a%40example.com"),
        format!("Action=RoamClientUser&{SH}"),
        "Action=Unknown".to_owned(),
        String::new(),
        "%%%&&&==".to_owned(),
    ] {
        let r = s.handle_query(&query);
        assert_ne!(r.status, 200, "{query}");
        assert_eq!(s.account(), &before, "{query}");
    }
}

#[test]
fn broken_fixtures_stop_the_scenario_at_their_line() {
    let cases: &[(&str, FixtureError)] = &[
        ("instance", FixtureError::MissingId),
        (
            "instance SAG-1 region=cn-shanghai users=1",
            FixtureError::InvalidId("SAG-1".into()),
        ),
        (
            "instance sag-a region=cn-shanghai users=1 cidr",
            FixtureError::NotKeyValue("cidr".into()),
        ),
        (
            "instance sag-a region=cn-shanghai users=1 colour=red",
            FixtureError::UnknownKey("colour".into()),
        ),
        (
            "instance sag-a region=cn-shanghai users=1 users=2",
            FixtureError::RepeatedKey("users".into()),
        ),
        ("instance sag-a users=1", FixtureError::MissingKey("region")),
        (
            "instance sag-a region=cn-shanghai",
            FixtureError::MissingKey("users"),
        ),
        ("used sag-a", FixtureError::UsedSyntax),
        (
            "used sag-b someone1",
            FixtureError::NoSuchInstance("sag-b".into()),
        ),
    ];
    for (line, expected) in cases {
        let text = format!("# a comment\n\n{line}\nAction=Nothing\n");
        let err = Scenario::run(&text, 0).unwrap_err();
        assert_eq!((err.line, &err.error), (3, expected), "{line}");
    }
    for line in [
        "instance sag-a region=Shanghai users=1",
        "instance sag-a region=cn-shanghai users=-1",
        "instance sag-a region=cn-shanghai users=4294967296",
        "instance sag-a region=cn-shanghai users=1 cidr=10.0.0.0/33",
        "instance sag-a region=cn-shanghai users=1 cidr=8.8.8.0/24",
        "instance sag-a region=cn-shanghai users=1 cidr=10.0.0.0/16,10.0.1.0/24",
        "instance sag-a region=cn-shanghai users=1 cidr=",
        "instance sag-a region=cn-shanghai users=1 code=ABCDE",
        "instance sag-a region=cn-shanghai users=1 max-bandwidth=20001",
        "instance sag-a region=cn-shanghai users=1 kind=router",
    ] {
        let err = Scenario::run(line, 0).unwrap_err();
        assert!(
            matches!(err.error, FixtureError::InvalidValue { .. }),
            "{line}: {err}"
        );
        assert_eq!(err.line, 1);
    }
    let dup =
        "instance sag-a region=cn-shanghai users=1\ninstance sag-a region=cn-hangzhou users=1";
    assert_eq!(
        Scenario::run(dup, 0).unwrap_err().error,
        FixtureError::DuplicateInstance("sag-a".into())
    );
    let no_user = "instance sag-a region=cn-shanghai users=1\nused sag-a someone1";
    assert_eq!(
        Scenario::run(no_user, 0).unwrap_err().to_string(),
        "line 2: no user `someone1` on instance `sag-a`"
    );
    let err = Scenario::run(
        "instance sag-a region=cn-shanghai users=1 cidr=10.0.0.0/33",
        0,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 1: fixture cidr=`10.0.0.0/33`: SAG.InvalidCidr: The specified CIDR block is invalid."
    );
}

#[test]
fn fixtures_build_the_instances_they_describe() {
    let mut scenario = Scenario::new(0);
    let text = "  # indented comment\n\
                instance sag-a region=cn-shanghai users=7 cidr=10.0.0.0/24,10.0.1.0/24 code=ab123 max-bandwidth=2000\n\
                \t\n\
                instance sag-b region=cn-hangzhou users=0 kind=hardware\n\
                instance sag-c region=cn-beijing users=3 kind=app\n";
    for line in text.lines() {
        assert_eq!(scenario.step(line), Ok(None));
    }
    assert_eq!(scenario.lines_fed(), 5);
    let account = scenario.service().account();
    let a = account
        .instance(&"cn-shanghai".parse().unwrap(), &"sag-a".parse().unwrap())
        .unwrap();
    assert_eq!(
        (a.quota(), a.max_bandwidth().get(), a.pool().len()),
        (7, 2000, 2)
    );
    assert_eq!(a.enterprise_code().map(|c| c.as_str()), Some("ab123"));
    assert!(a.accepts_client_users());
    let b = account
        .instance(&"cn-hangzhou".parse().unwrap(), &"sag-b".parse().unwrap())
        .unwrap();
    assert!(!b.accepts_client_users());
    assert_eq!((b.quota(), b.pool().len()), (0, 0));
    assert!(account
        .instance(&"cn-beijing".parse().unwrap(), &"sag-c".parse().unwrap())
        .unwrap()
        .accepts_client_users());
}

mod arbitrary_input {
    use super::*;
    use proptest::prelude::*;

    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            "[a-z0-9]{7,12}",
            "[a-z]{1,8}@example\\.com",
            "10\\.0\\.0\\.[0-9]{1,3}",
            "[0-9]{1,6}",
            any::<String>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Whatever the parameters, the service answers one of its statuses with a body that
        /// parses back in its format, holds no line break, and a failure changes nothing.
        #[test]
        fn every_answer_is_a_well_formed_single_line_body(
            action in prop::sample::select(Request::ACTIONS.to_vec()),
            names in prop::collection::vec(
                prop::sample::select(vec![
                    "RegionId", "SmartAGId", "UserName", "Password", "UserMail", "Email",
                    "Bandwidth", "ClientIp", "PageSize", "PageNumber", "CidrBlock",
                    "EnterpriseCode", "UserCount", "OriginRegionId", "OriginSmartAGId",
                    "TargetSmartAGId",
                ]),
                0..8,
            ),
            values in prop::collection::vec(value(), 8),
            xml in any::<bool>(),
        ) {
            let mut s = service();
            create(&mut s, "doctest1", "&ClientIp=10.0.0.1");
            let before = s.account().clone();
            let mut params: Vec<(String, String)> = vec![
                ("Action".into(), action.to_owned()),
                ("Format".into(), if xml { "XML" } else { "JSON" }.into()),
            ];
            params.extend(names.iter().zip(&values).map(|(n, v)| ((*n).to_owned(), v.clone())));
            let r = s.handle(params);
            prop_assert!([200, 400, 403, 404].contains(&r.status));
            prop_assert!(!r.body.contains('\n') && !r.body.contains('\r'), "{}", r.body);
            if xml {
                let (root, _) = parse_xml(&r.body);
                let expected = if r.status == 200 { format!("{action}Response") } else { "Error".to_owned() };
                prop_assert_eq!(root, expected);
            } else {
                let v: Value = serde_json::from_str(&r.body).unwrap();
                prop_assert_eq!(v["RequestId"].as_str(), Some(r.request_id.as_str()));
            }
            if r.status != 200 {
                prop_assert_eq!(s.account(), &before);
            }
            prop_assert!(s.account().invariant_violations().is_empty());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Whole HTTP requests: ACS3 headers, form bodies, Version, content types
// ---------------------------------------------------------------------------------------------

/// The business parameters of the SDKs' captured CreateSmartAccessGatewayClientUser request.
const CREATE_QUERY: &str = "Bandwidth=20&Password=duuf1234&RegionId=cn-shanghai&SmartAGId=sag-app1\
                            &UserMail=username%40example.com&UserName=doctest1";
const CREATE: &str = "CreateSmartAccessGatewayClientUser";

/// Headers of a request, and its expected answer (status and code).
type Headers = &'static [(&'static str, &'static str)];
type Answer = (u16, String);

fn code_of(r: &HttpResponse) -> (u16, String) {
    let v: Value = serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("{e}: {}", r.body));
    let code = v["Code"].as_str().unwrap_or("").to_owned();
    (r.status, code)
}

/// Answers one request on a fresh service: status and code (`""` for a success).
fn answer(request: &HttpRequest) -> (u16, String) {
    code_of(&service().handle_http(request))
}

fn ok() -> (u16, String) {
    (200, String::new())
}

fn err(error: Error) -> (u16, String) {
    (error.http_status(), error.code().to_owned())
}

#[test]
fn version_is_checked_right_after_action_at_each_edge() {
    let cases: &[(&str, (u16, String))] = &[
        // Absent, exact, other, empty, near misses.
        ("", ok()),
        ("&Version=2018-03-13", ok()),
        ("&Version=", err(Error::InvalidVersion)),
        ("&Version=2018-03-14", err(Error::InvalidVersion)),
        ("&Version=2018-3-13", err(Error::InvalidVersion)),
        ("&Version=%202018-03-13", err(Error::InvalidVersion)),
        ("&Version=2018-03-13%20", err(Error::InvalidVersion)),
        // The first of repeated values counts.
        ("&Version=2018-03-13&Version=bad", ok()),
        (
            "&Version=bad&Version=2018-03-13",
            err(Error::InvalidVersion),
        ),
    ];
    for (extra, expected) in cases {
        let request = HttpRequest::get(format!("Action={CREATE}&{CREATE_QUERY}{extra}"));
        assert_eq!(&answer(&request), expected, "{extra}");
    }
    // Precedence: Action (missing, unknown) before Version; Version before every other
    // parameter (a missing RegionId, a missing SmartAGId, an invalid UserName).
    let precedence: &[(&str, Error)] = &[
        ("Version=1", Error::MissingParameter),
        ("Action=&Version=1", Error::MissingParameter),
        ("Action=Nope&Version=1", Error::ActionNotFound),
        ("Action=RoamClientUser&Version=1", Error::InvalidVersion),
        (
            "Action=CreateSmartAccessGatewayClientUser&Version=&UserName=x",
            Error::InvalidVersion,
        ),
        (
            "Action=DescribeSmartAccessGatewayClientUsers&Version=0&PageSize=abc",
            Error::InvalidVersion,
        ),
        // With a good Version, the operation's own checks come next (RegionId first).
        (
            "Action=CreateSmartAccessGatewayClientUser&Version=2018-03-13&UserName=x",
            Error::MissingParameter,
        ),
    ];
    for (query, expected) in precedence {
        assert_eq!(answer(&HttpRequest::get(*query)), err(*expected), "{query}");
        let wire_error = parse_request(form_pairs(query)).err().map(|e| e.error);
        let reaches_account = query.contains("Version=2018-03-13");
        assert_eq!(
            wire_error,
            (!reaches_account).then_some(*expected),
            "{query}"
        );
    }
}

fn form_pairs(query: &str) -> Vec<(String, String)> {
    HttpRequest::get(query).parameters()
}

#[test]
fn acs3_requests_carry_action_and_version_as_headers() {
    let rpc = HttpRequest::post(format!("{CREATE_QUERY}&Action={CREATE}&Version=2018-03-13"));
    let acs3 = HttpRequest::post(CREATE_QUERY)
        .with_header("x-acs-version", "2018-03-13")
        .with_header("x-acs-action", CREATE);
    // The same answer, byte for byte, on two services of the same seed.
    assert_eq!(service().handle_http(&rpc), service().handle_http(&acs3));
    assert_eq!(answer(&acs3), ok());

    let with = |headers: &[(&str, &str)]| {
        headers
            .iter()
            .fold(HttpRequest::post(CREATE_QUERY), |r, (n, v)| {
                r.with_header(*n, *v)
            })
    };
    let cases: &[(Headers, Answer)] = &[
        // Without the headers there is no Action.
        (&[], err(Error::MissingParameter)),
        (
            &[("x-acs-version", "2018-03-13")],
            err(Error::MissingParameter),
        ),
        (&[("x-acs-action", CREATE)], ok()),
        (&[("x-acs-action", "")], err(Error::MissingParameter)),
        (&[("x-acs-action", "Nope")], err(Error::ActionNotFound)),
        // Header names in any case.
        (
            &[("X-ACS-ACTION", CREATE), ("X-Acs-Version", "2018-03-13")],
            ok(),
        ),
        (
            &[("X-Acs-Action", CREATE), ("X-ACS-VERSION", "2018-03-14")],
            err(Error::InvalidVersion),
        ),
        (
            &[("x-acs-action", CREATE), ("x-acs-version", "")],
            err(Error::InvalidVersion),
        ),
        // A repeated header takes its first value.
        (&[("x-acs-action", CREATE), ("X-Acs-Action", "Nope")], ok()),
        (
            &[("x-acs-action", "Nope"), ("x-acs-action", CREATE)],
            err(Error::ActionNotFound),
        ),
        // Other names are not the ACS3 headers.
        (&[("acs-action", CREATE)], err(Error::MissingParameter)),
        (&[("Action", CREATE)], err(Error::MissingParameter)),
    ];
    for (headers, expected) in cases {
        assert_eq!(&answer(&with(headers)), expected, "{headers:?}");
    }

    // A parameter, when present (even empty), wins over its header.
    let param_wins: &[(&str, Headers, Answer)] = &[
        (
            "&Action=Nope",
            &[("x-acs-action", CREATE)],
            err(Error::ActionNotFound),
        ),
        (
            "&Action=",
            &[("x-acs-action", CREATE)],
            err(Error::MissingParameter),
        ),
        (
            "&Action=CreateSmartAccessGatewayClientUser",
            &[("x-acs-action", "Nope")],
            ok(),
        ),
        (
            "&Version=2018-03-13",
            &[("x-acs-action", CREATE), ("x-acs-version", "bad")],
            ok(),
        ),
        (
            "&Version=",
            &[("x-acs-action", CREATE), ("x-acs-version", "2018-03-13")],
            err(Error::InvalidVersion),
        ),
    ];
    for (extra, headers, expected) in param_wins {
        let request = headers.iter().fold(
            HttpRequest::post(format!("{CREATE_QUERY}{extra}")),
            |r, (n, v)| r.with_header(*n, *v),
        );
        assert_eq!(&answer(&request), expected, "{extra} {headers:?}");
    }
}

#[test]
fn post_form_bodies_merge_with_the_query() {
    let body = format!("Action={CREATE}&{CREATE_QUERY}");
    let form = "application/x-www-form-urlencoded";
    let cases: &[(Method, Option<&str>, (u16, String))] = &[
        (Method::Post, Some(form), ok()),
        (
            Method::Post,
            Some("Application/X-WWW-Form-Urlencoded"),
            ok(),
        ),
        (
            Method::Post,
            Some("application/x-www-form-urlencoded; charset=UTF-8"),
            ok(),
        ),
        (
            Method::Post,
            Some(" application/x-www-form-urlencoded ;charset=utf-8"),
            ok(),
        ),
        // Not a form body: ignored.
        (Method::Post, None, err(Error::MissingParameter)),
        (
            Method::Post,
            Some("application/json"),
            err(Error::MissingParameter),
        ),
        (
            Method::Post,
            Some("text/plain"),
            err(Error::MissingParameter),
        ),
        (
            Method::Post,
            Some("application/x-www-form-urlencodedx"),
            err(Error::MissingParameter),
        ),
        // A GET body is never read.
        (Method::Get, Some(form), err(Error::MissingParameter)),
    ];
    for (method, content_type, expected) in cases {
        let mut request = HttpRequest::new(*method, "").with_body(body.clone());
        if let Some(ct) = content_type {
            request = request.with_header("Content-Type", *ct);
        }
        assert_eq!(&answer(&request), expected, "{method} {content_type:?}");
    }

    // Query parameters come first: on a repeated name the query wins over the body.
    let split = HttpRequest::post("Action=RoamClientUser&UserName=fromquery")
        .with_header("content-type", form)
        .with_body("Action=Nope&UserName=frombody&RegionId=cn-shanghai");
    let pairs = split.parameters();
    let names: Vec<&str> = pairs.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["Action", "UserName", "Action", "UserName", "RegionId"]
    );
    let parsed = split.parse().unwrap();
    let Request::RoamClientUser(raw) = &parsed.request else {
        panic!("{:?}", parsed.request)
    };
    assert_eq!(raw.user_name.as_deref(), Some("fromquery"));
    assert_eq!(raw.region_id.as_deref(), Some("cn-shanghai"));
    // The body decodes as the query does: `+` is a space, percent escapes, bad UTF-8 to U+FFFD.
    let decoded = HttpRequest::post("")
        .with_header("Content-Type", form)
        .with_body(b"a=x+y%40z&b=%FF".to_vec())
        .parameters();
    assert_eq!(
        decoded,
        [("a", "x y@z"), ("b", "\u{FFFD}")].map(|(n, v)| (n.to_owned(), v.to_owned()))
    );
    // The ACS3 headers fill in what neither the query nor the body gives.
    let acs3 = HttpRequest::post("RegionId=cn-shanghai")
        .with_header("Content-Type", form)
        .with_header("x-acs-action", "Nope")
        .with_body(format!(
            "Action={CREATE}&SmartAGId=sag-app1&UserMail=a%40example.com"
        ));
    assert_eq!(acs3.action().as_deref(), Some(CREATE));
    assert_eq!(answer(&acs3), ok());
}

#[test]
fn content_types_and_xml_declaration() {
    let cases: &[(&str, u16, &str)] = &[
        ("", 200, "application/json;charset=utf-8"),
        ("&Format=JSON", 200, "application/json;charset=utf-8"),
        ("&Format=json", 200, "application/json;charset=utf-8"),
        ("&Format=XML", 200, "text/xml;charset=utf-8"),
        ("&Format=xml", 200, "text/xml;charset=utf-8"),
        ("&Format=XML&Version=x", 400, "text/xml;charset=utf-8"),
        ("&Format=Xml&Action=Nope", 200, "text/xml;charset=utf-8"),
        ("&Version=x", 400, "application/json;charset=utf-8"),
    ];
    for (extra, status, content_type) in cases {
        let r = service().handle_query(&format!("Action={CREATE}&{CREATE_QUERY}{extra}"));
        assert_eq!(
            (r.status, r.content_type),
            (*status, *content_type),
            "{extra}"
        );
        let xml = content_type.starts_with("text/xml");
        assert_eq!(r.body.starts_with(XML_DECLARATION), xml, "{}", r.body);
        assert_eq!(r.body.matches("<?xml").count(), usize::from(xml));
    }
    assert_eq!(XML_DECLARATION, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    assert_eq!(
        Format::Json.content_type(),
        "application/json;charset=utf-8"
    );
    assert_eq!(Format::Xml.content_type(), "text/xml;charset=utf-8");
    for error in [Error::MissingParameter, Error::SignatureDoesNotMatch] {
        let body = error_body(error, "id", "smartag.aliyuncs.com", Format::Xml);
        assert!(
            body.starts_with(
                r#"<?xml version="1.0" encoding="UTF-8"?><Error><RequestId>id</RequestId>"#
            ),
            "{body}"
        );
        assert!(!error_body(error, "id", "h", Format::Json).contains("<?xml"));
    }
}

#[test]
fn every_action_renders_its_success_body_in_both_formats() {
    let mut s = service();
    s.account_mut()
        .add_instance(
            InstanceSpec::app("sag-far1".parse().unwrap(), "cn-beijing".parse().unwrap())
                .quota(5)
                .pool("10.9.0.0/24".parse().unwrap()),
        )
        .unwrap();
    s.account_mut()
        .create_enterprise_code(CreateEnterpriseCode::new(
            "cn-shanghai".parse().unwrap(),
            "ZZ999".parse().unwrap(),
        ))
        .unwrap();
    let queries = [
        format!("Action=CreateSmartAccessGatewayClientUser&{CREATE_QUERY}"),
        format!("Action=ModifySmartAccessGatewayClientUser&{SH}&UserName=doctest1&Bandwidth=30"),
        "Action=RoamClientUser&RegionId=cn-beijing&TargetSmartAGId=sag-far1\
         &OriginRegionId=cn-shanghai&OriginSmartAGId=sag-app1&UserName=doctest1"
            .to_owned(),
        format!("Action=DescribeSmartAccessGatewayClientUsers&{SH}"),
        format!("Action=ResetSmartAccessGatewayClientUserPassword&{SH}&UserName=doctest1"),
        format!("Action=DisableSmartAccessGatewayUser&{SH}&UserName=doctest1"),
        format!("Action=EnableSmartAccessGatewayUser&{SH}&UserName=doctest1"),
        format!("Action=DeleteSmartAccessGatewayClientUser&{SH}&UserName=doctest1"),
        "Action=CreateSmartAccessGatewaySoftware&RegionId=cn-hangzhou&UserCount=3&Period=1\
         &AutoPay=true&ChargeType=PREPAY&DataPlan=5"
            .to_owned(),
        format!("Action=ModifySmartAccessGateway&{SH}&CidrBlock=10.0.0.0/24"),
        "Action=CreateEnterpriseCode&RegionId=cn-shanghai&EnterpriseCode=AB123".to_owned(),
        format!("Action=UpdateSmartAGEnterpriseCode&{SH}&EnterpriseCode=AB123"),
        "Action=ListEnterpriseCode&RegionId=cn-shanghai&MaxResults=1".to_owned(),
        "Action=UpdateEnterpriseCode&RegionId=cn-shanghai&EnterpriseCode=AB123&IsDefault=true"
            .to_owned(),
        "Action=DeleteEnterpriseCode&RegionId=cn-shanghai&EnterpriseCode=ZZ999&ClientToken=t1"
            .to_owned(),
        format!("Action=CreateSmartAccessGatewayClientUser&{SH}&UserName=online01&Password=duuf1234&UserMail=a%40example.com"),
        format!("Action=DescribeUserOnlineClients&{SH}&UserName=online01"),
        format!("Action=KickOutClients&{SH}&Username=online01"),
    ];
    let mut seen = Vec::new();
    for query in &queries {
        if query.contains("DescribeUserOnlineClients") {
            // Two sessions to list.
            for _ in 0..2 {
                s.account_mut()
                    .connect(&"sag-app1".parse().unwrap(), &"online01".parse().unwrap())
                    .unwrap();
            }
        }
        let parsed = parse_request(form_pairs(query)).unwrap();
        // Each success renders the same in both formats: its fields, under its action's root.
        let before = s.account().clone();
        let success = Success::execute(s.account_mut(), &parsed.request)
            .unwrap_or_else(|e| panic!("{query}: {e}"));
        assert_eq!(success.action(), parsed.request.action());
        let json = success_body(&success, "rid", Format::Json);
        let xml = success_body(&success, "rid", Format::Xml);
        let v: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["RequestId"], "rid", "{json}");
        let (root, leaves) = parse_xml(&xml);
        assert_eq!(root, format!("{}Response", success.action()));
        assert!(leaves.contains(&(format!("{root}/RequestId"), "rid".to_owned())));
        // The service answers the same body (the request ID aside) for the same request.
        let mut replay = Service::with_account(before, 0);
        let r = replay.handle_query(&format!("{query}&Format=XML"));
        assert_eq!(r.status, 200, "{query}: {}", r.body);
        assert_eq!(r.body, xml.replace("rid", &r.request_id));
        seen.push(success.action());
    }
    // Create takes two rows (one for the user online01 connects as).
    seen.sort_unstable();
    seen.dedup();
    let mut all = Request::ACTIONS.to_vec();
    all.sort_unstable();
    assert_eq!(seen, all, "every action once");
}

#[test]
fn changes_state_is_false_for_the_reads_only() {
    for action in Request::ACTIONS {
        let parsed = parse_request([("Action", *action)]).unwrap();
        assert_eq!(
            parsed.changes_state(),
            ![
                "DescribeSmartAccessGatewayClientUsers",
                "ListEnterpriseCode",
                "DescribeUserOnlineClients",
            ]
            .contains(action),
            "{action}"
        );
    }
}

#[test]
fn gateway_errors_render_through_the_error_body() {
    let gateway: &[(Error, u16, &str, &str)] = &[
        (
            Error::AccessKeyNotFound,
            404,
            "InvalidAccessKeyId.NotFound",
            "Specified access key is not found.",
        ),
        (
            Error::SignatureDoesNotMatch,
            400,
            "SignatureDoesNotMatch",
            "Specified signature is not matched with our calculation.",
        ),
        (
            Error::SignatureNonceUsed,
            400,
            "SignatureNonceUsed",
            "Specified signature nonce was used already.",
        ),
        (
            Error::TimestampExpired,
            400,
            "InvalidTimeStamp.Expired",
            "Specified time stamp or date value is expired.",
        ),
        (
            Error::TimestampFormat,
            400,
            "InvalidTimeStamp.Format",
            "Specified time stamp or date value is not well formatted.",
        ),
        (
            Error::IncompleteSignature,
            400,
            "IncompleteSignature",
            "The request signature does not conform to Aliyun standards.",
        ),
        (
            Error::ServiceUnavailable,
            503,
            "ServiceUnavailable",
            "The request has failed due to a temporary failure of the server.",
        ),
        (
            Error::ThrottlingUser,
            400,
            "Throttling.User",
            "Request was denied due to user flow control.",
        ),
        (
            Error::InternalError,
            500,
            "InternalError",
            "The request processing has failed due to some unknown error, exception or failure.",
        ),
    ];
    for &(error, status, code, message) in gateway {
        assert!(error.is_gateway());
        assert_eq!(
            (error.http_status(), error.code(), error.message()),
            (status, code, message)
        );
        let mut s = service();
        let request = HttpRequest::post(CREATE_QUERY).with_header("x-acs-action", CREATE);
        let r = s.reject(&request, error);
        assert_eq!(
            (r.status, r.content_type),
            (status, "application/json;charset=utf-8")
        );
        let v = assert_json_fields(
            &r.body,
            &["RequestId", "HostId", "Code", "Message", "Recommend"],
        );
        assert_eq!(
            (v["Code"].as_str(), v["Message"].as_str()),
            (Some(code), Some(message))
        );
        assert_eq!(v["HostId"], "smartag.cn-shanghai.aliyuncs.com");
        assert_eq!(v["RequestId"], r.request_id.as_str());
        // Nothing ran.
        assert_eq!(s.account(), service().account());
    }
    let gateway_codes: Vec<Error> = Error::ALL
        .iter()
        .copied()
        .filter(Error::is_gateway)
        .collect();
    assert_eq!(
        gateway_codes,
        gateway.iter().map(|g| g.0).collect::<Vec<_>>()
    );
    assert_eq!(
        (
            Error::InvalidVersion.http_status(),
            Error::InvalidVersion.code(),
            Error::InvalidVersion.message()
        ),
        (
            400,
            "InvalidVersion",
            "Specified parameter Version is not valid."
        )
    );
    // A rejection shares the request-ID stream and follows Format.
    let mut s = service();
    let r = s.reject(&HttpRequest::get("Format=XML"), Error::IncompleteSignature);
    assert_eq!(r.content_type, "text/xml;charset=utf-8");
    assert_eq!(parse_xml(&r.body).0, "Error");
    let next = s.handle_query("Action=Nope");
    assert_ne!(r.request_id, next.request_id);
    assert_eq!(
        Service::with_seed(0).handle_query("").request_id,
        r.request_id
    );
}

#[test]
fn http_requests_keep_secrets_out_of_debug_and_parse_methods() {
    let request = HttpRequest::post("Password=duuf1234&UserName=doctest1")
        .with_header("Content-Type", "application/x-www-form-urlencoded")
        .with_header(
            "Authorization",
            "ACS3-HMAC-SHA256 Credential=testid,Signature=abc",
        )
        .with_body("Password=secret99");
    let debug = format!("{request:?}");
    for secret in ["duuf1234", "secret99", "Credential", "doctest1"] {
        assert!(!debug.contains(secret), "{debug}");
    }
    assert!(
        debug.contains("Password") && debug.contains("Authorization"),
        "{debug}"
    );
    assert_eq!(
        request.header("AUTHORIZATION"),
        request.header("authorization")
    );
    assert_eq!(request.method(), Method::Post);
    assert_eq!(request.query(), "Password=duuf1234&UserName=doctest1");
    assert_eq!(request.body(), b"Password=secret99");
    assert_eq!(request.headers().count(), 2);
    assert_eq!("GET".parse::<Method>(), Ok(Method::Get));
    assert_eq!("POST".parse::<Method>(), Ok(Method::Post));
    for other in ["get", "Post", "PUT", "", "POST "] {
        assert!(other.parse::<Method>().is_err(), "{other}");
    }
    assert_eq!(Method::Post.to_string(), "POST");
}

#[test]
fn the_captured_sdk_requests_answer_alike() {
    // As the three SDK flavours send the same create (query strings captured from them).
    let core = "SmartAGId=sag-app1&UserName=doctest1&Password=duuf1234&UserMail=username%40example.com\
                &Bandwidth=20&Version=2018-03-13&Action=CreateSmartAccessGatewayClientUser&Format=JSON\
                &RegionId=cn-shanghai&Timestamp=2026-01-02T03%3A04%3A05Z&SignatureMethod=HMAC-SHA1\
                &SignatureType=&SignatureVersion=1.0&SignatureNonce=0123456789abcdef0123456789abcdef\
                &AccessKeyId=testid&Signature=TrJsriAz3GE85jOIwG72sjIJmqw%3D";
    let acs3 = HttpRequest::post(CREATE_QUERY)
        .with_header("Accept-Encoding", "identity")
        .with_header("x-acs-version", "2018-03-13")
        .with_header("x-acs-action", CREATE)
        .with_header("x-acs-date", "2026-01-02T03:04:05Z")
        .with_header("x-acs-signature-nonce", "0123456789abcdef0123456789abcdef")
        .with_header("Content-Length", "0");
    let a = service().handle_http(&HttpRequest::post(core));
    let b = service().handle_http(&acs3);
    assert_eq!(a, b);
    assert_eq!(a.status, 200, "{}", a.body);
}

/// The body writers against the serialisers they replace: any text in an error body's
/// `RequestId` and `HostId` comes out as `serde_json` and `quick-xml` write it.
mod body_oracle {
    use super::*;
    use proptest::prelude::*;
    use serde::Serialize;

    #[derive(Serialize)]
    struct ErrorBody<'a> {
        #[serde(rename = "RequestId")]
        request_id: &'a str,
        #[serde(rename = "HostId")]
        host_id: &'a str,
        #[serde(rename = "Code")]
        code: &'a str,
        #[serde(rename = "Message")]
        message: &'a str,
        #[serde(rename = "Recommend")]
        recommend: &'a str,
    }

    fn oracle(error: Error, request_id: &str, host_id: &str, format: Format) -> String {
        let recommend = smartag_rules::wire::recommend_url(error.code(), request_id);
        let body = ErrorBody {
            request_id,
            host_id,
            code: error.code(),
            message: error.message(),
            recommend: &recommend,
        };
        match format {
            Format::Json => serde_json::to_string(&body).unwrap(),
            Format::Xml => format!(
                "{XML_DECLARATION}{}",
                quick_xml::se::to_string_with_root("Error", &body).unwrap()
            ),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn error_bodies_write_any_text_as_the_serialisers_do(
            error in prop::sample::select(Error::ALL.to_vec()),
            request_id in any::<String>(),
            host_id in "[ -~\u{0}-\u{1f}\u{7f}é中]{0,12}",
        ) {
            prop_assert_eq!(
                error_body(error, &request_id, &host_id, Format::Json),
                oracle(error, &request_id, &host_id, Format::Json)
            );
            // XML text holds no control characters but tab, line feed and carriage return.
            let xml_safe = |s: &str| s.chars().all(|c| c >= ' ' || "\t\n\r".contains(c));
            if xml_safe(&request_id) && xml_safe(&host_id) {
                prop_assert_eq!(
                    error_body(error, &request_id, &host_id, Format::Xml),
                    oracle(error, &request_id, &host_id, Format::Xml)
                );
            }
        }
    }

    #[test]
    fn empty_texts_are_empty_elements_and_escapes_match() {
        for (request_id, host_id) in [
            ("", ""),
            ("a&b<c>d'e\"f", "x\\y"),
            (" lead and trail ", "\t\n"),
            ("\u{0}\u{1f}\u{7f}\u{8}\u{c}", "é中🦀"),
        ] {
            for format in [Format::Json, Format::Xml] {
                if format == Format::Xml && request_id.contains('\u{0}') {
                    continue;
                }
                assert_eq!(
                    error_body(Error::NameEmpty, request_id, host_id, format),
                    oracle(Error::NameEmpty, request_id, host_id, format),
                    "{request_id:?} {host_id:?} {format:?}"
                );
            }
        }
    }
}
