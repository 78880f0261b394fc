//! Scope and secrecy of campaigns on SQLite, and on PostgreSQL with
//! `ANTOAN_TEST_DATABASE_URL`: an organisation never sees another's people or figures; a
//! province-wide campaign reaches everyone; the overseer sees figures, not secret text.

mod fixtures;

use fixtures::*;
use store::commitments::{self, PersonFilter};
use store::directives;
use store::registers::{Level, Viewer};
use store::scope::{CampaignManage, CampaignView, DirectiveView, Grants};
use store::{Error, Scope, units};

#[tokio::test]
async fn scope_hides_other_organisations_and_province_campaigns_reach_everyone() {
    let f = setup().await;
    let db = &f.t.db;
    let office_campaign =
        commitments::create(db, &admin(db).await, &actor(), &campaign_input(f.office))
            .await
            .unwrap();
    let province = units::province(db).await.unwrap().unwrap();
    let province_campaign =
        commitments::create(db, &admin(db).await, &actor(), &campaign_input(province.id))
            .await
            .unwrap();
    let stc_view: Scope<CampaignView> = org_scope(db, f.stc).await;
    // Another organisation's campaign does not exist for the school.
    assert!(matches!(
        commitments::get(db, &stc_view, office_campaign.id).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        commitments::coverage(db, &stc_view, &office_campaign, Some(f.office)).await,
        Err(Error::NotFound)
    ));
    let listed = commitments::list(db, &stc_view, None, 50).await.unwrap();
    assert_eq!(
        listed.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![province_campaign.id]
    );
    // The province campaign: the school sees its own part only.
    let c = commitments::get(db, &stc_view, province_campaign.id)
        .await
        .unwrap();
    let cov = commitments::coverage(db, &stc_view, &c, None)
        .await
        .unwrap();
    assert_eq!(cov.area.id, f.stc);
    assert_eq!(cov.figures.required, staff(db, f.stc).await.len() as i64);
    assert!(matches!(
        commitments::coverage(db, &stc_view, &c, Some(province.id)).await,
        Err(Error::NotFound)
    ));
    let names = commitments::people(db, &stc_view, &c, None, PersonFilter::All, None, 5000)
        .await
        .unwrap()
        .0;
    let stc_people = staff(db, f.stc).await;
    assert!(names.iter().all(|p| stc_people.contains(&p.person_id)));
    // The province view groups by organisation.
    let all = commitments::coverage(db, &admin(db).await, &c, None)
        .await
        .unwrap();
    assert!(all.lines.len() >= 5);
    assert!(all.lines.iter().any(|l| l.unit_id == f.office));
    // Launching in another organisation is refused.
    let stc_manage: Scope<CampaignManage> = org_scope(db, f.stc).await;
    assert!(matches!(
        commitments::create(db, &stc_manage, &actor(), &campaign_input(f.office)).await,
        Err(Error::Invalid("err.unit_unknown"))
    ));
    let _ = Grants::default();
}

#[tokio::test]
async fn secret_directives_show_figures_not_text() {
    let f = setup().await;
    let db = &f.t.db;
    let id = directives::create(
        db,
        &admin(db).await,
        &actor(),
        &directive(f.office, Level::Mat),
        &[],
        1 << 20,
    )
    .await
    .unwrap();
    let province_view: Scope<DirectiveView> = admin(db).await;
    let d = directives::get(db, &province_view, &Viewer::uncleared(), id)
        .await
        .unwrap();
    assert!(d.redacted && d.title.is_none() && d.body.is_none());
    assert_eq!(d.code, "124/2021/TT-BCA");
    let cleared = directives::get(
        db,
        &province_view,
        &Viewer {
            clearance: Level::Mat,
        },
        id,
    )
    .await
    .unwrap();
    assert_eq!(
        cleared.body.as_deref(),
        Some("Điều 1. Phạm vi điều chỉnh ...")
    );
    let stc_view: Scope<DirectiveView> = org_scope(db, f.stc).await;
    assert!(matches!(
        directives::get(
            db,
            &stc_view,
            &Viewer {
                clearance: Level::TuyetMat
            },
            id
        )
        .await,
        Err(Error::NotFound)
    ));
    // Attachments are checked: a renamed executable is refused and nothing is saved.
    let before = scalar(db, "SELECT COUNT(*) FROM directives WHERE id > $1", 0).await;
    let exe = store::attachments::NewFile {
        name: "van-ban.pdf".into(),
        content_type: "application/pdf".into(),
        bytes: b"MZ\x90\x00".to_vec(),
    };
    assert!(matches!(
        directives::create(
            db,
            &admin(db).await,
            &actor(),
            &directive(f.office, Level::None),
            &[exe],
            1 << 20
        )
        .await,
        Err(Error::Invalid("err.file_type"))
    ));
    assert_eq!(
        scalar(db, "SELECT COUNT(*) FROM directives WHERE id > $1", 0).await,
        before
    );
}
