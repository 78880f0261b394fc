-- Movement models (mô hình của phong trào Toàn dân bảo vệ an ninh Tổ quốc) with members,
-- activities, evidence files and yearly reviews; the rule that says which model "works" in an
-- evaluation year, as configuration with its legal basis; news articles with their audience,
-- images and read receipts.
-- Days are ISO text; instants are milliseconds; flags are 0/1.

-- One row per rule version, applying from `from_year` (evaluation year) until the next row.
-- The evaluation year Y runs from window_start of Y-1 to window_end of Y (MM-DD each).
CREATE TABLE movement_rules (
    from_year      INTEGER PRIMARY KEY,
    window_start   TEXT NOT NULL,
    window_end     TEXT NOT NULL,
    min_rating     TEXT NOT NULL,
    min_activities INTEGER NOT NULL,
    min_models     INTEGER NOT NULL,
    basis          TEXT NOT NULL,
    created_at     INTEGER NOT NULL
);
INSERT INTO movement_rules (from_year, window_start, window_end, min_rating, min_activities, min_models, basis, created_at)
VALUES (2022, '11-16', '11-15', 'effective', 1, 1,
 'Thông tư 124/2021/TT-BCA, Điều 6 khoản 1: có ít nhất 01 mô hình của phong trào hoạt động hiệu quả [C]; kỳ đánh giá từ 16/11 năm trước đến 15/11 năm đánh giá, Điều 8 khoản 2 điểm b [C]. Mô hình đang hoạt động trong kỳ được tính là hiệu quả khi đánh giá của năm đạt mức "Hiệu quả" trở lên; khi chưa có đánh giá của năm, khi có ít nhất 01 hoạt động ghi nhận trong kỳ (quy ước của hệ thống, chờ hướng dẫn) [M].',
 0);

CREATE TABLE movement_models (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES units(id),
    unit_path   TEXT NOT NULL,
    name        TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    description TEXT,
    since       TEXT NOT NULL,
    ended_on    TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX movement_models_org ON movement_models(org_id, name_folded, id);
CREATE INDEX movement_models_path ON movement_models(unit_path);
CREATE INDEX movement_models_name ON movement_models(name_folded, id);

CREATE TABLE movement_members (
    model_id  INTEGER NOT NULL REFERENCES movement_models(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    role      TEXT NOT NULL,
    added_at  INTEGER NOT NULL,
    PRIMARY KEY (model_id, person_id)
);
CREATE INDEX movement_members_person ON movement_members(person_id);

CREATE TABLE movement_activities (
    id         INTEGER PRIMARY KEY,
    model_id   INTEGER NOT NULL REFERENCES movement_models(id),
    on_day     TEXT NOT NULL,
    title      TEXT NOT NULL,
    note       TEXT,
    created_by INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX movement_activities_model ON movement_activities(model_id, on_day, id);

CREATE TABLE movement_evidence (
    id           INTEGER PRIMARY KEY,
    activity_id  INTEGER NOT NULL REFERENCES movement_activities(id),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX movement_evidence_activity ON movement_evidence(activity_id, id);

CREATE TABLE movement_reviews (
    id          INTEGER PRIMARY KEY,
    model_id    INTEGER NOT NULL REFERENCES movement_models(id),
    year        INTEGER NOT NULL,
    rating      TEXT NOT NULL,
    rating_rank INTEGER NOT NULL,
    reviewer    TEXT NOT NULL,
    reviewed_on TEXT NOT NULL,
    note        TEXT,
    created_by  INTEGER,
    created_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX movement_reviews_year ON movement_reviews(model_id, year);

-- News: the audience is a unit subtree (an organisation, a department, or the province).
CREATE TABLE news_articles (
    id               INTEGER PRIMARY KEY,
    org_id           INTEGER REFERENCES units(id),
    audience_unit_id INTEGER NOT NULL REFERENCES units(id),
    audience_path    TEXT NOT NULL,
    title            TEXT NOT NULL,
    summary          TEXT,
    body_html        TEXT NOT NULL,
    publish_at       INTEGER NOT NULL,
    author_id        INTEGER,
    author_name      TEXT NOT NULL,
    read_count       INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX news_articles_audience ON news_articles(audience_path, publish_at, id);
CREATE INDEX news_articles_publish ON news_articles(publish_at, id);

CREATE TABLE news_reads (
    article_id INTEGER NOT NULL REFERENCES news_articles(id),
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    read_at    INTEGER NOT NULL,
    PRIMARY KEY (article_id, account_id)
);

CREATE TABLE news_images (
    id           INTEGER PRIMARY KEY,
    unit_path    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    created_by   INTEGER,
    created_at   INTEGER NOT NULL
);
CREATE INDEX news_images_path ON news_images(unit_path);
