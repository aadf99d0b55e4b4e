//! vCard export and import: golden files, round trips, the shapes Apple, Google and Outlook
//! write, per-card errors, and idempotent import into a real store.
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use secretaire::cli::Ctx;
use secretaire::cli::vcf_cmd::{self, ExportVcfArgs, ImportVcfArgs};
use secretaire::clock::FixedClock;
use secretaire::domain::{Birthday, Contact, Labeled};
use secretaire::store::{ContactQuery, Store};
use secretaire::vcard::{self, VcardError, Version};
use std::path::{Path, PathBuf};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/vcf")
        .join(name)
}

fn contacts() -> Vec<Contact> {
    vec![
        Contact {
            id: 1,
            uid: "20261101T080000.000000Z-1a-0@secretaire".into(),
            name: "Anna Berg".into(),
            organization: "Berg & Co; Holding, AB".into(),
            title: "CFO".into(),
            emails: vec![
                Labeled::new("work", "anna@berg.se"),
                Labeled::new("Private, old", "anna.b@example.com"),
            ],
            phones: vec![
                Labeled::new("mobile", "+46 70 123 45 67"),
                Labeled::new("work fax", "+46 8 555 000"),
                Labeled::new("", "08-123 456"),
            ],
            address: "Storgatan 1\n111 22 Stockholm\nSweden".into(),
            tags: vec!["press".into(), "vip".into()],
            notes: "Prefers mornings.\nAssistant: Lisa; back\\slash".into(),
            last_contacted: NaiveDate::from_ymd_opt(2026, 11, 2),
            birthday: Some(Birthday {
                year: None,
                month: 4,
                day: 15,
            }),
        },
        Contact {
            id: 2,
            uid: "urn:uuid:5e8a1f2c-0000-4000-8000-000000000002".into(),
            name: "Åsa Söderström-Lindqvist von Platen".into(),
            organization: "Dagens Industri".into(),
            title: String::new(),
            emails: vec![Labeled::new("", "asa@di.se")],
            phones: vec![],
            address: String::new(),
            tags: vec![],
            notes: "Lång anteckning med åäö och emoji 🎉🎉🎉 som är så lång att den måste vikas över flera rader, även mitt i tecken: €€€€€€€€€€".into(),
            last_contacted: None,
            birthday: Some(Birthday {
                year: Some(1979),
                month: 12,
                day: 1,
            }),
        },
        Contact {
            id: 3,
            uid: "plain-3".into(),
            name: "Telia".into(),
            ..Default::default()
        },
    ]
}

/// Compare with a committed golden file; `UPDATE_GOLDEN=1` rewrites it.
fn golden(name: &str, got: &str) {
    let path = fixture(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, got).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(got, want, "{name} differs (UPDATE_GOLDEN=1 rewrites it)");
}

fn check_lines(text: &str) {
    assert!(text.ends_with("\r\n"));
    for l in text.split("\r\n") {
        assert!(
            !l.contains('\n') && !l.contains('\r'),
            "bare line end in {l:?}"
        );
        assert!(l.len() <= 75, "{} octets: {l:?}", l.len());
    }
}

#[test]
fn golden_v4() {
    let out = vcard::export(&contacts(), Version::V4, now());
    check_lines(&out);
    golden("golden-v4.vcf", &out);
    // spot checks that say why the golden file looks the way it does
    assert!(out.contains("BEGIN:VCARD\r\nVERSION:4.0\r\n"));
    assert!(out.contains("BDAY:--0415\r\n"));
    assert!(out.contains("BDAY:19791201\r\n"));
    assert!(out.contains("ORG:Berg & Co\\; Holding\\, AB\r\n"));
    assert!(out.contains("TEL;TYPE=cell:+46 70 123 45 67\r\n"));
    assert!(out.contains("TEL;TYPE=work,fax:+46 8 555 000\r\n"));
    assert!(out.contains("item1.EMAIL:anna.b@example.com\r\nitem1.X-ABLabel:Private\\, old\r\n"));
    assert!(out.contains("NOTE:Prefers mornings.\\nAssistant: Lisa\\; back\\\\slash\r\n"));
    assert!(out.contains("CATEGORIES:press,vip\r\n"));
    assert!(out.contains("UID:urn:uuid:5e8a1f2c"));
    assert!(out.contains("UID;VALUE=text:plain-3\r\n"));
    assert!(out.contains("REV:20261123T090000Z\r\n"));
    assert!(out.contains("FN:Telia\r\nN:;Telia;;;\r\n"));
    assert_eq!(out.matches("BEGIN:VCARD").count(), 3);
}

#[test]
fn golden_v3() {
    let out = vcard::export(&contacts(), Version::V3, now());
    check_lines(&out);
    golden("golden-v3.vcf", &out);
    assert!(out.contains("VERSION:3.0\r\n"));
    assert!(out.contains("BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15\r\n"));
    assert!(out.contains("BDAY:1979-12-01\r\n"));
    assert!(out.contains("EMAIL;TYPE=INTERNET,WORK:anna@berg.se\r\n"));
    assert!(out.contains("TEL;TYPE=CELL:+46 70 123 45 67\r\n"));
    assert!(out.contains("REV:2026-11-23T09:00:00Z\r\n"));
}

fn strip_ids(mut v: Vec<Contact>) -> Vec<Contact> {
    for c in &mut v {
        c.id = 0;
    }
    v
}

#[test]
fn round_trip_is_stable_in_both_versions() {
    for v in [Version::V4, Version::V3] {
        let first = vcard::export(&contacts(), v, now());
        let back = vcard::import(&first).unwrap();
        assert!(back.errors.is_empty(), "{:?}", back.errors);
        assert!(back.warnings.is_empty(), "{:?}", back.warnings);
        assert_eq!(back.contacts, strip_ids(contacts()), "{v:?}");
        let second = vcard::export(&back.contacts, v, now());
        assert_eq!(first, second, "{v:?}");
    }
}

#[test]
fn apple_shape() {
    let r = vcard::import_bytes(&std::fs::read(fixture("apple.vcf")).unwrap()).unwrap();
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(r.contacts.len(), 2);
    let a = &r.contacts[0];
    assert_eq!(a.name, "Anna Berg");
    assert_eq!(a.uid, "5E8A1F2C-0000-4000-8000-000000000001");
    assert_eq!(a.organization, "Berg & Co");
    assert_eq!(a.emails, vec![Labeled::new("work", "anna@berg.se")]);
    assert_eq!(
        a.phones,
        vec![
            Labeled::new("mobile", "+46 70 123 45 67"),
            Labeled::new("other", "+46 8 555 000")
        ]
    );
    assert_eq!(a.address, "Storgatan 1\n111 22 Stockholm\nSweden");
    assert_eq!(a.notes, "Prefers mornings.\nAssistant: Lisa, ext. 12");
    assert_eq!(
        a.birthday,
        Some(Birthday {
            year: None,
            month: 4,
            day: 15
        })
    );
    assert_eq!(a.tags, vec!["press", "vip"]);
    let b = &r.contacts[1];
    assert_eq!(b.name, "Åsa Söderström");
    assert_eq!(b.organization, "Dagens Industri, Redaktionen");
    assert_eq!(b.emails, vec![Labeled::new("Desk", "asa@di.se")]);
    assert_eq!(
        b.phones,
        vec![Labeled::new("Switchboard (reception)", "08-573 650 00")]
    );
    assert!(
        b.notes.contains("flera rader i filen, precis"),
        "{}",
        b.notes
    );
    assert_eq!(b.birthday.and_then(|x| x.year), Some(1979));
    // and our export of it keeps the custom labels
    let out = vcard::export(&r.contacts, Version::V3, now());
    assert!(out.contains("X-ABLabel:Switchboard (reception)"));
}

#[test]
fn google_shape_lf_only_no_uid() {
    let r = vcard::import_bytes(&std::fs::read(fixture("google.vcf")).unwrap()).unwrap();
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(r.contacts.len(), 2);
    let s = &r.contacts[0];
    assert_eq!(s.name, "Sophie Lind");
    assert_eq!(s.uid, "");
    assert_eq!(
        s.emails,
        vec![
            Labeled::new("home", "sophie@example.com"),
            Labeled::new("", "s.lind@work.example")
        ]
    );
    assert_eq!(s.phones, vec![Labeled::new("mobile", "070-765 43 21")]);
    assert_eq!(s.address, "Vasagatan 2\n411 24 Göteborg\nSE");
    // what a contact cannot hold goes to the notes, with a warning
    assert!(s.notes.starts_with("Met at the gala\n"), "{}", s.notes);
    assert!(s.notes.contains("Phone (work): +46 31 10 20 30 ext. 5"));
    assert!(s.notes.contains("Address (work):\nKungsgatan 9"));
    assert!(s.notes.contains("URL: https://sophie.example"));
    assert!(r.warnings.iter().any(|w| w.message.contains("ext. 5")));
    assert_eq!(s.tags, vec!["mycontacts", "clients"]);
    let t = &r.contacts[1];
    assert_eq!(
        (t.name.as_str(), t.organization.as_str()),
        ("Telia Företag", "Telia Företag")
    );
}

#[test]
fn outlook_shape_21_quoted_printable_cp1252() {
    let bytes = std::fs::read(fixture("outlook.vcf")).unwrap();
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture is Windows-1252"
    );
    let r = vcard::import_bytes(&bytes).unwrap();
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    let k = &r.contacts[0];
    assert_eq!(k.name, "Karl Müller");
    assert_eq!(k.organization, "Müller GmbH");
    assert_eq!(
        k.phones,
        vec![
            Labeled::new("work", "+49 30 1234567"),
            Labeled::new("mobile", "+49 170 1234567"),
            Labeled::new("work fax", "+49 30 1234568"),
        ]
    );
    assert_eq!(k.emails, vec![Labeled::new("", "karl.mueller@example.de")]);
    assert_eq!(k.address, "Hauptstraße 5\n3. OG\n10115 Berlin\nDeutschland");
    assert_eq!(k.notes, "Zahlt immer pünktlich.\nZweite Zeile");
}

#[test]
fn a_bom_and_utf8_qp_are_read() {
    let text = "\u{feff}BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=B6rgen\r\nEND:VCARD\r\n";
    let r = vcard::import(text).unwrap();
    assert_eq!(r.contacts[0].name, "Jörgen");
}

#[test]
fn broken_cards_are_reported_and_the_rest_imported() {
    let r = vcard::import_bytes(&std::fs::read(fixture("broken.vcf")).unwrap()).unwrap();
    let names: Vec<&str> = r.contacts.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, vec!["Good One", "Evil]0;pwned Name", "Second Good"]);
    assert_eq!(r.lines, vec![1, 20, 28]);
    assert_eq!(r.cards, 6);
    let errs: Vec<(usize, Option<&str>)> = r
        .errors
        .iter()
        .map(|e| (e.line, e.uid.as_deref()))
        .collect();
    assert_eq!(
        errs,
        vec![
            (7, Some("no-name-2")),
            (13, None),
            (14, Some("bad-line-3")),
            (33, Some("cut-6")),
        ],
        "{:#?}",
        r.errors
    );
    assert!(r.errors[0].message.contains("no name"));
    assert!(r.errors[1].message.contains("outside a vCard"));
    assert!(r.errors[2].message.contains("line 18") && r.errors[2].message.contains("no ':'"));
    assert!(r.errors[3].message.contains("END:VCARD"));
    // the evil card: escapes stripped, bad e-mail and phone kept in the notes, bad birthday left out
    let evil = &r.contacts[1];
    assert!(evil.validate().is_ok());
    assert!(evil.emails.is_empty() && evil.phones.is_empty());
    assert!(evil.notes.contains("E-mail: not-an-email"));
    assert!(evil.notes.contains("Phone: +46 70 000 00 00;ext=5"));
    assert_eq!(evil.birthday, None);
    let warn: Vec<&str> = r.warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(
        warn.iter().any(|w| w.contains("control characters")),
        "{warn:?}"
    );
    assert!(warn.iter().any(|w| w.contains("birthday")), "{warn:?}");
    assert!(
        r.warnings
            .iter()
            .all(|w| w.uid.as_deref() == Some("evil-4"))
    );
    // a message names the line and the UID
    assert_eq!(
        r.errors[0].to_string(),
        "line 7 (UID no-name-2): the card has no name (FN, N or ORG)"
    );
}

#[test]
fn not_vcard_is_refused() {
    assert_eq!(vcard::import(""), Err(VcardError::Empty));
    assert_eq!(vcard::import("\r\n \r\n"), Err(VcardError::Empty));
    let e = vcard::import("name,email\nAnna,anna@berg.se\n").unwrap_err();
    assert!(
        e.to_string()
            .contains("not a vCard file: line 1 is 'name,email'"),
        "{e}"
    );
    let e = vcard::import("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n").unwrap_err();
    assert!(e.to_string().contains("import ics"), "{e}");
    let e = vcard::import_bytes(&[0x89, b'P', b'N', b'G', 0, 1, 2]).unwrap_err();
    assert!(matches!(e, VcardError::NotVcard { line: 1, .. }), "{e}");
}

// ------------------------------------------------------------------ against a real store

fn ctx(dir: &Path, json: bool) -> Ctx {
    Ctx {
        store: Store::open(&dir.join("db.sqlite")).unwrap(),
        clock: Box::new(FixedClock::new(now())),
        tz: chrono_tz::Europe::Stockholm,
        json,
        config: secretaire::config::Config {
            timezone: chrono_tz::Europe::Stockholm,
            ..Default::default()
        },
    }
}

fn run_import(c: &Ctx, file: &Path, dry_run: bool) -> String {
    let mut out = Vec::new();
    vcf_cmd::import(
        c,
        &ImportVcfArgs {
            file: file.to_path_buf(),
            dry_run,
        },
        &mut out,
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

fn all(c: &Ctx) -> Vec<Contact> {
    c.store.list_contacts(&ContactQuery::default()).unwrap()
}

#[test]
fn import_is_idempotent_by_uid_and_dry_run_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let c = ctx(dir.path(), false);
    let apple = fixture("apple.vcf");

    let out = run_import(&c, &apple, true);
    assert!(out.contains("would be imported 2"), "{out}");
    assert!(out.contains("dry run: nothing was written"), "{out}");
    assert!(all(&c).is_empty());

    let out = run_import(&c, &apple, false);
    assert!(
        out.contains("imported 2, updated 0, unchanged 0, skipped 0"),
        "{out}"
    );
    let first = all(&c);
    assert_eq!(first.len(), 2);

    let out = run_import(&c, &apple, false);
    assert!(
        out.contains("imported 0, updated 0, unchanged 2, skipped 0"),
        "{out}"
    );
    assert_eq!(all(&c), first, "a second import changes nothing");

    // the same UID with a new title updates that contact, keeping its id
    let changed = std::fs::read_to_string(&apple)
        .unwrap()
        .replace("TITLE:CFO", "TITLE:CEO");
    let f = dir.path().join("changed.vcf");
    std::fs::write(&f, changed).unwrap();
    let out = run_import(&c, &f, false);
    assert!(out.contains("imported 0, updated 1, unchanged 1"), "{out}");
    let anna = c
        .store
        .find_contact_by_uid("5E8A1F2C-0000-4000-8000-000000000001")
        .unwrap()
        .unwrap();
    assert_eq!(anna.title, "CEO");
    assert_eq!(
        anna.id,
        first.iter().find(|x| x.name == "Anna Berg").unwrap().id
    );
    assert_eq!(all(&c).len(), 2);

    // cards without a UID (Google) match by name and e-mail the second time
    let google = fixture("google.vcf");
    let out = run_import(&c, &google, false);
    assert!(out.contains("imported 2"), "{out}");
    assert!(out.contains("warning line 1:"), "{out}");
    let out = run_import(&c, &google, false);
    assert!(out.contains("imported 0, updated 0, unchanged 2"), "{out}");
    assert_eq!(all(&c).len(), 4);
    // and the store gave them UIDs, so an export carries one for every card
    let mut buf = Vec::new();
    vcf_cmd::export(
        &c,
        &ExportVcfArgs {
            v3: false,
            output: "-".into(),
        },
        &mut buf,
    )
    .unwrap();
    let text = String::from_utf8(buf).unwrap();
    assert_eq!(text.matches("\r\nUID").count(), 4, "{text}");
}

#[test]
fn import_reports_skipped_cards_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let c = ctx(dir.path(), false);
    let out = run_import(&c, &fixture("broken.vcf"), false);
    assert!(
        out.contains("6 cards; imported 3, updated 0, unchanged 0, skipped 4"),
        "{out}"
    );
    assert!(
        out.contains("skipped line 7 (UID no-name-2): the card has no name"),
        "{out}"
    );
    assert!(
        out.contains("skipped line 33 (UID cut-6): no END:VCARD"),
        "{out}"
    );
    assert_eq!(all(&c).len(), 3);
    // a file with the same UID twice keeps the first
    let f = dir.path().join("dup.vcf");
    std::fs::write(
        &f,
        "BEGIN:VCARD\nVERSION:4.0\nFN:A One\nUID:x\nEND:VCARD\nBEGIN:VCARD\nVERSION:4.0\nFN:A Two\nUID:x\nEND:VCARD\n",
    )
    .unwrap();
    let out = run_import(&c, &f, false);
    assert!(
        out.contains("imported 1") && out.contains("same UID"),
        "{out}"
    );
    assert_eq!(
        c.store.find_contact_by_uid("x").unwrap().unwrap().name,
        "A One"
    );
}

#[test]
fn import_json_and_refusal() {
    let dir = tempfile::tempdir().unwrap();
    let c = ctx(dir.path(), true);
    let out = run_import(&c, &fixture("apple.vcf"), false);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["imported"].as_array().unwrap().len(), 2);
    assert_eq!(v["dry_run"], false);
    let f = dir.path().join("x.csv");
    std::fs::write(&f, "name,email\n").unwrap();
    let err = vcf_cmd::import(
        &c,
        &ImportVcfArgs {
            file: f.clone(),
            dry_run: false,
        },
        &mut Vec::new(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("not a vCard file"), "{err}");
    assert!(err.downcast_ref::<secretaire::cli::UserError>().is_some());
}

#[test]
fn export_writes_a_private_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let c = ctx(dir.path(), false);
    for ct in contacts() {
        let mut ct = ct;
        ct.id = 0;
        c.store.insert_contact(&ct).unwrap();
    }
    let path = dir.path().join("out.vcf");
    // an existing, world-readable file is replaced by a private one
    std::fs::write(&path, "old").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut out = Vec::new();
    vcf_cmd::export(
        &c,
        &ExportVcfArgs {
            v3: true,
            output: path.clone(),
        },
        &mut out,
    )
    .unwrap();
    let msg = String::from_utf8(out).unwrap();
    assert!(msg.contains("exported 3 contacts (vCard 3.0)"), "{msg}");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let text = std::fs::read_to_string(&path).unwrap();
    let back = vcard::import(&text).unwrap();
    assert_eq!(back.contacts.len(), 3);
    assert!(text.contains("VERSION:3.0"));
    // a missing folder is a clear error
    let err = vcf_cmd::export(
        &c,
        &ExportVcfArgs {
            v3: false,
            output: dir.path().join("nope/out.vcf"),
        },
        &mut Vec::new(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("does not exist"), "{err}");
}

// ------------------------------------------------------------------ properties

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Any printable Unicode (no control characters), single-spaced the way import gives it,
/// with the vCard specials mixed in.
fn line_text() -> impl Strategy<Value = String> {
    prop_oneof!["\\PC{1,40}", "[a-zA-ZåäöÅÄÖüß€🎉\\\\;,:\"' .()-]{1,40}",]
        .prop_map(|s| one_line(&s))
}

fn contact_strategy() -> impl Strategy<Value = Contact> {
    (
        line_text().prop_filter("a name", |s| !s.is_empty()),
        line_text(),
        prop_oneof!["\\PC{0,200}", "[a-zA-Z0-9åäö\\\\;,:.🎉\n\t ]{0,200}"],
        proptest::option::of((proptest::option::of(1900i32..2030), 1u32..=12, 1u32..=28)),
        proptest::collection::vec("[a-zåäö0-9-]{1,10}", 0..3),
        prop_oneof!["\\PC{0,12}", "(work|home|mobile|fax|other)( fax)?"],
        prop_oneof!["\\PC{0,60}", "[a-zA-Z0-9åäö,;\\\\\n ]{0,60}"],
        line_text(),
    )
        .prop_map(|(name, org, notes, bday, tags, label, address, title)| {
            let mut tags: Vec<String> = tags;
            tags.dedup();
            let address = address.trim().to_string();
            let label = one_line(&label);
            Contact {
                id: 0,
                uid: format!("uid-{}", name.len()),
                name,
                organization: org,
                title,
                emails: vec![Labeled::new(label.clone(), "a.b@example.com")],
                phones: vec![Labeled::new(label, "+46 (0)70-123 45.67")],
                address,
                tags,
                notes: notes.trim().to_string(),
                last_contacted: None,
                birthday: bday.map(|(year, month, day)| Birthday { year, month, day }),
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn round_trip_random_unicode(cs in proptest::collection::vec(contact_strategy(), 1..4), v3 in any::<bool>()) {
        let v = if v3 { Version::V3 } else { Version::V4 };
        let text = vcard::export(&cs, v, now());
        check_lines(&text);
        let back = vcard::import(&text).unwrap();
        prop_assert!(back.errors.is_empty(), "{:?}", back.errors);
        prop_assert_eq!(&back.contacts, &cs);
        prop_assert_eq!(vcard::export(&back.contacts, v, now()), text);
    }

    #[test]
    fn any_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = vcard::import_bytes(&bytes);
        let mut with_header = b"BEGIN:VCARD\r\n".to_vec();
        with_header.extend(&bytes);
        if let Ok(r) = vcard::import_bytes(&with_header) {
            for c in &r.contacts {
                prop_assert!(c.validate().is_ok());
            }
        }
    }

    #[test]
    fn vcard_like_text_never_panics(lines in proptest::collection::vec(
        prop_oneof![
            Just("BEGIN:VCARD".to_string()),
            Just("END:VCARD".to_string()),
            Just("VERSION:3.0".to_string()),
            "FN[;:=\"A-Za-z]{0,6}:\\PC{0,20}",
            "(TEL|EMAIL|ADR|N|BDAY|CATEGORIES|NOTE|ORG)(;[A-Z=,\"]{0,10})?:[\\PC\\\\;,]{0,30}",
            "item[0-9]\\.X-ABLabel:\\PC{0,10}",
            " \\PC{0,10}",
            "\\PC{0,20}=",
        ], 0..30)) {
        let text = lines.join("\r\n");
        if let Ok(r) = vcard::import(&text) {
            for c in &r.contacts {
                prop_assert!(c.validate().is_ok(), "{:?}", c);
            }
        }
    }
}
