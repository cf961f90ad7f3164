//! What the Segura page decides (`certwright::vendors::segura::form`): its forms read into
//! requests with every problem on its field (nothing to send while one remains), a request
//! record back into the form to modify it, a list's filters to and from its URL, and when
//! following a status stops.

use certwright::vendors::segura::form::{follow_done, split_list, ListView, RequestForm, SignForm};
use certwright::vendors::segura::models::{Labeled, ListFilters, RequestRecord, RequestStatus};

fn mult() -> RequestForm {
    RequestForm {
        certificate_type: "2".into(),
        domain_type: "MULT".into(),
        organization: "42".into(),
        common_name: "shop.example.com".into(),
        san: "shop.example.com\nwww.shop.example.com, api.shop.example.com\n\n".into(),
        tags: "web, e2e".into(),
        justification: "New storefront".into(),
        ..RequestForm::default()
    }
}

fn fields(r: Result<impl std::fmt::Debug, Vec<certwright::pki::FieldError>>) -> Vec<String> {
    r.unwrap_err().into_iter().map(|e| e.field).collect()
}

#[test]
fn a_mult_form_reads_into_the_request_as_sent() {
    let r = mult().check(None, Some("kp".into()), Some(String::new())).unwrap();
    assert_eq!(r.certificate_type, 2);
    assert_eq!(r.san, ["shop.example.com", "www.shop.example.com", "api.shop.example.com"]);
    assert_eq!(r.tags, ["web", "e2e"]);
    assert_eq!((r.encryption.as_str(), r.encryption_key_size, r.certificate_algorithm.as_str()), ("RSA", 2048, "SHA256"));
    assert_eq!(r.key_password.as_deref(), Some("kp"));
    assert_eq!(r.senha_revogacao, None, "an empty password is not sent");
    assert_eq!((r.description, r.project, r.responsible), (None, None, None));
    assert_eq!(mult().check(Some(7), None, None).unwrap().code_request, Some(7));
}

#[test]
fn every_problem_lands_on_its_field_once() {
    let mut f = mult();
    f.organization = "forty-two".into();
    f.validity = "".into();
    f.responsible = "x".into();
    let got = fields(f.check(None, None, None));
    assert_eq!(got, ["organization", "responsible", "validity"], "a bad number is not also `required`");
    // The three refusals of the flows, each on its field.
    let mut wild = mult();
    wild.domain_type = "WILD".into();
    wild.san = String::new();
    assert_eq!(fields(wild.check(None, None, None)), ["common_name"]);
    let mut dsa = mult();
    dsa.encryption = "DSA".into();
    dsa.certificate_algorithm = "SHA384".into();
    assert_eq!(fields(dsa.check(None, None, None)), ["certificate_algorithm"]);
    let mut long = mult();
    long.justification = "é".repeat(1025);
    let e = long.check(None, None, None).unwrap_err();
    assert_eq!(e[0].field, "justification");
    assert!(e[0].message.contains("1025 characters; at most 1024"), "{}", e[0].message);
    long.justification = "é".repeat(1024);
    long.description = "d".repeat(513);
    assert_eq!(fields(long.check(None, None, None)), ["description"]);
    // A bad SAN names its index; a SING form with SANs is told to keep one name.
    let mut bad = mult();
    bad.san = "shop.example.com\nbad name".into();
    assert_eq!(fields(bad.check(None, None, None)), ["san[1]"]);
    let mut sing = mult();
    sing.domain_type = "SING".into();
    assert_eq!(fields(sing.check(None, None, None)), ["san"]);
    // No SANs: the common name alone (Segura's default), fine for SING.
    sing.san = String::new();
    assert!(sing.check(None, None, None).is_ok());
}

#[test]
fn warnings_say_who_makes_the_key_and_flag_1024_and_dsa() {
    let w = RequestForm::default().warnings();
    assert_eq!(w.len(), 1);
    assert!(w[0].message.contains("Segura generates this private key"), "{}", w[0].message);
    let f = RequestForm { encryption: "DSA".into(), encryption_key_size: "1024".into(), ..RequestForm::default() };
    let w: Vec<String> = f.warnings().into_iter().map(|e| e.field).collect();
    assert_eq!(w, ["encryption", "encryption_key_size", "encryption"]);
}

#[test]
fn a_record_fills_the_form_to_modify_it() {
    let rec = RequestRecord {
        code_request: Some(123),
        status_request: Some(Labeled::parse("1 - Pending")),
        type_certificate: Some(2),
        type_domain: Some("MULT".into()),
        organization: Some(42),
        common_name: Some("shop.example.com".into()),
        san: Some(vec!["shop.example.com".into(), "www.shop.example.com".into()]),
        encryption: Some("RSA".into()),
        encryption_key_size: Some(4096),
        algorithm_certified: Some("SHA512".into()),
        validity: Some(90),
        design: Some("storefront".into()),
        responsible: Some(9),
        ..RequestRecord::default()
    };
    let f = RequestForm::from_record(&rec);
    assert_eq!(f.san, "shop.example.com\nwww.shop.example.com");
    assert_eq!((f.encryption_key_size.as_str(), f.certificate_algorithm.as_str()), ("4096", "SHA512"));
    assert_eq!((f.project.as_str(), f.responsible.as_str(), f.validity.as_str()), ("storefront", "9", "90"));
    let r = f.check(Some(123), None, None).unwrap();
    assert_eq!(r.san.len(), 2);
    assert_eq!(r.project.as_deref(), Some("storefront"));
    assert_eq!(r.key_password, None);
}

#[test]
fn the_sign_form_demands_ca_reason_and_itsm_code_where_governance_does() {
    let f = SignForm { reason: "3".into(), ca: "5".into(), justification: "approved".into(), ..SignForm::default() };
    let s = f.check(false).unwrap();
    assert_eq!((s.self_signed, s.ca, s.reason), (0, Some(5), 3));
    assert_eq!(s.itsm_code, None);
    assert_eq!(fields(f.check(true)), ["itsm_code"]);
    let f = SignForm { itsm_code: " CHG-1 ".into(), ..f };
    assert_eq!(f.check(true).unwrap().itsm_code.as_deref(), Some("CHG-1"));
    let no_ca = SignForm { ca: String::new(), reason: "x".into(), ..SignForm::default() };
    assert_eq!(fields(no_ca.check(false)), ["reason", "ca"]);
    let selfs = SignForm { self_signed: true, ca: "junk".into(), reason: "1".into(), ..SignForm::default() };
    assert_eq!(selfs.check(false).unwrap().ca, None, "the CA is ignored for a self-signed request");
}

fn q(s: &str) -> Vec<(String, String)> {
    certwright::vendors::query::parse_query(s)
}

#[test]
fn a_list_round_trips_through_its_query_string() {
    let (v, problems) =
        ListView::from_query(&q("status_request=2&type_domain=mult&common_name=shop+example&tags=web,e2e&offset=2&limit=2"));
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(v.filters.status_request, Some(2));
    assert_eq!(v.filters.type_domain.as_deref(), Some("MULT"));
    assert_eq!(v.filters.common_name.as_deref(), Some("shop example"));
    assert_eq!(v.filters.tags, ["web", "e2e"]);
    assert_eq!((v.offset, v.limit, v.all), (2, 2, false));
    let path = v.path("/segura/requests");
    assert_eq!(path, "/segura/requests?status_request=2&type_domain=MULT&common_name=shop%20example&tags=web%2Ce2e&offset=2&limit=2");
    let back = ListView::from_query(&q(path.split_once('?').unwrap().1)).0;
    assert_eq!(back, v);
    assert_eq!(v.next().unwrap().offset, 4);
    assert_eq!(v.previous().unwrap().offset, 0);
    assert_eq!(v.previous().unwrap().previous(), None);
    // The default list is the bare path; "load all" has no pages.
    let (d, _) = ListView::from_query(&[]);
    assert_eq!(d, ListView { filters: ListFilters::default(), offset: 0, limit: 50, all: false });
    assert_eq!(d.path("/segura/requests"), "/segura/requests");
    let all = ListView { all: true, ..v };
    assert_eq!(all.to_query(), "status_request=2&type_domain=MULT&common_name=shop%20example&tags=web%2Ce2e&all=1");
    assert_eq!((all.next(), all.previous()), (None, None));
}

#[test]
fn bad_query_values_are_named_and_left_out() {
    let (v, problems) = ListView::from_query(&q("status_request=signed&limit=5000&offset=-1&organization=42"));
    let names: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(names, ["status_request", "offset", "limit"]);
    assert!(problems[2].message.contains("between 1 and 1000"), "{}", problems[2].message);
    assert_eq!((v.filters.status_request, v.filters.organization, v.offset, v.limit), (None, Some(42), 0, 50));
}

#[test]
fn following_stops_at_signed() {
    let st = |s: &str| RequestStatus { request_code: 1, status_request: Labeled::parse(s), certificate_code: None };
    assert!(!follow_done(&st("1 - Pending")));
    assert!(!follow_done(&st("6 - Issuing")));
    assert!(follow_done(&st("7 - Signed")));
    assert_eq!(split_list(" a ,\n\nb,"), ["a", "b"]);
}
