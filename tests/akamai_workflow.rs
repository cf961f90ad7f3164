//! The CA-sets workflows and decisions (`vendors::akamai::workflow`), run natively against the
//! service model behind a transport (what the offline workspace does in the browser).
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;

use certwright::vendors::akamai::client::Client;
use certwright::vendors::akamai::edgegrid::Credentials;
use certwright::vendors::akamai::models::{ActivationStatus, ActivationType, CreateCaSet, Network, Validation};
use certwright::vendors::akamai::service::Service;
use certwright::vendors::akamai::validate::{entries_from_text, VersionBody};
use certwright::vendors::akamai::workflow::{self, Action, DeleteOutcome, EditMode, Level, UploadGate};
use certwright::vendors::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use futures_executor::block_on;

const NOW: i64 = 1_754_387_136;

/// The service model as a transport; records each call as "METHOD /path"; can answer the
/// associations call with a canned body.
struct Model {
    service: RefCell<Service>,
    calls: RefCell<Vec<String>>,
    associations: Option<&'static str>,
    now_ms: RefCell<i64>,
}

impl Model {
    fn new() -> Model {
        let mut service = Service::new("offline", "you");
        service.activation_ms = 0;
        Model { service: RefCell::new(service), calls: RefCell::default(), associations: None, now_ms: RefCell::new(NOW * 1000) }
    }
}

impl Transport for &Model {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        let target = req.url.splitn(4, '/').nth(3).map(|t| format!("/{t}")).unwrap_or_default();
        let path = target.split('?').next().unwrap_or_default().trim_start_matches("/mtls-edge-truststore/v2").to_owned();
        self.calls.borrow_mut().push(format!("{} {path}", req.method));
        if let (Some(body), true) = (self.associations, path.ends_with("/associations")) {
            return Ok(HttpResponse {
                status: 200,
                headers: vec![("content-type".into(), "application/json".into())],
                body: body.as_bytes().to_vec(),
            });
        }
        Ok(self.service.borrow_mut().handle(&req.method, &target, &req.body, *self.now_ms.borrow()))
    }

    async fn sleep_ms(&self, ms: u64) {
        *self.now_ms.borrow_mut() += ms as i64;
    }
}

fn client(model: &Model) -> Client<&Model> {
    Client::new(model, Credentials::new("workspace.certwright.invalid", "t", "s", "a"), || NOW)
}

fn pem(rel: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/data/{rel}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn body(files: &[&str]) -> VersionBody {
    let text: String = files.iter().map(|f| pem(f)).collect();
    VersionBody { allow_insecure_sha1: false, description: None, certificates: entries_from_text(&text) }
}

fn new_set(c: &Client<&Model>, name: &str) -> String {
    block_on(c.create_ca_set(&CreateCaSet { ca_set_name: name.into(), description: None })).unwrap().ca_set_id
}

#[test]
fn the_local_check_gates_every_upload() {
    // Today (the test certificates' validity is judged as the page judges it).
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let (gate, _) = workflow::check_before_upload(&body(&[]), now);
    assert_eq!(gate, UploadGate::Empty);
    assert_eq!(gate.message().unwrap(), "Paste or load at least one certificate.");
    let (gate, v) =
        workflow::check_before_upload(&body(&["chain/root.pem", "vendors/akamai/expired-ca.pem", "vendors/akamai/sha1-ca.pem"]), now);
    assert_eq!(gate, UploadGate::Refused { errors: 2 });
    assert!(gate.message().unwrap().contains("the local check found 2 errors"));
    // The findings land on the rows they point at: the expired one (1) and the SHA-1 one (2).
    let placed = workflow::place(3, &v);
    assert!(placed.rows[0].iter().all(|(l, _)| *l != Level::Error));
    assert!(placed.rows[1].iter().any(|(l, t)| *l == Level::Error && t.contains("expired")));
    assert!(placed.rows[2].iter().any(|(l, _)| *l == Level::Error));
    let (gate, _) = workflow::check_before_upload(&body(&["vendors/akamai/ca-a.pem"]), now);
    assert_eq!(gate, UploadGate::Send);
    assert_eq!(gate.message(), None);
}

#[test]
fn findings_without_a_row_are_general() {
    let v: Validation = serde_json::from_value(serde_json::json!({
        "errors": [{ "type": "too-many", "title": "Too many", "pointer": "/certificates/7" }, { "type": "empty", "title": "Empty" }],
        "warnings": [{ "type": "dup", "title": "Duplicate", "detail": "seen twice", "pointer": "/certificates/0" }],
        "notices": []
    }))
    .unwrap();
    let placed = workflow::place(1, &v);
    assert_eq!(placed.rows, vec![vec![(Level::Warning, "Duplicate seen twice".to_owned())]]);
    assert_eq!(placed.general, vec![(Level::Error, "Too many".to_owned()), (Level::Error, "Empty".to_owned())]);
    assert_eq!(workflow::row_of("/certificates/12/certificatePem"), Some(12));
    assert_eq!(workflow::row_of("/description"), None);
}

#[test]
fn a_duplicate_version_offers_the_existing_one() {
    let model = Model::new();
    let c = client(&model);
    let id = new_set(&c, "dup-set");
    block_on(workflow::upload(&c, &id, None, &body(&["vendors/akamai/ca-a.pem", "vendors/akamai/ca-b.pem"]))).unwrap();
    let e = block_on(workflow::upload(&c, &id, None, &body(&["vendors/akamai/ca-b.pem", "vendors/akamai/ca-a.pem"]))).unwrap_err();
    assert_eq!(workflow::existing_version(&e), Some((id.clone(), 1)));
    let (message, details) = workflow::describe_failure(&e);
    assert!(message.starts_with("a version with the same certificates already exists: "), "{message}");
    assert!(details.iter().any(|d| d.contains("equal an existing version")), "{details:?}");
    assert_eq!(workflow::parse_version_link("/mtls-edge-truststore/v2/ca-sets/12/versions/3"), Some(("12".into(), 3)));
    assert_eq!(workflow::parse_version_link("/ca-sets/12/activations/3"), None);
}

#[test]
fn deleting_checks_usage_first_and_follows_the_delete() {
    // Used by a property: nothing is deleted, and the delete is never sent.
    let mut used = Model::new();
    used.associations = Some(
        r#"{"associations":{"properties":[{"propertyId":"prp_1","propertyName":"www","assetId":1,"groupId":2,"hostnames":[]}],"enrollments":null}}"#,
    );
    let c = client(&used);
    let id = new_set(&c, "in-use");
    let outcome = block_on(workflow::delete_set(&c, &id, true, |_| true)).unwrap();
    assert_eq!(outcome, DeleteOutcome::InUse { properties: 1, enrollments: 0 });
    assert_eq!(outcome.message("in-use"), "Not deleted: CA set in-use is used by 1 property and 0 enrollments; detach it first.");
    assert!(!used.calls.borrow().iter().any(|c| c.starts_with("DELETE")), "{:?}", used.calls.borrow());

    // Unused: associations, then the delete, then its status until complete.
    let model = Model::new();
    let c = client(&model);
    let id = new_set(&c, "unused");
    model.calls.borrow_mut().clear();
    let mut polls = 0;
    let outcome = block_on(workflow::delete_set(&c, &id, true, |_| {
        polls += 1;
        true
    }))
    .unwrap();
    assert_eq!(outcome, DeleteOutcome::Deleted);
    assert!(polls >= 1);
    let calls = model.calls.borrow().clone();
    assert_eq!(calls[0], format!("GET /ca-sets/{id}/associations"));
    assert_eq!(calls[1], format!("DELETE /ca-sets/{id}"));
    assert!(calls.len() > 2 && calls[2..].iter().all(|c| c == &format!("GET /ca-sets/{id}/status/delete")), "{calls:?}");
    // Offline there are no properties: no associations call.
    let model = Model::new();
    let c = client(&model);
    let id = new_set(&c, "offline");
    model.calls.borrow_mut().clear();
    block_on(workflow::delete_set(&c, &id, false, |_| true)).unwrap();
    assert_eq!(model.calls.borrow()[0], format!("DELETE /ca-sets/{id}"));
    assert!(Action::DeleteSet.needs_confirmation());
    assert!(!Action::CreateVersion.needs_confirmation() && !Action::CloneVersion.needs_confirmation());
}

#[test]
fn a_version_ever_active_is_cloned_to_be_edited() {
    let mut model = Model::new();
    model.service.get_mut().activation_ms = 1;
    let c = client(&model);
    let id = new_set(&c, "frozen");
    let v1 = block_on(workflow::upload(&c, &id, None, &body(&["vendors/akamai/ca-a.pem"]))).unwrap();
    assert_eq!(workflow::edit_mode(&v1, false), EditMode::Edit);
    // Activate on staging, follow it to the end, then deactivate: still frozen (it was active).
    let started = block_on(c.activate(&id, 1, Network::Staging)).unwrap();
    let done = block_on(c.poll_activation_with(&id, 1, started.activation_id, workflow::ACTIVATION_POLL, |_| true)).unwrap();
    assert_eq!(done.activation_status, ActivationStatus::Complete);
    assert_eq!(workflow::activation_outcome(1, &done), "Version 1: Activate on Staging complete.");
    let active = block_on(c.get_version(&id, 1)).unwrap();
    assert_eq!(workflow::active_on(&active), (true, false));
    assert_eq!(workflow::edit_mode(&active, false), EditMode::CloneAndEdit);
    let stopped = block_on(c.deactivate(&id, 1, Network::Staging)).unwrap();
    // Stopping to follow is not an outcome: the page says it goes on at Akamai.
    assert!(workflow::activation_outcome(1, &stopped).starts_with("Stopped following the activation of version 1"));
    block_on(c.poll_activation_with(&id, 1, stopped.activation_id, workflow::ACTIVATION_POLL, |_| true)).unwrap();
    let inactive = block_on(c.get_version(&id, 1)).unwrap();
    assert_eq!(workflow::active_on(&inactive), (false, false));
    let facts = workflow::activation_facts(&block_on(c.list_version_activations(&id, 1)).unwrap());
    assert!(facts.ever_active);
    assert!(facts.running.is_none());
    assert_eq!(workflow::edit_mode(&inactive, facts.ever_active), EditMode::CloneAndEdit);
    // Clone and edit: the copy comes with its draft.
    let (copy, draft) = block_on(workflow::clone_version(&c, &id, 1, true)).unwrap();
    assert_eq!(copy.version, 2);
    assert!(draft.unwrap().contains("BEGIN CERTIFICATE"));
    assert_eq!(workflow::edit_mode(&copy, false), EditMode::Edit);
    let (_, none) = block_on(workflow::clone_version(&c, &id, 1, false)).unwrap();
    assert_eq!(none, None);
    // A running activation is offered to follow.
    let running = block_on(c.activate(&id, 2, Network::Production)).unwrap();
    assert_eq!(running.activation_type, ActivationType::Activate);
    let facts = workflow::activation_facts(&block_on(c.list_version_activations(&id, 2)).unwrap());
    assert_eq!(facts.running.map(|a| a.activation_id), Some(running.activation_id));
}

#[test]
fn offline_drafts_list_every_version() {
    let model = Model::new();
    let c = client(&model);
    let id = new_set(&c, "drafts");
    block_on(workflow::upload(&c, &id, None, &body(&["vendors/akamai/ca-a.pem", "vendors/akamai/ca-b.pem"]))).unwrap();
    let drafts = block_on(workflow::offline_drafts(&c)).unwrap();
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0].0, "drafts version 1 (2 certificates)");
    assert_eq!(drafts[0].1.matches("BEGIN CERTIFICATE").count(), 2);
    let (set, versions) = block_on(workflow::load_set(&c, &id)).unwrap();
    assert_eq!(set.ca_set_name, "drafts");
    assert_eq!(workflow::body_of(&versions[0]).certificates.len(), 2);
}
