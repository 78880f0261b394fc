//! Movement models and news for the province-scale set: each organisation gets 0–3 models
//! (most with activities in the current and previous evaluation windows, some reviewed, some
//! silent so the province page has gaps to show) and a few articles for its staff.

use super::*;

const MODEL_NAMES: &[&str] = &[
    "Tổ tự quản về an ninh, trật tự cơ quan",
    "Tổ bảo vệ cơ quan và phòng cháy, chữa cháy",
    "Cơ quan an toàn — không ma túy, không tệ nạn xã hội",
    "Camera an ninh tại trụ sở",
    "Cổng trường an toàn giao thông, an ninh trật tự",
    "Tổ liên gia an toàn phòng cháy, chữa cháy",
];
const ACTIVITIES: &[&str] = &[
    "Tuần tra trụ sở ngoài giờ hành chính",
    "Kiểm tra phương tiện phòng cháy, chữa cháy",
    "Sinh hoạt chuyên đề về bảo vệ bí mật nhà nước",
    "Diễn tập phương án chữa cháy tại chỗ",
];
const RATINGS: &[(&str, i64)] = &[("very_effective", 3), ("effective", 2), ("limited", 1)];

impl Generator<'_> {
    pub(super) async fn movement(&mut self, tx: &mut WriteTx) -> Result<()> {
        let mut next_model = next_id(tx, "movement_models").await?;
        let mut next_activity = next_id(tx, "movement_activities").await?;
        let mut next_article = next_id(tx, "news_articles").await?;
        let mut models = Rows::new(
            self.backend,
            "movement_models",
            &[
                "id",
                "org_id",
                "unit_path",
                "name",
                "name_folded",
                "description",
                "since",
                "created_at",
                "updated_at",
            ],
        );
        let mut members = Rows::new(
            self.backend,
            "movement_members",
            &["model_id", "person_id", "role", "added_at"],
        );
        let mut activities = Rows::new(
            self.backend,
            "movement_activities",
            &["id", "model_id", "on_day", "title", "created_at"],
        );
        let mut reviews = Rows::new(
            self.backend,
            "movement_reviews",
            &[
                "model_id",
                "year",
                "rating",
                "rating_rank",
                "reviewer",
                "reviewed_on",
                "created_at",
            ],
        );
        let mut articles = Rows::new(
            self.backend,
            "news_articles",
            &[
                "id",
                "org_id",
                "audience_unit_id",
                "audience_path",
                "title",
                "summary",
                "body_html",
                "publish_at",
                "author_name",
                "read_count",
                "created_at",
                "updated_at",
            ],
        );
        // The agency window of TT 124 (16/11 → 15/11); generated data need not follow a later
        // change of the configured rule.
        let year = if (self.today.month(), self.today.day()) >= (11, 16) {
            self.today.year() + 1
        } else {
            self.today.year()
        };
        let window_start = NaiveDate::from_ymd_opt(year - 1, 11, 16).unwrap_or(self.today);
        let span = (self.today - window_start).num_days().max(0) as u64;
        let (now, today) = (self.now, self.today);
        for oi in 0..self.orgs.len() {
            let (org_id, path, people) = {
                let o = &self.orgs[oi];
                (o.id, o.path.clone(), o.people.clone())
            };
            let n = self.rng.below(4);
            for k in 0..n {
                let id = next_model;
                next_model += 1;
                let name = MODEL_NAMES[(oi + k as usize) % MODEL_NAMES.len()];
                let since = NaiveDate::from_ymd_opt(
                    2012 + self.rng.below(12) as i32,
                    1 + self.rng.below(12) as u32,
                    1,
                )
                .unwrap_or(today);
                models
                    .v(id)
                    .v(org_id)
                    .v(path.clone())
                    .v(name.to_owned())
                    .v(fold_vi(name))
                    .v(None::<String>)
                    .v(since.to_string())
                    .v(now)
                    .v(now);
                models.end_row();
                for (j, pi) in people.clone().take(3).enumerate() {
                    let role = if j == 0 {
                        "Tổ trưởng"
                    } else {
                        "Tổ viên"
                    };
                    members
                        .v(id)
                        .v(self.people[pi].id)
                        .v(role.to_owned())
                        .v(now);
                    members.end_row();
                }
                // One model in five falls silent this year; the rest record 1–4 activities.
                let silent = self.rng.chance(20);
                let acts = if silent { 0 } else { 1 + self.rng.below(4) };
                for _ in 0..acts {
                    let day = window_start
                        .checked_add_days(Days::new(self.rng.below(span + 1)))
                        .unwrap_or(today);
                    activities
                        .v(next_activity)
                        .v(id)
                        .v(day.to_string())
                        .v(self.rng.pick(ACTIVITIES).to_string())
                        .v(now);
                    activities.end_row();
                    next_activity += 1;
                }
                if self.rng.chance(60) {
                    let (rating, rank) = *self.rng.pick(RATINGS);
                    let on = NaiveDate::from_ymd_opt(year - 1, 11, 25)
                        .unwrap_or(today)
                        .min(today);
                    reviews
                        .v(id)
                        .v(i64::from(year - 1))
                        .v(rating.to_owned())
                        .v(rank)
                        .v("Thủ trưởng cơ quan".to_owned())
                        .v(on.to_string())
                        .v(now);
                    reviews.end_row();
                }
            }
            for a in 0..(2 + self.rng.below(3)) {
                let at = now - (self.rng.below(200 * 24) as i64 + 1) * 3_600_000;
                let title = format!("Thông báo công tác bảo đảm an ninh, trật tự số {}", a + 1);
                articles
                    .v(next_article).v(org_id).v(org_id).v(path.clone()).v(title)
                    .v(Some("Thông báo nội bộ về công tác bảo vệ cơ quan.".to_owned()))
                    .v("<p>Đề nghị cán bộ, công chức, người lao động thực hiện nghiêm nội quy bảo vệ cơ quan và phòng cháy, chữa cháy.</p>".to_owned())
                    .v(at).v("Cán bộ phụ trách an ninh, trật tự".to_owned()).v(0i64).v(at).v(at);
                articles.end_row();
                next_article += 1;
            }
            // Rows referencing models go out only after the models they reference.
            if !members.full.is_empty() || !activities.full.is_empty() || !reviews.full.is_empty() {
                models.flush(tx).await?;
            }
            models.flush_full(tx).await?;
            members.flush_full(tx).await?;
            activities.flush_full(tx).await?;
            reviews.flush_full(tx).await?;
            articles.flush_full(tx).await?;
        }
        models.flush(tx).await?;
        members.flush(tx).await?;
        activities.flush(tx).await?;
        reviews.flush(tx).await?;
        articles.flush(tx).await?;
        self.report.models = models.written;
        self.report.articles = articles.written;
        Ok(())
    }
}
