//! The names the generator draws from: places, organisation templates, departments and
//! teams, with the titles of their heads and what their staff do.

use crate::demo::names::Rng;
use domain::text::fold_vi;
use domain::values::OrgKind;
use std::collections::HashSet;

/// Where an organisation is: a commune or ward of a district.
pub(super) struct Place {
    pub(super) commune_kind: &'static str,
    pub(super) commune: &'static str,
    pub(super) district_kind: &'static str,
    pub(super) district: &'static str,
}

impl Place {
    pub(super) fn pick(rng: &mut Rng) -> Place {
        let (district_kind, district) = *rng.pick(&DISTRICTS);
        let commune = *rng.pick(&COMMUNES);
        // Towns and cities are divided into wards, rural districts into communes.
        let commune_kind = if district_kind == "huyện" {
            if rng.chance(8) { "thị trấn" } else { "xã" }
        } else {
            "phường"
        };
        Place {
            commune_kind,
            commune,
            district_kind,
            district,
        }
    }

    pub(super) fn address(&self) -> String {
        let mut kind = self.commune_kind.to_owned();
        if let Some(first) = kind.get(..1) {
            let upper = first.to_uppercase();
            kind.replace_range(..1, &upper);
        }
        format!(
            "{kind} {}, {} {}",
            self.commune, self.district_kind, self.district
        )
    }

    pub(super) fn fill(&self, pattern: &str, rng: &mut Rng) -> String {
        let mut s = pattern
            .replace("{ck}", self.commune_kind)
            .replace("{c}", self.commune)
            .replace("{dk}", self.district_kind)
            .replace("{d}", self.district);
        if s.contains("{f}") {
            let famous = *rng.pick::<&str>(&FAMOUS);
            s = s.replace("{f}", famous);
        }
        if s.contains("{s}") {
            let sector = *rng.pick::<&str>(&SECTORS);
            s = s.replace("{s}", sector);
        }
        if s.contains("{b}") {
            let brand = format!("{} {}", rng.pick(&BRAND_FIRST), rng.pick(&BRAND_SECOND));
            s = s.replace("{b}", &brand);
        }
        s
    }
}

/// A name not yet used in the province: names repeat across districts in real life, so the
/// district is added first; after that another draw, and at last a number.
pub(super) fn unique_name(
    tpl: &OrgTemplate,
    place: &Place,
    rng: &mut Rng,
    taken: &mut HashSet<String>,
) -> String {
    let mut name = place.fill(tpl.pattern, rng);
    if taken.contains(&name) && !tpl.pattern.contains("{d}") {
        name = format!("{name}, {} {}", place.district_kind, place.district);
    }
    let mut tries = 0;
    while taken.contains(&name) && tries < 20 {
        name = place.fill(tpl.pattern, rng);
        tries += 1;
    }
    if taken.contains(&name) {
        let base = name.clone();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{base} (cơ sở {n})");
            n += 1;
        }
    }
    taken.insert(name.clone());
    name
}

/// Initials of the name's words, without tone marks, at most 12 letters: "Sở Nội vụ" → "SNV".
pub(super) fn abbreviation(name: &str) -> String {
    let mut out = String::new();
    for word in
        name.split(|c: char| c.is_whitespace() || c == ',' || c == '-' || c == '(' || c == ')')
    {
        let Some(c) = word.chars().next() else {
            continue;
        };
        if c == 'đ' || c == 'Đ' {
            out.push('Đ');
        } else if c.is_alphanumeric() {
            out.push_str(&fold_vi(&c.to_string()).to_uppercase());
        }
        if out.chars().count() >= 12 {
            break;
        }
    }
    out
}

#[derive(Default)]
pub(super) struct Singles {
    pub(super) state: usize,
    pub(super) party: usize,
    pub(super) other: usize,
}

/// How an organisation is named and what its leaders are called.
#[derive(Clone, Copy)]
pub(super) struct OrgTemplate {
    /// `{ck} {c}` commune kind and name, `{dk} {d}` district, `{f}` a historical figure,
    /// `{s}` a line of business, `{b}` a trading name.
    pub(super) pattern: &'static str,
    pub(super) head: &'static str,
    pub(super) deputy: &'static str,
}

pub(super) const fn t(
    pattern: &'static str,
    head: &'static str,
    deputy: &'static str,
) -> OrgTemplate {
    OrgTemplate {
        pattern,
        head,
        deputy,
    }
}

pub(super) const STATE_SINGLES: [OrgTemplate; 20] = [
    t("Sở Nội vụ", "Giám đốc Sở", "Phó Giám đốc Sở"),
    t("Sở Tư pháp", "Giám đốc Sở", "Phó Giám đốc Sở"),
    t("Sở Kế hoạch và Đầu tư", "Giám đốc Sở", "Phó Giám đốc Sở"),
    t("Sở Công Thương", "Giám đốc Sở", "Phó Giám đốc Sở"),
    t("Sở Xây dựng", "Giám đốc Sở", "Phó Giám đốc Sở"),
    t("Sở Giao thông vận tải", "Giám đốc Sở", "Phó Giám đốc Sở"),
    t("Sở Y tế", "Giám đốc Sở", "Phó Giám đốc Sở"),
    t("Sở Giáo dục và Đào tạo", "Giám đốc Sở", "Phó Giám đốc Sở"),
    t(
        "Sở Lao động - Thương binh và Xã hội",
        "Giám đốc Sở",
        "Phó Giám đốc Sở",
    ),
    t(
        "Sở Văn hóa, Thể thao và Du lịch",
        "Giám đốc Sở",
        "Phó Giám đốc Sở",
    ),
    t(
        "Sở Tài nguyên và Môi trường",
        "Giám đốc Sở",
        "Phó Giám đốc Sở",
    ),
    t(
        "Sở Thông tin và Truyền thông",
        "Giám đốc Sở",
        "Phó Giám đốc Sở",
    ),
    t(
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Giám đốc Sở",
        "Phó Giám đốc Sở",
    ),
    t("Sở Khoa học và Công nghệ", "Giám đốc Sở", "Phó Giám đốc Sở"),
    t("Sở Ngoại vụ", "Giám đốc Sở", "Phó Giám đốc Sở"),
    t("Thanh tra tỉnh", "Chánh Thanh tra", "Phó Chánh Thanh tra"),
    t(
        "Văn phòng Ủy ban nhân dân tỉnh",
        "Chánh Văn phòng",
        "Phó Chánh Văn phòng",
    ),
    t(
        "Văn phòng Đoàn ĐBQH và HĐND tỉnh",
        "Chánh Văn phòng",
        "Phó Chánh Văn phòng",
    ),
    t("Ban Dân tộc tỉnh", "Trưởng ban", "Phó Trưởng ban"),
    t(
        "Ban Quản lý các Khu công nghiệp tỉnh",
        "Trưởng ban",
        "Phó Trưởng ban",
    ),
];

pub(super) const STATE_TEMPLATES: [OrgTemplate; 18] = [
    t("Ủy ban nhân dân {ck} {c}", "Chủ tịch", "Phó Chủ tịch"),
    t("Ủy ban nhân dân {ck} {c}", "Chủ tịch", "Phó Chủ tịch"),
    t("Ủy ban nhân dân {ck} {c}", "Chủ tịch", "Phó Chủ tịch"),
    t("Công an {ck} {c}", "Trưởng Công an", "Phó Trưởng Công an"),
    t("Công an {ck} {c}", "Trưởng Công an", "Phó Trưởng Công an"),
    t("Trạm Y tế {ck} {c}", "Trạm trưởng", "Phó Trạm trưởng"),
    t("Ủy ban nhân dân {dk} {d}", "Chủ tịch", "Phó Chủ tịch"),
    t(
        "Phòng Giáo dục và Đào tạo {dk} {d}",
        "Trưởng phòng",
        "Phó Trưởng phòng",
    ),
    t(
        "Phòng Tài chính - Kế hoạch {dk} {d}",
        "Trưởng phòng",
        "Phó Trưởng phòng",
    ),
    t("Phòng Nội vụ {dk} {d}", "Trưởng phòng", "Phó Trưởng phòng"),
    t(
        "Phòng Tài nguyên và Môi trường {dk} {d}",
        "Trưởng phòng",
        "Phó Trưởng phòng",
    ),
    t("Trung tâm Y tế {dk} {d}", "Giám đốc", "Phó Giám đốc"),
    t(
        "Chi cục Thuế khu vực {d}",
        "Chi cục trưởng",
        "Phó Chi cục trưởng",
    ),
    t("Kho bạc Nhà nước {d}", "Giám đốc", "Phó Giám đốc"),
    t("Bảo hiểm xã hội {dk} {d}", "Giám đốc", "Phó Giám đốc"),
    t(
        "Chi cục Thống kê {dk} {d}",
        "Chi cục trưởng",
        "Phó Chi cục trưởng",
    ),
    t(
        "Ban Quản lý dự án đầu tư xây dựng {dk} {d}",
        "Giám đốc",
        "Phó Giám đốc",
    ),
    t(
        "Trung tâm Văn hóa - Thể thao {dk} {d}",
        "Giám đốc",
        "Phó Giám đốc",
    ),
];

pub(super) const PARTY_SINGLES: [OrgTemplate; 7] = [
    t("Ban Tổ chức Tỉnh ủy", "Trưởng ban", "Phó Trưởng ban"),
    t("Ban Tuyên giáo Tỉnh ủy", "Trưởng ban", "Phó Trưởng ban"),
    t("Ban Dân vận Tỉnh ủy", "Trưởng ban", "Phó Trưởng ban"),
    t("Ban Nội chính Tỉnh ủy", "Trưởng ban", "Phó Trưởng ban"),
    t("Ủy ban Kiểm tra Tỉnh ủy", "Chủ nhiệm", "Phó Chủ nhiệm"),
    t("Đảng ủy Khối các cơ quan tỉnh", "Bí thư", "Phó Bí thư"),
    t("Đảng ủy Khối doanh nghiệp tỉnh", "Bí thư", "Phó Bí thư"),
];

pub(super) const PARTY_TEMPLATES: [OrgTemplate; 4] = [
    t("Huyện ủy {d}", "Bí thư", "Phó Bí thư"),
    t("Đảng ủy {ck} {c}", "Bí thư", "Phó Bí thư"),
    t("Đảng ủy {ck} {c}", "Bí thư", "Phó Bí thư"),
    t("Ủy ban Kiểm tra Huyện ủy {d}", "Chủ nhiệm", "Phó Chủ nhiệm"),
];

pub(super) const ENTERPRISE_TEMPLATES: [OrgTemplate; 6] = [
    t("Công ty TNHH {b}", "Giám đốc", "Phó Giám đốc"),
    t("Công ty TNHH {s} {b}", "Giám đốc", "Phó Giám đốc"),
    t("Công ty TNHH MTV {s} {d}", "Giám đốc", "Phó Giám đốc"),
    t(
        "Công ty Cổ phần {s} {b}",
        "Tổng Giám đốc",
        "Phó Tổng Giám đốc",
    ),
    t(
        "Công ty Cổ phần {s} {d}",
        "Tổng Giám đốc",
        "Phó Tổng Giám đốc",
    ),
    t("Hợp tác xã {s} {c}", "Giám đốc", "Phó Giám đốc"),
];

pub(super) const EDUCATION_TEMPLATES: [OrgTemplate; 8] = [
    t("Trường Mầm non {c}", "Hiệu trưởng", "Phó Hiệu trưởng"),
    t("Trường Tiểu học {c}", "Hiệu trưởng", "Phó Hiệu trưởng"),
    t("Trường Tiểu học {f}", "Hiệu trưởng", "Phó Hiệu trưởng"),
    t("Trường THCS {f}", "Hiệu trưởng", "Phó Hiệu trưởng"),
    t("Trường THCS {c}", "Hiệu trưởng", "Phó Hiệu trưởng"),
    t("Trường THPT {f}", "Hiệu trưởng", "Phó Hiệu trưởng"),
    t("Trường THPT {d}", "Hiệu trưởng", "Phó Hiệu trưởng"),
    t(
        "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên {dk} {d}",
        "Giám đốc",
        "Phó Giám đốc",
    ),
];

pub(super) const DISTRICTS: [(&str, &str); 16] = [
    ("thành phố", "Sơn Hà"),
    ("thành phố", "Hội An"),
    ("thị xã", "Điện Bàn"),
    ("huyện", "Hòa Vang"),
    ("huyện", "Đại Lộc"),
    ("huyện", "Duy Xuyên"),
    ("huyện", "Quế Sơn"),
    ("huyện", "Thăng Bình"),
    ("huyện", "Tiên Phước"),
    ("huyện", "Núi Thành"),
    ("huyện", "Phú Ninh"),
    ("huyện", "Hiệp Đức"),
    ("huyện", "Nông Sơn"),
    ("huyện", "Nam Giang"),
    ("huyện", "Phước Sơn"),
    ("huyện", "Bắc Trà My"),
];

pub(super) const COMMUNES: [&str; 80] = [
    "Hải Châu",
    "Thạch Thang",
    "Phước Ninh",
    "Bình Hiên",
    "Hòa Cường",
    "Khuê Trung",
    "Thuận Phước",
    "Nại Hiên Đông",
    "Mân Thái",
    "An Khê",
    "Tân Chính",
    "Chính Gián",
    "Vĩnh Trung",
    "Hòa Thuận",
    "Thạc Gián",
    "Minh An",
    "Sơn Phong",
    "Cẩm Phô",
    "Tân An",
    "Cẩm Châu",
    "Cẩm An",
    "Cẩm Nam",
    "Cẩm Thanh",
    "Cửa Đại",
    "Thanh Hà",
    "Hòa Phú",
    "Hòa Bắc",
    "Hòa Liên",
    "Hòa Ninh",
    "Hòa Sơn",
    "Hòa Nhơn",
    "Hòa Phong",
    "Hòa Tiến",
    "Hòa Châu",
    "Hòa Phước",
    "Hòa Khương",
    "Bình Dương",
    "Bình Minh",
    "Bình Trung",
    "Bình Đào",
    "Tam Xuân",
    "Tam Hiệp",
    "Tam Anh",
    "Tam Thanh",
    "Tam Phú",
    "Xuân Phú",
    "Quảng Phú",
    "Điện Minh",
    "Điện Phương",
    "Điện Thắng",
    "Điện Hòa",
    "Điện Ngọc",
    "Duy Hải",
    "Duy Nghĩa",
    "Duy Sơn",
    "Duy Trung",
    "Đại Hiệp",
    "Đại Nghĩa",
    "Đại Quang",
    "Đại Đồng",
    "Quế Xuân",
    "Quế Phú",
    "Quế Thuận",
    "Tiên Kỳ",
    "Tiên Lập",
    "Tiên Cẩm",
    "Phú Thịnh",
    "Phước Năng",
    "Khâm Đức",
    "Thạnh Mỹ",
    "Cà Dy",
    "Trà My",
    "Trà Sơn",
    "Hiệp Hòa",
    "Quế Trung",
    "Sơn Viên",
    "Tân Hiệp",
    "Kỳ Lý",
    "An Mỹ",
    "Trường Xuân",
];

pub(super) const FAMOUS: [&str; 26] = [
    "Nguyễn Du",
    "Trần Phú",
    "Lê Lợi",
    "Quang Trung",
    "Nguyễn Trãi",
    "Phan Châu Trinh",
    "Lê Hồng Phong",
    "Trần Hưng Đạo",
    "Nguyễn Huệ",
    "Chu Văn An",
    "Lý Tự Trọng",
    "Võ Thị Sáu",
    "Hoàng Hoa Thám",
    "Phan Bội Châu",
    "Huỳnh Thúc Kháng",
    "Nguyễn Văn Trỗi",
    "Kim Đồng",
    "Trần Quốc Toản",
    "Ngô Quyền",
    "Hùng Vương",
    "Tô Hiến Thành",
    "Nguyễn Bỉnh Khiêm",
    "Đinh Tiên Hoàng",
    "Lý Thường Kiệt",
    "Trần Cao Vân",
    "Nguyễn Hiền",
];

pub(super) const SECTORS: [&str; 14] = [
    "Thương mại",
    "Xây dựng",
    "Vận tải",
    "Dịch vụ",
    "Thủy sản",
    "Dệt may",
    "Cơ khí",
    "Du lịch",
    "Thực phẩm",
    "Điện tử",
    "Môi trường đô thị",
    "Cấp thoát nước",
    "Nông sản",
    "Vật liệu xây dựng",
];

pub(super) const BRAND_FIRST: [&str; 15] = [
    "Minh",
    "Hoàng",
    "Thành",
    "An",
    "Việt",
    "Phú",
    "Đại",
    "Hưng",
    "Tân",
    "Trường",
    "Thiên",
    "Kim",
    "Bảo",
    "Nam",
    "Đông",
];
pub(super) const BRAND_SECOND: [&str; 14] = [
    "Phát", "Long", "Thịnh", "Khang", "Tín", "Hưng", "Lộc", "Thành", "Phong", "Đạt", "Sơn", "Hải",
    "Quang", "Vinh",
];

/// A department: its name, its heads' titles and what its staff do.
pub(super) struct Dept {
    pub(super) name: &'static str,
    pub(super) abbr: Option<&'static str>,
    pub(super) head: &'static str,
    pub(super) deputy: &'static str,
    pub(super) staff: &'static [&'static str],
}

pub(super) const fn d(
    name: &'static str,
    abbr: Option<&'static str>,
    head: &'static str,
    deputy: &'static str,
    staff: &'static [&'static str],
) -> Dept {
    Dept {
        name,
        abbr,
        head,
        deputy,
        staff,
    }
}

pub(super) const LEADERSHIP_STAFF: &[&str] = &["Chuyên viên", "Thư ký"];
pub(super) const OFFICE_STAFF: &[&str] = &[
    "Chuyên viên",
    "Chuyên viên",
    "Chuyên viên",
    "Chuyên viên chính",
    "Cán sự",
    "Nhân viên",
];
pub(super) const ADMIN_STAFF: &[&str] =
    &["Chuyên viên", "Văn thư", "Kế toán", "Nhân viên", "Thủ quỹ"];
pub(super) const COMPANY_STAFF: &[&str] = &[
    "Nhân viên",
    "Nhân viên",
    "Kỹ sư",
    "Kế toán viên",
    "Chuyên viên",
];
pub(super) const WORKSHOP_STAFF: &[&str] = &[
    "Công nhân",
    "Công nhân",
    "Công nhân vận hành",
    "Kỹ thuật viên",
];
pub(super) const TEACHERS: &[&str] =
    &["Giáo viên", "Giáo viên", "Giáo viên", "Giáo viên chủ nhiệm"];
pub(super) const SCHOOL_OFFICE: &[&str] = &[
    "Văn thư",
    "Kế toán",
    "Thủ quỹ",
    "Nhân viên thư viện",
    "Nhân viên y tế",
];

pub(super) const STATE_DEPTS: [Dept; 9] = [
    d("Ban Lãnh đạo", None, "", "", LEADERSHIP_STAFF),
    d(
        "Văn phòng",
        Some("VP"),
        "Chánh Văn phòng",
        "Phó Chánh Văn phòng",
        ADMIN_STAFF,
    ),
    d(
        "Phòng Tổ chức cán bộ",
        Some("TCCB"),
        "Trưởng phòng",
        "Phó Trưởng phòng",
        OFFICE_STAFF,
    ),
    d(
        "Phòng Kế hoạch - Tài chính",
        Some("KHTC"),
        "Trưởng phòng",
        "Phó Trưởng phòng",
        OFFICE_STAFF,
    ),
    d(
        "Phòng Nghiệp vụ",
        Some("NV"),
        "Trưởng phòng",
        "Phó Trưởng phòng",
        OFFICE_STAFF,
    ),
    d(
        "Thanh tra",
        Some("TTr"),
        "Chánh Thanh tra",
        "Phó Chánh Thanh tra",
        OFFICE_STAFF,
    ),
    d(
        "Phòng Tổng hợp",
        Some("TH"),
        "Trưởng phòng",
        "Phó Trưởng phòng",
        OFFICE_STAFF,
    ),
    d(
        "Phòng Pháp chế",
        Some("PC"),
        "Trưởng phòng",
        "Phó Trưởng phòng",
        OFFICE_STAFF,
    ),
    d("Bộ phận Một cửa", None, "Tổ trưởng", "Tổ phó", OFFICE_STAFF),
];

pub(super) const PARTY_DEPTS: [Dept; 6] = [
    d("Thường trực", None, "", "", LEADERSHIP_STAFF),
    d(
        "Văn phòng",
        Some("VP"),
        "Chánh Văn phòng",
        "Phó Chánh Văn phòng",
        ADMIN_STAFF,
    ),
    d(
        "Phòng Tổ chức - Cán bộ",
        Some("TCCB"),
        "Trưởng phòng",
        "Phó Trưởng phòng",
        OFFICE_STAFF,
    ),
    d(
        "Phòng Tuyên giáo",
        Some("TG"),
        "Trưởng phòng",
        "Phó Trưởng phòng",
        OFFICE_STAFF,
    ),
    d(
        "Phòng Kiểm tra",
        Some("KT"),
        "Trưởng phòng",
        "Phó Trưởng phòng",
        OFFICE_STAFF,
    ),
    d(
        "Phòng Dân vận",
        Some("DV"),
        "Trưởng phòng",
        "Phó Trưởng phòng",
        OFFICE_STAFF,
    ),
];

pub(super) const ENTERPRISE_DEPTS: [Dept; 8] = [
    d("Ban Giám đốc", Some("BGĐ"), "", "", LEADERSHIP_STAFF),
    d(
        "Phòng Hành chính - Nhân sự",
        Some("HCNS"),
        "Trưởng phòng",
        "Phó Trưởng phòng",
        ADMIN_STAFF,
    ),
    d(
        "Phòng Kế toán",
        Some("KT"),
        "Kế toán trưởng",
        "Phó phòng",
        COMPANY_STAFF,
    ),
    d(
        "Phòng Kinh doanh",
        Some("KD"),
        "Trưởng phòng",
        "Phó Trưởng phòng",
        COMPANY_STAFF,
    ),
    d(
        "Phòng Kỹ thuật",
        Some("KT"),
        "Trưởng phòng",
        "Phó Trưởng phòng",
        COMPANY_STAFF,
    ),
    d(
        "Phân xưởng sản xuất",
        None,
        "Quản đốc",
        "Phó Quản đốc",
        WORKSHOP_STAFF,
    ),
    d(
        "Phòng Vật tư",
        None,
        "Trưởng phòng",
        "Phó Trưởng phòng",
        COMPANY_STAFF,
    ),
    d(
        "Đội Vận hành",
        None,
        "Đội trưởng",
        "Đội phó",
        WORKSHOP_STAFF,
    ),
];

pub(super) const EDUCATION_DEPTS: [Dept; 7] = [
    d("Ban Giám hiệu", Some("BGH"), "", "", LEADERSHIP_STAFF),
    d("Tổ Toán - Tin", None, "Tổ trưởng", "Tổ phó", TEACHERS),
    d("Tổ Ngữ văn", None, "Tổ trưởng", "Tổ phó", TEACHERS),
    d(
        "Tổ Khoa học tự nhiên",
        None,
        "Tổ trưởng",
        "Tổ phó",
        TEACHERS,
    ),
    d("Tổ Khoa học xã hội", None, "Tổ trưởng", "Tổ phó", TEACHERS),
    d("Tổ Ngoại ngữ", None, "Tổ trưởng", "Tổ phó", TEACHERS),
    d("Tổ Văn phòng", None, "Tổ trưởng", "Tổ phó", SCHOOL_OFFICE),
];

pub(super) fn departments_of(kind: OrgKind) -> &'static [Dept] {
    match kind {
        OrgKind::StateAgency => &STATE_DEPTS,
        OrgKind::PartyBody => &PARTY_DEPTS,
        OrgKind::Enterprise => &ENTERPRISE_DEPTS,
        OrgKind::Education => &EDUCATION_DEPTS,
    }
}

/// A team: guards and drivers sit in a department; the self-defence platoon and the
/// fire-fighting team answer to the organisation.
pub(super) struct Team {
    pub(super) name: &'static str,
    pub(super) head: &'static str,
    pub(super) member: &'static str,
    pub(super) staff: &'static [&'static str],
    pub(super) under_org: bool,
    pub(super) self_defence: bool,
    pub(super) fire_force: bool,
}

pub(super) const TEAMS: [Team; 4] = [
    Team {
        name: "Tổ Bảo vệ",
        head: "Tổ trưởng",
        member: "Tổ phó",
        staff: &["Nhân viên bảo vệ"],
        under_org: false,
        self_defence: false,
        fire_force: false,
    },
    Team {
        name: "Tổ Lái xe",
        head: "Tổ trưởng",
        member: "Nhân viên lái xe",
        staff: &["Nhân viên lái xe"],
        under_org: false,
        self_defence: false,
        fire_force: false,
    },
    Team {
        name: "Trung đội Tự vệ cơ quan",
        head: "Trung đội trưởng",
        member: "Tiểu đội trưởng",
        staff: &["Chiến sĩ tự vệ"],
        under_org: true,
        self_defence: true,
        fire_force: false,
    },
    Team {
        name: "Đội Phòng cháy chữa cháy cơ sở",
        head: "Đội trưởng",
        member: "Đội phó",
        staff: &["Đội viên"],
        under_org: true,
        self_defence: false,
        fire_force: true,
    },
];
