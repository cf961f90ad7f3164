//! The CA-sets workflows and the decisions the page makes, as plain Rust (the page only wires
//! signals to these): what runs before an upload, what may be deleted and what needs a
//! confirmation, the order of the calls, when a version is edited in place or cloned first, how
//! an activation is followed, where each finding of a validation lands, and what a 422
//! duplicate offers. Tested natively in `tests/akamai_workflow.rs` against the service model.

use super::client::{duplicate_version_link, Client, Error, ListVersionsQuery, PollOptions};
use super::models::{
    Activation, ActivationStatus, ActivationType, CaSet, CaSetVersion, DeleteStatus, Problem, Validation, VersionNetworkStatus,
};
use super::validate::{self, CertificateEntry, VersionBody};
use crate::vendors::transport::Transport;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Akamai refuses the version.
    Error,
    /// Worth a look.
    Warning,
    /// For information.
    Notice,
}

/// Findings placed on the certificates they point at (`pointer` `/certificates/N`), and those
/// that point at none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Placed {
    /// One list per certificate, in order.
    pub rows: Vec<Vec<(Level, String)>>,
    /// Findings about the version as a whole (or pointing past its certificates).
    pub general: Vec<(Level, String)>,
}

/// `/certificates/3` → 3.
pub fn row_of(pointer: &str) -> Option<usize> {
    pointer.strip_prefix("/certificates/")?.split('/').next()?.parse().ok()
}

/// A problem as one line: title (or type) and detail.
pub fn problem_text(p: &Problem) -> String {
    format!("{}{}", p.title.as_deref().unwrap_or(p.type_name()), p.detail.as_deref().map(|d| format!(" {d}")).unwrap_or_default())
}

/// Places `validation`'s findings on `count` certificates.
pub fn place(count: usize, validation: &Validation) -> Placed {
    let mut placed = Placed { rows: vec![Vec::new(); count], general: Vec::new() };
    for (level, list) in [(Level::Error, &validation.errors), (Level::Warning, &validation.warnings), (Level::Notice, &validation.notices)]
    {
        for p in list {
            match p.pointer.as_deref().and_then(row_of).and_then(|i| placed.rows.get_mut(i)) {
                Some(row) => row.push((level, problem_text(p))),
                None => placed.general.push((level, problem_text(p))),
            }
        }
    }
    placed
}

/// `/…/ca-sets/{id}/versions/{n}` → `(id, n)`.
pub fn parse_version_link(link: &str) -> Option<(String, u32)> {
    let mut parts = link.trim_end_matches('/').rsplit('/');
    let n = parts.next()?.parse().ok()?;
    (parts.next()? == "versions").then_some(())?;
    Some((parts.next()?.to_owned(), n))
}

/// The existing version a 422 `duplicate-ca-set-version` names, to offer opening it.
pub fn existing_version(e: &Error) -> Option<(String, u32)> {
    duplicate_version_link(e).and_then(parse_version_link)
}

/// What the page says about a failed call: one line, and the lines under it (the problem's
/// detail, each nested problem with the certificate it points at; for a 422 duplicate the
/// problem's title and detail and why Akamai refuses it). Never holds a credential.
pub fn describe_failure(e: &Error) -> (String, Vec<String>) {
    if let Some(link) = duplicate_version_link(e) {
        let mut details = Vec::new();
        if let Some(p) = e.problem() {
            details.extend(p.title.iter().chain(p.detail.iter().filter(|d| Some(*d) != p.title.as_ref())).cloned());
        }
        details.push("Akamai refuses a version whose certificates (in any order) equal an existing version's.".into());
        return (format!("a version with the same certificates already exists: {link}"), details);
    }
    let mut details = Vec::new();
    if let Some(p) = e.problem() {
        details.extend(p.detail.iter().cloned());
        details.extend(p.errors.iter().map(|nested| {
            let at = nested
                .pointer
                .as_deref()
                .and_then(|ptr| row_of(ptr).map(|i| format!("certificate {} ({ptr}): ", i + 1)))
                .unwrap_or_default();
            format!("{at}{}", problem_text(nested))
        }));
    }
    (e.to_string(), details)
}

/// What happens to a draft when the user asks to upload it.
#[derive(Clone, Debug, PartialEq)]
pub enum UploadGate {
    /// Nothing to upload.
    Empty,
    /// The local check found errors Akamai would refuse: nothing is sent.
    Refused {
        /// How many errors.
        errors: usize,
    },
    /// Send it.
    Send,
}

impl UploadGate {
    /// What the page says when it does not send.
    pub fn message(&self) -> Option<String> {
        match self {
            UploadGate::Empty => Some("Paste or load at least one certificate.".into()),
            UploadGate::Refused { errors } => Some(format!(
                "Not uploaded: the local check found {errors} error{} that Akamai would refuse. They are marked on the rows below.",
                if *errors == 1 { "" } else { "s" }
            )),
            UploadGate::Send => None,
        }
    }
}

/// The local check that runs before every upload: Akamai's rules applied in the page, in
/// Akamai's shape. Returns the gate and the validation (to place on the rows).
pub fn check_before_upload(body: &VersionBody, now: i64) -> (UploadGate, Validation) {
    let v = super::service::validation_of(&validate::validate_version(body, now));
    let gate = if body.certificates.is_empty() {
        UploadGate::Empty
    } else if !v.errors.is_empty() {
        UploadGate::Refused { errors: v.errors.len() }
    } else {
        UploadGate::Send
    };
    (gate, v)
}

/// A version as the body of a new version (for compare, clone-and-edit, re-upload).
pub fn body_of(v: &CaSetVersion) -> VersionBody {
    VersionBody {
        allow_insecure_sha1: v.allow_insecure_sha1.unwrap_or(false),
        description: v.description.clone(),
        certificates: v
            .certificates
            .iter()
            .map(|c| CertificateEntry { certificate_pem: c.certificate_pem.clone(), description: c.description.clone() })
            .collect(),
    }
}

/// A version's certificates as editable PEM text, one block after another.
pub fn draft_of(v: &CaSetVersion) -> String {
    v.certificates.iter().map(|c| c.certificate_pem.trim_end().to_owned() + "\n").collect()
}

/// Whether a version is active on (staging, production).
pub fn active_on(v: &CaSetVersion) -> (bool, bool) {
    (v.staging_status == Some(VersionNetworkStatus::Active), v.production_status == Some(VersionNetworkStatus::Active))
}

/// How a version can be changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditMode {
    /// Edited in place (it was never active).
    Edit,
    /// Akamai freezes a version that is or was active: clone it and edit the clone.
    CloneAndEdit,
}

/// How version `v` can be changed, knowing whether it was ever active.
pub fn edit_mode(v: &CaSetVersion, ever_active: bool) -> EditMode {
    let (staging, production) = active_on(v);
    if staging || production || ever_active {
        EditMode::CloneAndEdit
    } else {
        EditMode::Edit
    }
}

/// What a version's activation history means for the page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ActivationFacts {
    /// An activation completed once (so the version is frozen even if inactive now).
    pub ever_active: bool,
    /// An activation or deactivation still running (the page offers to follow it).
    pub running: Option<Activation>,
}

/// Reads a version's activations.
pub fn activation_facts(list: &[Activation]) -> ActivationFacts {
    ActivationFacts {
        ever_active: list
            .iter()
            .any(|a| a.activation_type == ActivationType::Activate && a.activation_status == ActivationStatus::Complete),
        running: list.iter().find(|a| a.activation_status == ActivationStatus::InProgress).cloned(),
    }
}

/// How an activation is followed: polls honour `Retry-After` (5 s without one, at most 5 min
/// apart), for as long as the user keeps following.
pub const ACTIVATION_POLL: PollOptions = PollOptions { max_attempts: 10_000, default_delay_ms: 5_000, max_delay_ms: 300_000 };
/// How an asynchronous delete is followed.
pub const DELETE_POLL: PollOptions = PollOptions { max_attempts: 1_000, default_delay_ms: 5_000, max_delay_ms: 300_000 };

/// What the page says when following activation of version `n` ends (or stops).
pub fn activation_outcome(n: u32, done: &Activation) -> String {
    if !done.activation_status.is_final() {
        return format!("Stopped following the activation of version {n}; it goes on at Akamai. Open the version again to see its state.");
    }
    let network = done.network.map_or("?".into(), |x| format!("{x:?}"));
    match done.activation_status {
        ActivationStatus::Complete => format!("Version {n}: {:?} on {network} complete.", done.activation_type),
        _ => format!("Version {n}: {:?} on {network} failed: {}", done.activation_type, done.failure_reason.clone().unwrap_or_default()),
    }
}

/// Actions on a CA set and whether the page asks before doing them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Delete a set with every version.
    DeleteSet,
    /// Copy a set under a new name.
    CloneSet,
    /// Upload a new version.
    CreateVersion,
    /// Copy a version.
    CloneVersion,
    /// Activate or deactivate a version on a network.
    Activate,
}

impl Action {
    /// Only deleting a set (which takes every version with it) asks for a confirmation.
    pub fn needs_confirmation(self) -> bool {
        matches!(self, Action::DeleteSet)
    }
}

/// What came of a delete request.
#[derive(Clone, Debug, PartialEq)]
pub enum DeleteOutcome {
    /// Not deleted: properties and enrollments still use the set.
    InUse {
        /// Properties that use the set.
        properties: usize,
        /// Enrollments that use the set.
        enrollments: usize,
    },
    /// Deleted (the asynchronous delete completed).
    Deleted,
    /// Akamai reported the delete as failed.
    Failed(String),
}

impl DeleteOutcome {
    /// What the page says.
    pub fn message(&self, name: &str) -> String {
        match self {
            DeleteOutcome::InUse { properties: p, enrollments: e } => format!(
                "Not deleted: CA set {name} is used by {p} propert{} and {e} enrollment{}; detach it first.",
                if *p == 1 { "y" } else { "ies" },
                if *e == 1 { "" } else { "s" }
            ),
            DeleteOutcome::Deleted => format!("CA set {name} deleted."),
            DeleteOutcome::Failed(reason) => format!("Deleting CA set {name} failed: {reason}"),
        }
    }
}

/// Deletes set `id`, in this order: (on Akamai, `check_usage`) the associations, and nothing
/// more if any property or enrollment uses it; the delete; its status polled until it ends
/// (`on_poll` sees each status and returns whether to go on).
pub async fn delete_set<T: Transport>(
    c: &Client<T>,
    id: &str,
    check_usage: bool,
    on_poll: impl FnMut(&DeleteStatus) -> bool,
) -> Result<DeleteOutcome, Error> {
    if check_usage {
        let used = c.associations(id, None).await?;
        let (properties, enrollments) = (used.properties().len(), used.enrollments().len());
        if properties + enrollments > 0 {
            return Ok(DeleteOutcome::InUse { properties, enrollments });
        }
    }
    c.delete_ca_set(id).await?;
    let done = c.poll_delete(id, DELETE_POLL, on_poll).await?;
    Ok(match done.status {
        ActivationStatus::Complete => DeleteOutcome::Deleted,
        _ => DeleteOutcome::Failed(done.failure_reason.unwrap_or_default()),
    })
}

/// Uploads a draft that passed [`check_before_upload`]: a new version (`editing` `None`) or the
/// new content of version `editing`.
pub async fn upload<T: Transport>(c: &Client<T>, id: &str, editing: Option<u32>, body: &VersionBody) -> Result<CaSetVersion, Error> {
    match editing {
        None => c.create_version(id, body).await,
        Some(n) => c.update_version(id, n, body).await,
    }
}

/// A set and its versions (with their certificates), as the set page shows them.
pub async fn load_set<T: Transport>(c: &Client<T>, id: &str) -> Result<(CaSet, Vec<CaSetVersion>), Error> {
    let set = c.get_ca_set(id).await?;
    let versions = c.list_versions(id, &ListVersionsQuery { include_certificates: Some(true), ..Default::default() }).await?;
    Ok((set, versions))
}

/// Clones version `n`; with `then_edit` the copy comes back with its draft, to edit (the way to
/// change a version that is or was active).
pub async fn clone_version<T: Transport>(
    c: &Client<T>,
    id: &str,
    n: u32,
    then_edit: bool,
) -> Result<(CaSetVersion, Option<String>), Error> {
    let copy = c.clone_version(id, n).await?;
    let draft = then_edit.then(|| draft_of(&copy));
    Ok((copy, draft))
}

/// Every version of the offline workspace as (label, draft), to copy one into an upload.
pub async fn offline_drafts<T: Transport>(c: &Client<T>) -> Result<Vec<(String, String)>, Error> {
    let mut out = Vec::new();
    for set in c.list_ca_sets(&Default::default()).await? {
        let query = ListVersionsQuery { include_certificates: Some(true), ..Default::default() };
        for v in c.list_versions(&set.ca_set_id, &query).await? {
            out.push((format!("{} version {} ({} certificates)", set.ca_set_name, v.version, v.certificates.len()), draft_of(&v)));
        }
    }
    Ok(out)
}
