//! Open311 GeoReport v2 under `/open311/v2/` over HTTP: every endpoint in XML and JSON, checked
//! against the specification's element names and shapes with a real XML parser; the errors; a
//! posted report going through screening like any other; and the request list's filters.

use crate::helpers::{spawn_app, Open311Answer, TestApp};
use app::cases::ChangeRequest;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use domain::case::{ActorRole, CaseStatus, Channel};
use domain::deadline::province_offset;
use domain::new_case::NewCaseInput;
use domain::workflow::{Actor, RejectReason};
use hientruong::open311::JURISDICTION;
use serde_json::Value;
use services::intake::intake;
use services::store::Store;
use std::collections::BTreeSet;

const FORMATS: [&str; 2] = ["xml", "json"];

/// The report every test files: Vietnamese text with every diacritic class.
const DESCRIPTION: &str = "Đường Nguyễn Hữu Cảnh ngập sâu, xe máy chết máy";
const ADDRESS: &str = "Số 45 đường Nguyễn Hữu Cảnh, phường Đồng Phú, Đồng Hới";
const LAT: &str = "17.4689";
const LONG: &str = "106.6222";
const FIRST_NAME: &str = "Phạm Thị";
const LAST_NAME: &str = "Thu Hà";
const PHONE: &str = "0912 777 888";
const EMAIL: &str = "thuha.open311@example.vn";

/// The reporter in every spelling that must never reach a GET answer.
const PERSONAL: [&str; 9] = [
    FIRST_NAME,
    LAST_NAME,
    "Phạm Thị Thu Hà",
    PHONE,
    "0912777888",
    "912777888",
    "+84912777888",
    EMAIL,
    "thuha.open311",
];

/// The name of the agency `urenco` in the catalogue.
const URENCO: &str = "Công ty CP Môi trường và Phát triển đô thị Quảng Bình";

const SERVICE_FIELDS: [&str; 7] =
    ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"];

const REQUEST_FIELDS: [&str; 17] = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
];

// ---------------------------------------------------------------------------------------------
// Both formats as one tree: element (or key) name, text, children.

/// An element with its text (leaves) or its child elements. JSON maps onto it by the
/// specification's rule: an object's keys are its children, an array's entries are children
/// named in the singular (`services` holds `service`s, `notes` holds `note`s).
#[derive(Debug, Clone, PartialEq)]
struct Tree {
    name: String,
    text: String,
    children: Vec<Tree>,
}

impl Tree {
    fn names(&self) -> Vec<&str> {
        self.children.iter().map(|c| c.name.as_str()).collect()
    }

    /// The child names; each must occur once.
    fn fields(&self) -> BTreeSet<&str> {
        let names = self.names();
        let set: BTreeSet<&str> = names.iter().copied().collect();
        assert_eq!(set.len(), names.len(), "<{}> repeats a field: {names:?}", self.name);
        set
    }

    /// The one child called `name`.
    fn get(&self, name: &str) -> &Tree {
        let found: Vec<&Tree> = self.children.iter().filter(|c| c.name == name).collect();
        assert_eq!(found.len(), 1, "exactly one <{name}> in <{}>: {:?}", self.name, self.names());
        found[0]
    }

    /// The text of the leaf child called `name`; empty for an empty element or JSON null.
    fn text(&self, name: &str) -> &str {
        let child = self.get(name);
        assert!(child.children.is_empty(), "<{name}> in <{}> is a leaf: {child:?}", self.name);
        &child.text
    }

    /// The children, which must all be called `item`.
    fn list(&self, item: &str) -> &[Tree] {
        assert!(
            self.children.iter().all(|c| c.name == item),
            "<{}> holds only <{item}>: {:?}",
            self.name,
            self.names()
        );
        &self.children
    }

    /// The same tree with each element's children in name order (stable), to compare formats.
    fn normalized(&self) -> Tree {
        let mut children: Vec<Tree> = self.children.iter().map(Tree::normalized).collect();
        children.sort_by(|a, b| a.name.cmp(&b.name));
        Tree { name: self.name.clone(), text: self.text.clone(), children }
    }
}

fn singular(name: &str) -> &str {
    name.strip_suffix('s').unwrap_or(name)
}

fn json_tree(name: &str, item: &str, value: &Value) -> Tree {
    let leaf = |text: String| Tree { name: name.to_string(), text, children: Vec::new() };
    match value {
        Value::Null => leaf(String::new()),
        Value::Bool(b) => leaf(b.to_string()),
        Value::Number(n) => leaf(n.to_string()),
        Value::String(s) => leaf(s.clone()),
        Value::Array(items) => Tree {
            name: name.to_string(),
            text: String::new(),
            children: items.iter().map(|entry| json_tree(item, singular(item), entry)).collect(),
        },
        Value::Object(fields) => Tree {
            name: name.to_string(),
            text: String::new(),
            children: fields.iter().map(|(key, field)| json_tree(key, singular(key), field)).collect(),
        },
    }
}

fn xml_tree(node: roxmltree::Node) -> Tree {
    let children: Vec<Tree> = node.children().filter(|n| n.is_element()).map(xml_tree).collect();
    let text: String = node.children().filter(|n| n.is_text()).filter_map(|n| n.text()).collect();
    let name = node.tag_name().name().to_string();
    assert!(children.is_empty() || text.trim().is_empty(), "<{name}> mixes text and elements");
    assert_eq!(node.tag_name().namespace(), None, "<{name}> is in no namespace");
    Tree { name, text: if children.is_empty() { text } else { String::new() }, children }
}

/// Parses an XML answer: a declaration naming UTF-8 first, then a well-formed document.
fn parse_xml(text: &str) -> Tree {
    let declaration = text
        .strip_prefix("<?xml")
        .and_then(|rest| rest.split_once("?>"))
        .map(|(declaration, _)| declaration.to_ascii_lowercase())
        .unwrap_or_else(|| panic!("the XML declaration comes first: {text}"));
    assert!(declaration.contains("version=\"1.0\""), "XML 1.0: <?xml{declaration}?>");
    assert!(
        declaration.contains("encoding=\"utf-8\"") || declaration.contains("encoding='utf-8'"),
        "the declaration names UTF-8: <?xml{declaration}?>"
    );
    let document = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("well-formed XML: {e}: {text}"));
    xml_tree(document.root_element())
}

/// An answer as a tree: a list `root` of `item`s, or (without `item`) a single object `root`.
/// Checks the content type, and for JSON that a list is an array of objects.
fn tree(answer: &Open311Answer, format: &str, root: &str, item: Option<&str>) -> Tree {
    let content_type = answer.content_type.to_ascii_lowercase();
    let tree = match format {
        "xml" => {
            assert!(content_type.starts_with("text/xml"), "XML is served as text/xml: {content_type}");
            parse_xml(&answer.text)
        }
        "json" => {
            assert!(content_type.starts_with("application/json"), "JSON is application/json: {content_type}");
            let value: Value = serde_json::from_str(&answer.text)
                .unwrap_or_else(|e| panic!("JSON ({}): {e}: {}", answer.status, answer.text));
            match item {
                Some(_) => {
                    let entries = value.as_array().unwrap_or_else(|| panic!("a JSON array: {value}"));
                    assert!(entries.iter().all(Value::is_object), "an array of objects: {value}");
                }
                None => assert!(value.is_object(), "a JSON object: {value}"),
            }
            json_tree(root, item.unwrap_or_default(), &value)
        }
        other => panic!("no format {other}"),
    };
    assert!(content_type.contains("charset=utf-8"), "the content type names UTF-8: {content_type}");
    assert_eq!(tree.name, root, "the root element");
    if let Some(item) = item {
        tree.list(item);
    }
    tree
}

/// One GET in both formats: the tree (they must agree), the JSON, and both texts.
struct Both {
    tree: Tree,
    json: Value,
    xml_text: String,
    json_text: String,
}

async fn both(app: &TestApp, path: &str, query: &[(&str, &str)], root: &str, item: Option<&str>) -> Both {
    let xml = app.open311_get(path, "xml", query).await;
    assert_eq!(xml.status, 200, "GET {path}.xml {query:?}: {}", xml.text);
    let json = app.open311_get(path, "json", query).await;
    assert_eq!(json.status, 200, "GET {path}.json {query:?}: {}", json.text);
    let xml_tree = tree(&xml, "xml", root, item);
    let json_tree = tree(&json, "json", root, item);
    assert_eq!(xml_tree.normalized(), json_tree.normalized(), "GET {path} {query:?}: XML and JSON say the same");
    Both {
        tree: json_tree,
        json: serde_json::from_str(&json.text).expect("json"),
        xml_text: xml.text,
        json_text: json.text,
    }
}

/// Checks an error answer: `status`, the error list, each error's code the status, and some
/// description naming each of `naming`.
fn assert_errors(answer: &Open311Answer, format: &str, status: u16, naming: &[&str], context: &str) {
    assert_eq!(answer.status, status, "{context} ({format}): {}", answer.text);
    let errors = tree(answer, format, "errors", Some("error"));
    assert!(!errors.children.is_empty(), "{context} ({format}): at least one error");
    for error in errors.list("error") {
        assert_eq!(error.fields(), BTreeSet::from(["code", "description"]), "{context} ({format})");
        assert_eq!(error.text("code"), status.to_string(), "{context} ({format}): the code is the status");
        assert!(!error.text("description").trim().is_empty(), "{context} ({format}): a description");
    }
    if format == "json" {
        let value: Value = serde_json::from_str(&answer.text).expect("json");
        assert!(value[0]["code"].is_u64(), "{context}: the JSON code is a number: {value}");
    }
    let descriptions: Vec<&str> = errors.children.iter().map(|e| e.text("description")).collect();
    for word in naming {
        assert!(
            descriptions.iter().any(|d| d.contains(word)),
            "{context} ({format}): an error names {word:?}: {descriptions:?}"
        );
    }
}

/// A GET that must be refused the same way in both formats.
async fn refused_get(app: &TestApp, path: &str, query: &[(&str, &str)], status: u16, naming: &[&str]) {
    for format in FORMATS {
        let answer = app.open311_get(path, format, query).await;
        assert_errors(&answer, format, status, naming, &format!("GET {path}.{format} {query:?}"));
    }
}

/// A datetime as the province writes it: ISO 8601 with the +07:00 zone.
fn local_time(text: &str, what: &str) -> DateTime<Utc> {
    assert!(text.ends_with("+07:00"), "{what} carries the province's zone: {text:?}");
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("{what} is ISO 8601 with a zone: {text:?}: {e}"))
        .with_timezone(&Utc)
}

fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&province_offset()).to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// Checks one request's fields against the specification (and the extensions when asked for).
fn assert_request_shape(request: &Tree, extensions: bool) {
    let mut expected: BTreeSet<&str> = REQUEST_FIELDS.into_iter().collect();
    if extensions {
        expected.insert("extended_attributes");
    }
    assert_eq!(request.fields(), expected, "the fields of a request");
    for field in REQUEST_FIELDS {
        request.text(field);
    }
    let id = request.text("service_request_id");
    assert!(!id.is_empty(), "a request id");
    assert!(["open", "closed"].contains(&request.text("status")), "status is open or closed: {request:?}");
    let requested = local_time(request.text("requested_datetime"), "requested_datetime");
    let updated = local_time(request.text("updated_datetime"), "updated_datetime");
    assert!(updated >= requested, "request {id}: updated {updated} is not before requested {requested}");
    let expected_datetime = request.text("expected_datetime");
    if !expected_datetime.is_empty() {
        local_time(expected_datetime, "expected_datetime");
    }
    let lat: f64 = request.text("lat").parse().expect("lat is a number");
    let long: f64 = request.text("long").parse().expect("long is a number");
    assert!((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&long), "WGS84: {lat}, {long}");
    if extensions {
        let attributes = request.get("extended_attributes");
        for field in ["detailed_status", "reject_reason", "channel"] {
            attributes.text(field);
        }
        assert!(CaseStatus::parse(attributes.text("detailed_status")).is_some(), "a detailed status: {attributes:?}");
        for note in attributes.get("notes").list("note") {
            assert_eq!(note.fields(), BTreeSet::from(["datetime", "description", "type"]), "a note's fields");
            local_time(note.text("datetime"), "a note's datetime");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reports, keys and cases.

/// A form as posted: name and value pairs, in order.
type Form = Vec<(String, String)>;

/// A report as an integrating system posts it, with `key`.
fn report_form(key: &str) -> Form {
    [
        ("api_key", key),
        ("service_code", "environment"),
        ("lat", LAT),
        ("long", LONG),
        ("description", DESCRIPTION),
        ("first_name", FIRST_NAME),
        ("last_name", LAST_NAME),
        ("phone", PHONE),
        ("email", EMAIL),
        ("address_string", ADDRESS),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_string(), value.to_string()))
    .collect()
}

/// `form` with `name` set to `value`, or left out for `None`.
fn with(form: &[(String, String)], name: &str, value: Option<&str>) -> Form {
    let mut changed: Form = form.iter().filter(|(n, _)| n != name).cloned().collect();
    if let Some(value) = value {
        changed.push((name.to_string(), value.to_string()));
    }
    changed
}

async fn post(app: &TestApp, format: &str, form: &[(String, String)]) -> Open311Answer {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    app.open311_post(format, &pairs).await
}

/// A POST that must be accepted; answers the request id and token it returned.
async fn posted(app: &TestApp, format: &str, form: &[(String, String)]) -> (i64, String) {
    let answer = post(app, format, form).await;
    assert_eq!(answer.status, 200, "POST requests.{format}: {}", answer.text);
    let list = tree(&answer, format, "service_requests", Some("request"));
    assert_eq!(list.children.len(), 1, "a list of one: {list:?}");
    let request = &list.children[0];
    let fields = request.fields();
    assert!(fields.contains("service_notice") && fields.contains("account_id"), "the answer's fields: {fields:?}");
    assert!(
        fields.is_subset(&BTreeSet::from(["service_request_id", "token", "service_notice", "account_id"])),
        "only the specified fields: {fields:?}"
    );
    let id = request.text("service_request_id").parse().expect("the request id is a number");
    (id, request.text("token").to_string())
}

/// An administrator issues a key for an integrating system; answers the key.
async fn api_key(app: &TestApp) -> String {
    let admin = app.signed_in("quantri.o311", ActorRole::Admin, None).await;
    app.issue_api_key(&admin, "Cổng dịch vụ công tỉnh").await
}

/// A case submitted through the web `ago` in the past, straight through intake.
async fn case_submitted_ago(app: &TestApp, key: &str, category: &str, ago: Duration) -> i64 {
    let input = NewCaseInput {
        submission_key: key.into(),
        category: category.into(),
        title: "Phản ánh cũ để kiểm tra khoảng thời gian".into(),
        description: "Phản ánh được gửi từ trước, dùng để kiểm tra bộ lọc ngày.".into(),
        lat: Some(17.4689),
        lon: Some(106.6222),
        ..NewCaseInput::default()
    };
    let store = app.store().await;
    let stored =
        intake(&store, &input, Channel::Web, &Actor::new(ActorRole::Anonymous), Utc::now() - ago, Default::default())
            .await
            .unwrap_or_else(|e| panic!("old case stored: {e:?}"));
    stored.id
}

/// Accepts case `id` for urenco as a province coordinator (`coordinator`'s cookie), after checking
/// that Open311 answers it as a missing request until then: a report is public from screening on.
async fn screened(app: &TestApp, coordinator: &str, id: i64) {
    refused_get(app, &format!("requests/{id}"), &[], 404, &["request"]).await;
    let version = app.events(id).await.len() as u32;
    app.change_ok(coordinator, id, version, &ChangeRequest::Accept { agency: "urenco".into() }).await;
}

/// The ids `GET requests` lists for `query`, in order; both formats must agree.
async fn listed(app: &TestApp, query: &[(&str, &str)]) -> Vec<i64> {
    let extensions = query.contains(&("extensions", "true"));
    let answer = both(app, "requests", query, "service_requests", Some("request")).await;
    answer
        .tree
        .list("request")
        .iter()
        .map(|request| {
            assert_request_shape(request, extensions);
            request.text("service_request_id").parse().expect("a number")
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The tests.

#[tokio::test]
async fn discovery_services_and_definitions_have_the_specified_shapes_in_both_formats() {
    let app = spawn_app().await;

    // Discovery: an object with the endpoint list.
    let discovery = both(&app, "discovery", &[], "discovery", None).await.tree;
    for field in ["changeset", "contact", "key_service", "endpoints"] {
        discovery.get(field);
    }
    local_time(discovery.text("changeset"), "the discovery changeset");
    let endpoints = discovery.get("endpoints").list("endpoint");
    assert!(!endpoints.is_empty(), "at least one endpoint");
    for endpoint in endpoints {
        let fields = endpoint.fields();
        for field in ["specification", "url", "changeset", "type", "formats"] {
            assert!(fields.contains(field), "an endpoint has {field}: {fields:?}");
        }
        assert!(endpoint.text("specification").contains("GeoReport_v2"), "{endpoint:?}");
        assert!(endpoint.text("url").ends_with("/open311/v2"), "{endpoint:?}");
        assert!(["production", "test"].contains(&endpoint.text("type")), "{endpoint:?}");
        local_time(endpoint.text("changeset"), "an endpoint's changeset");
        let formats: Vec<&str> = endpoint.get("formats").list("format").iter().map(|f| f.text.as_str()).collect();
        assert!(formats.contains(&"text/xml") && formats.contains(&"application/json"), "{formats:?}");
    }

    // Services: one per active category, each with exactly the specified fields.
    let answer = both(&app, "services", &[], "services", Some("service")).await;
    let services = answer.tree.list("service");
    let categories = app.store().await.categories().await.expect("categories");
    let active: BTreeSet<&str> = categories.iter().filter(|c| c.active).map(|c| c.code.as_str()).collect();
    let codes: BTreeSet<&str> = services.iter().map(|s| s.text("service_code")).collect();
    assert_eq!(codes, active, "one service per active category");
    assert_eq!(codes.len(), services.len(), "no service twice");
    for service in services {
        assert_eq!(service.fields(), SERVICE_FIELDS.into_iter().collect(), "the fields of a service");
        assert!(["true", "false"].contains(&service.text("metadata")), "{service:?}");
        assert!(["realtime", "batch", "blackbox"].contains(&service.text("type")), "{service:?}");
        let code = service.text("service_code");
        let category = categories.iter().find(|c| c.code == code).expect("a catalogue category");
        assert_eq!(service.text("service_name"), category.name_vi, "Vietnamese names arrive intact");
    }
    for service in answer.json.as_array().expect("array") {
        assert!(service["metadata"].is_boolean(), "metadata is a JSON boolean: {service}");
    }
    assert!(answer.xml_text.contains("Môi trường, vệ sinh"), "the XML carries the text itself, not escapes");
    let matching = both(&app, "services", &[("jurisdiction_id", JURISDICTION)], "services", Some("service")).await;
    assert_eq!(matching.tree, answer.tree, "the matching jurisdiction_id is accepted and ignored");

    // Service definitions: a service code and an attribute list.
    for code in &active {
        let definition = both(&app, &format!("services/{code}"), &[], "service_definition", None).await;
        let tree = definition.tree;
        assert_eq!(tree.fields(), BTreeSet::from(["service_code", "attributes"]), "a definition's fields");
        assert_eq!(tree.text("service_code"), *code);
        assert!(definition.json["attributes"].is_array(), "attributes is a JSON array: {}", definition.json);
        for attribute in tree.get("attributes").list("attribute") {
            let fields = attribute.fields();
            for field in ["variable", "code", "datatype", "required", "datatype_description", "order", "description"] {
                assert!(fields.contains(field), "an attribute has {field}: {fields:?}");
            }
            let datatypes = ["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"];
            assert!(datatypes.contains(&attribute.text("datatype")), "{attribute:?}");
        }
    }
    refused_get(&app, "services/potholes", &[], 404, &["service"]).await;
}

#[tokio::test]
async fn vietnamese_text_round_trips_exactly_through_post_and_get_in_both_formats() {
    let app = spawn_app().await;
    let key = api_key(&app).await;
    let coordinator = app.signed_in("dieuphoi.o311", ActorRole::Coordinator, None).await;
    for post_format in FORMATS {
        let before = Utc::now();
        let (id, token) = posted(&app, post_format, &report_form(&key)).await;
        let after = Utc::now();
        screened(&app, &coordinator, id).await;

        let answer = both(&app, &format!("requests/{id}"), &[], "service_requests", Some("request")).await;
        let requests = answer.tree.list("request");
        assert_eq!(requests.len(), 1, "a list holding the one request");
        let request = &requests[0];
        assert_request_shape(request, false);
        assert_eq!(request.text("service_request_id"), id.to_string());
        assert_eq!(request.text("description"), DESCRIPTION, "posted as {post_format}");
        assert_eq!(request.text("address"), ADDRESS, "posted as {post_format}");
        assert_eq!(request.text("service_code"), "environment");
        assert_eq!(request.text("service_name"), "Môi trường, vệ sinh");
        assert_eq!(request.text("status"), "open");
        assert_eq!((request.text("lat"), request.text("long")), (LAT, LONG));
        assert!(request.text("expected_datetime").ends_with("T23:59:59+07:00"), "the deadline set at screening");
        let requested = local_time(request.text("requested_datetime"), "requested_datetime");
        assert!(
            requested >= before - Duration::seconds(1) && requested <= after,
            "requested {requested} lies between {before} and {after}"
        );
        assert_eq!(answer.json[0]["description"], DESCRIPTION);
        assert_eq!(answer.json[0]["lat"].as_f64(), Some(17.4689), "lat is a JSON number");
        assert_eq!(answer.json[0]["long"].as_f64(), Some(106.6222), "long is a JSON number");
        assert_eq!(answer.json[0]["service_request_id"], id.to_string());
        assert!(answer.xml_text.contains(DESCRIPTION), "the XML carries the description verbatim");
        assert!(answer.json_text.contains(DESCRIPTION), "the JSON carries the description verbatim");

        let tokens = both(&app, &format!("tokens/{token}"), &[], "service_requests", Some("request")).await;
        let entries = tokens.tree.list("request");
        assert_eq!(entries.len(), 1, "a list of one");
        assert_eq!(entries[0].fields(), BTreeSet::from(["service_request_id", "token"]));
        assert_eq!(entries[0].text("service_request_id"), id.to_string(), "the token resolves to the request");
        assert_eq!(entries[0].text("token"), token);
    }
    assert_eq!(app.case_count().await, 2, "one case per POST");
}

#[tokio::test]
async fn a_posted_report_is_screened_accepted_or_rejected_and_never_shows_the_reporter() {
    let app = spawn_app().await;
    let key = api_key(&app).await;
    let coordinator = app.signed_in("dieuphoi.o311", ActorRole::Coordinator, None).await;
    let mut seen: Vec<String> = Vec::new();

    let (id, token) = posted(&app, "xml", &report_form(&key)).await;

    // The coordinator screens it as an API case, and staff have the contact the API never shows.
    let screening = app.screening_queue(&coordinator).await;
    let item = screening.iter().find(|item| item.case.id == id).expect("the posted report waits for screening");
    assert_eq!(item.case.channel, Channel::Api);
    assert_eq!(item.case.facts.status, CaseStatus::Submitted);
    assert_eq!(item.case.facts.reporter_account, None);
    let contact = app.staff_case(&coordinator, id).await.contact.expect("the coordinator sees the contact");
    assert_eq!(contact.phone.as_ref().map(|p| p.as_str()), Some("0912777888"));
    assert_eq!(contact.email.as_ref().map(|e| e.as_str()), Some(EMAIL));
    assert_eq!(contact.name.as_ref().map(|n| n.as_str()), Some("Phạm Thị Thu Hà"));

    // The token resolves to the same request.
    let tokens = both(&app, &format!("tokens/{token}"), &[], "service_requests", Some("request")).await;
    assert_eq!(tokens.tree.list("request")[0].text("service_request_id"), id.to_string());
    seen.extend([tokens.xml_text, tokens.json_text]);

    // Accepted for urenco: open, with the agency's name and the deadline.
    let facts = app.change_ok(&coordinator, id, 1, &ChangeRequest::Accept { agency: "urenco".into() }).await;
    let deadline = facts.deadline.expect("a deadline");
    let answer = both(&app, &format!("requests/{id}"), &[], "service_requests", Some("request")).await;
    let request = &answer.tree.list("request")[0];
    assert_request_shape(request, false);
    assert_eq!(request.text("status"), "open", "an assigned case is open");
    assert_eq!(request.text("agency_responsible"), URENCO);
    assert_eq!(request.text("expected_datetime"), local(deadline));
    assert!(request.text("expected_datetime").ends_with("T23:59:59+07:00"), "the end of a working day");
    assert_eq!(local_time(request.text("expected_datetime"), "expected_datetime"), deadline);
    seen.extend([answer.xml_text, answer.json_text]);
    let extended =
        both(&app, &format!("requests/{id}"), &[("extensions", "true")], "service_requests", Some("request")).await;
    let attributes = extended.tree.list("request")[0].get("extended_attributes").clone();
    assert_request_shape(&extended.tree.list("request")[0], true);
    assert_eq!(attributes.text("detailed_status"), "assigned");
    assert_eq!(attributes.text("reject_reason"), "");
    assert_eq!(attributes.text("channel"), "api");
    seen.extend([extended.xml_text, extended.json_text]);

    // Another one rejected: closed, the explanation as status notes, the details as extensions.
    let (rejected, _) = posted(&app, "json", &report_form(&key)).await;
    let explanation = "Khu vực này thuộc dự án chống ngập đang thi công, không phải sự việc mới.";
    let reject = ChangeRequest::Reject {
        reason: RejectReason::NotPublicMatter,
        duplicate_of: None,
        explanation: explanation.into(),
    };
    app.change_ok(&coordinator, rejected, 1, &reject).await;
    let answer = both(&app, &format!("requests/{rejected}"), &[], "service_requests", Some("request")).await;
    let request = &answer.tree.list("request")[0];
    assert_request_shape(request, false);
    assert_eq!(request.text("status"), "closed", "a rejected case is closed");
    assert_eq!(request.text("status_notes"), explanation);
    assert_eq!(request.text("agency_responsible"), "");
    seen.extend([answer.xml_text, answer.json_text]);
    let extended =
        both(&app, &format!("requests/{rejected}"), &[("extensions", "true")], "service_requests", Some("request"))
            .await;
    let request = &extended.tree.list("request")[0];
    assert_request_shape(request, true);
    assert_eq!(request.text("status"), "closed");
    assert_eq!(request.text("status_notes"), explanation);
    let attributes = request.get("extended_attributes");
    assert_eq!(attributes.text("detailed_status"), "rejected");
    assert_eq!(attributes.text("reject_reason"), "not_public_matter");
    assert_eq!(attributes.text("channel"), "api");
    let notes = attributes.get("notes").list("note");
    assert_eq!(notes.len(), 2, "submitted, then rejected: {notes:?}");
    assert_eq!(notes[1].text("description"), explanation);
    assert!(extended.json[0]["extended_attributes"]["notes"].is_array(), "notes is a JSON array");
    seen.extend([extended.xml_text, extended.json_text]);

    // The list shows both; no GET answer ever carried the reporter.
    for query in [vec![], vec![("extensions", "true")]] {
        let list = both(&app, "requests", &query, "service_requests", Some("request")).await;
        let statuses: Vec<(String, String)> = list
            .tree
            .list("request")
            .iter()
            .map(|r| (r.text("service_request_id").to_string(), r.text("status").to_string()))
            .collect();
        assert_eq!(
            statuses,
            vec![(rejected.to_string(), "closed".to_string()), (id.to_string(), "open".to_string())],
            "newest first"
        );
        seen.extend([list.xml_text, list.json_text]);
    }
    for text in &seen {
        for personal in PERSONAL {
            assert!(!text.contains(personal), "a GET answer shows {personal:?}: {text}");
        }
    }
}

#[tokio::test]
async fn refused_posts_answer_the_error_list_and_store_nothing() {
    let app = spawn_app().await;
    let admin = app.signed_in("quantri.o311", ActorRole::Admin, None).await;
    let key = app.issue_api_key(&admin, "Cổng dịch vụ công tỉnh").await;
    let retired = app.issue_api_key(&admin, "Ứng dụng cũ đã ngừng").await;
    assert_ne!(key, retired);

    // The second key works until it is revoked.
    posted(&app, "json", &report_form(&retired)).await;
    let keys = app.api_keys(&admin).await;
    let entry = keys.iter().find(|k| k.name == "Ứng dụng cũ đã ngừng").expect("the key is listed");
    assert_eq!(entry.revoked_at, None);
    app.revoke_api_key(&admin, entry.id).await;
    let keys = app.api_keys(&admin).await;
    assert!(keys.iter().find(|k| k.id == entry.id).is_some_and(|k| k.revoked_at.is_some()), "marked revoked");
    assert!(keys.iter().find(|k| k.name == "Cổng dịch vụ công tỉnh").is_some_and(|k| k.revoked_at.is_none()));
    let stored = app.case_count().await;
    assert_eq!(stored, 1);

    let valid = report_form(&key);
    let long = "Đ".repeat(4001);
    let refusals: Vec<(&str, Form, u16, Vec<&str>)> = vec![
        ("no api_key", with(&valid, "api_key", None), 403, vec!["api_key"]),
        ("an empty api_key", with(&valid, "api_key", Some("")), 403, vec!["api_key"]),
        ("an unknown api_key", with(&valid, "api_key", Some(&"0".repeat(64))), 403, vec!["api_key"]),
        ("a revoked api_key", with(&valid, "api_key", Some(&retired)), 403, vec!["api_key"]),
        ("an unknown service", with(&valid, "service_code", Some("potholes")), 404, vec!["service"]),
        ("lat not a number", with(&valid, "lat", Some("abc")), 400, vec!["lat", "long"]),
        ("lat beyond 90", with(&valid, "lat", Some("91")), 400, vec!["lat", "long"]),
        ("long beyond 180", with(&valid, "long", Some("181")), 400, vec!["lat", "long"]),
        ("lat without long", with(&valid, "long", None), 400, vec!["lat", "long"]),
        ("a description over 4,000 characters", with(&valid, "description", Some(&long)), 400, vec!["description"]),
        ("an unknown jurisdiction", with(&valid, "jurisdiction_id", Some("hanoi.gov.vn")), 404, vec!["jurisdiction"]),
    ];
    for (what, form, status, naming) in &refusals {
        for format in FORMATS {
            let answer = post(&app, format, form).await;
            assert_errors(&answer, format, *status, naming, &format!("POST with {what}"));
            assert_eq!(app.case_count().await, stored, "nothing stored after POST with {what} ({format})");
        }
    }

    // The same report with the key in force, the matching jurisdiction and 4,000 characters is taken.
    let exact = "Đ".repeat(4000);
    let form = with(&with(&valid, "jurisdiction_id", Some(JURISDICTION)), "description", Some(&exact));
    let (id, _) = posted(&app, "xml", &form).await;
    assert_eq!(app.case_count().await, stored + 1);
    screened(&app, &app.signed_in("dieuphoi.o311", ActorRole::Coordinator, None).await, id).await;
    let answer = both(&app, &format!("requests/{id}"), &[], "service_requests", Some("request")).await;
    assert_eq!(answer.tree.list("request")[0].text("description"), exact);
}

#[tokio::test]
async fn unknown_things_are_404_and_bad_windows_400_with_the_error_list() {
    let app = spawn_app().await;
    let key = api_key(&app).await;
    let (id, token) = posted(&app, "json", &report_form(&key)).await;
    screened(&app, &app.signed_in("dieuphoi.o311", ActorRole::Coordinator, None).await, id).await;

    // An unknown jurisdiction on every GET, even for what exists.
    let foreign = [("jurisdiction_id", "hanoi.gov.vn")];
    for path in ["discovery", "services", "services/environment", "requests"] {
        refused_get(&app, path, &foreign, 404, &["jurisdiction"]).await;
    }
    refused_get(&app, &format!("requests/{id}"), &foreign, 404, &["jurisdiction"]).await;
    refused_get(&app, &format!("tokens/{token}"), &foreign, 404, &["jurisdiction"]).await;

    // Unknown services, requests and tokens.
    refused_get(&app, "services/potholes", &[], 404, &["service"]).await;
    refused_get(&app, "requests/987654", &[], 404, &["request"]).await;
    refused_get(&app, "requests/abc", &[], 404, &["request"]).await;
    refused_get(&app, "tokens/o311-khongcomatokennaytrongheth", &[], 404, &["token"]).await;

    // Windows: at most 90 days, the end after the start, both ISO 8601 with a zone.
    // Seconds are cut off in the query, so the window ends a minute ahead to hold the case.
    let now = Utc::now() + Duration::minutes(1);
    let start = local(now - Duration::days(91));
    let end = local(now);
    refused_get(&app, "requests", &[("start_date", &start), ("end_date", &end)], 400, &["start_date", "end_date"])
        .await;
    let ninety = local(now - Duration::days(90));
    assert_eq!(listed(&app, &[("start_date", &ninety), ("end_date", &end)]).await, vec![id], "90 days is allowed");
    let earlier = local(now - Duration::days(5));
    refused_get(&app, "requests", &[("start_date", &end), ("end_date", &earlier)], 400, &["end_date"]).await;
    refused_get(&app, "requests", &[("start_date", "hôm qua")], 400, &["start_date"]).await;
    refused_get(&app, "requests", &[("end_date", "2026-13-01")], 400, &["end_date"]).await;

    // Bad filters.
    refused_get(&app, "requests", &[("status", "pending")], 400, &["status"]).await;
    refused_get(&app, "requests", &[("service_request_id", "1,abc")], 400, &["service_request_id"]).await;
    refused_get(&app, "requests", &[("page", "0")], 400, &["page"]).await;
    refused_get(&app, "requests", &[("page_size", "0")], 400, &["page_size"]).await;
    refused_get(&app, "requests", &[("page_size", "1001")], 400, &["page_size"]).await;
    // (2^31 + 1 - 1) × 2 wraps to 0 in 32 bits: the first page again, unless the arithmetic is checked.
    refused_get(&app, "requests", &[("page", "2147483649"), ("page_size", "2")], 400, &["page"]).await;
    let too_many_ids = ["1"; 3].join(",");
    refused_get(
        &app,
        "requests",
        &[("service_request_id", &too_many_ids), ("page_size", "2")],
        400,
        &["service_request_id"],
    )
    .await;
}

#[tokio::test]
async fn the_request_list_filters_by_id_service_status_window_and_page() {
    let app = spawn_app().await;
    let key = api_key(&app).await;
    let coordinator = app.signed_in("dieuphoi.filter", ActorRole::Coordinator, None).await;
    let now = Utc::now();
    // Two web cases from the past: one inside the default 90 days, one before.
    let old = case_submitted_ago(&app, "key-o311-old-040", "environment", Duration::days(40)).await;
    let older = case_submitted_ago(&app, "key-o311-old-110", "water", Duration::days(110)).await;
    // Four posted now: environment (open), traffic (accepted: open), water (open), environment (rejected: closed).
    let (a, _) = posted(&app, "json", &report_form(&key)).await;
    let (b, _) = posted(&app, "json", &with(&report_form(&key), "service_code", Some("traffic"))).await;
    let (c, _) = posted(&app, "xml", &with(&report_form(&key), "service_code", Some("water"))).await;
    let (d, _) = posted(&app, "xml", &report_form(&key)).await;
    app.change_ok(&coordinator, b, 1, &ChangeRequest::Accept { agency: "sgtvt".into() }).await;
    let reject = ChangeRequest::Reject {
        reason: RejectReason::InsufficientInfo,
        duplicate_of: None,
        explanation: "Chưa đủ thông tin để xác định vị trí ngập.".into(),
    };
    app.change_ok(&coordinator, d, 1, &reject).await;
    // A report rejected as inappropriate stays out of every list, as unscreened reports do until screening.
    let (e, _) = posted(&app, "json", &report_form(&key)).await;
    let inappropriate = ChangeRequest::Reject {
        reason: RejectReason::Inappropriate,
        duplicate_of: None,
        explanation: "Nội dung không phù hợp.".into(),
    };
    app.change_ok(&coordinator, e, 1, &inappropriate).await;
    assert_eq!(listed(&app, &[]).await, vec![d, b], "only the screened reports are public");
    assert_eq!(listed(&app, &[("service_request_id", &format!("{a},{c},{e},{old}"))]).await, Vec::<i64>::new());
    for unscreened in [old, older, a, c] {
        screened(&app, &coordinator, unscreened).await;
    }
    refused_get(&app, &format!("requests/{e}"), &[], 404, &["request"]).await;

    // By default the last 90 days, newest first.
    assert_eq!(listed(&app, &[]).await, vec![d, c, b, a, old]);
    assert_eq!(listed(&app, &[("extensions", "true")]).await, vec![d, c, b, a, old]);

    // A list of ids overrides every other filter, even the 90 days.
    let ids = format!("{older},{a},987654");
    let past_start = local(now - Duration::days(10));
    let past_end = local(now - Duration::days(5));
    assert_eq!(listed(&app, &[("service_request_id", &ids)]).await, vec![a, older]);
    let overridden = [
        ("service_request_id", ids.as_str()),
        ("service_code", "telecom"),
        ("status", "closed"),
        ("start_date", &past_start),
        ("end_date", &past_end),
    ];
    assert_eq!(listed(&app, &overridden).await, vec![a, older], "the ids override the rest");
    assert_eq!(listed(&app, &[("service_request_id", &d.to_string())]).await, vec![d]);

    // Service codes, one or a comma list.
    assert_eq!(listed(&app, &[("service_code", "environment")]).await, vec![d, a, old]);
    assert_eq!(listed(&app, &[("service_code", "traffic,water")]).await, vec![c, b]);
    assert_eq!(listed(&app, &[("service_code", "telecom")]).await, Vec::<i64>::new());

    // Open and closed.
    assert_eq!(listed(&app, &[("status", "open")]).await, vec![c, b, a, old]);
    assert_eq!(listed(&app, &[("status", "closed")]).await, vec![d]);
    assert_eq!(listed(&app, &[("status", "open,closed")]).await, vec![d, c, b, a, old]);
    assert_eq!(listed(&app, &[("status", "closed"), ("service_code", "traffic")]).await, Vec::<i64>::new());

    // Windows: both ends, the start alone (90 days on), the end alone (90 days back), UTC or +07:00.
    let window = |from: i64, to: i64| (local(now - Duration::days(from)), local(now - Duration::days(to)));
    let (from, to) = window(50, 30);
    assert_eq!(listed(&app, &[("start_date", &from), ("end_date", &to)]).await, vec![old]);
    let (from, to) = window(115, 100);
    assert_eq!(listed(&app, &[("start_date", &from), ("end_date", &to)]).await, vec![older]);
    let from_utc = (now - Duration::hours(1)).to_rfc3339_opts(SecondsFormat::Secs, true);
    let to_utc = (now + Duration::hours(1)).to_rfc3339_opts(SecondsFormat::Secs, true);
    assert_eq!(listed(&app, &[("start_date", &from_utc), ("end_date", &to_utc)]).await, vec![d, c, b, a]);
    assert_eq!(listed(&app, &[("start_date", &local(now - Duration::days(45)))]).await, vec![d, c, b, a, old]);
    assert_eq!(listed(&app, &[("end_date", &local(now - Duration::days(30)))]).await, vec![old, older]);
    let (from, to) = window(50, 30);
    let in_window = [("start_date", from.as_str()), ("end_date", to.as_str()), ("status", "closed")];
    assert_eq!(listed(&app, &in_window).await, Vec::<i64>::new(), "filters combine");

    // Pages, newest first.
    assert_eq!(listed(&app, &[("page_size", "2")]).await, vec![d, c]);
    assert_eq!(listed(&app, &[("page_size", "2"), ("page", "1")]).await, vec![d, c]);
    assert_eq!(listed(&app, &[("page_size", "2"), ("page", "2")]).await, vec![b, a]);
    assert_eq!(listed(&app, &[("page_size", "2"), ("page", "3")]).await, vec![old]);
    assert_eq!(listed(&app, &[("page_size", "2"), ("page", "4")]).await, Vec::<i64>::new());
    assert_eq!(listed(&app, &[("page_size", "2"), ("status", "open"), ("page", "2")]).await, vec![a, old]);
}
