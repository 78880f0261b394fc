//! Document types (thể loại văn bản): the input code of each type, its printed name,
//! and the copy types. Which abbreviation a type prints in the ký hiệu depends on the
//! format and lives in the layout profile, not here.

use serde::{Deserialize, Serialize};

use crate::error::Error;

macro_rules! document_types {
    ($( $variant:ident => $code:literal, $name:literal; )*) => {
        /// A document type, identified in input by its NĐ 30/2020 abbreviation (or the
        /// Party one where the state format has none: `KL`, `TT`, and `CV` for công văn).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum DocumentType {
            $( #[doc = $name] $variant, )*
        }

        impl DocumentType {
            /// Every type, in table order.
            pub const ALL: &'static [DocumentType] = &[$(DocumentType::$variant,)*];

            /// The input code, for example `"KH"`.
            pub fn code(self) -> &'static str {
                match self { $(DocumentType::$variant => $code,)* }
            }

            /// The type name as printed in the title, in sentence case (`"Kế hoạch"`).
            pub fn name(self) -> &'static str {
                match self { $(DocumentType::$variant => $name,)* }
            }
        }
    };
}

document_types! {
    NghiQuyet => "NQ", "Nghị quyết";
    QuyetDinh => "QĐ", "Quyết định";
    ChiThi => "CT", "Chỉ thị";
    KetLuan => "KL", "Kết luận";
    QuyChe => "QC", "Quy chế";
    QuyDinh => "QyĐ", "Quy định";
    ThongTri => "TT", "Thông tri";
    ThongCao => "TC", "Thông cáo";
    ThongBao => "TB", "Thông báo";
    HuongDan => "HD", "Hướng dẫn";
    ChuongTrinh => "CTr", "Chương trình";
    KeHoach => "KH", "Kế hoạch";
    PhuongAn => "PA", "Phương án";
    DeAn => "ĐA", "Đề án";
    DuAn => "DA", "Dự án";
    BaoCao => "BC", "Báo cáo";
    BienBan => "BB", "Biên bản";
    ToTrinh => "TTr", "Tờ trình";
    HopDong => "HĐ", "Hợp đồng";
    CongDien => "CĐ", "Công điện";
    BanGhiNho => "BGN", "Bản ghi nhớ";
    BanThoaThuan => "BTT", "Bản thỏa thuận";
    GiayUyQuyen => "GUQ", "Giấy ủy quyền";
    GiayMoi => "GM", "Giấy mời";
    GiayGioiThieu => "GGT", "Giấy giới thiệu";
    GiayNghiPhep => "GNP", "Giấy nghỉ phép";
    PhieuGui => "PG", "Phiếu gửi";
    PhieuChuyen => "PC", "Phiếu chuyển";
    PhieuBao => "PB", "Phiếu báo";
    BanSaoY => "SY", "Bản sao y";
    BanTrichSao => "TrS", "Bản trích sao";
    BanSaoLuc => "SL", "Bản sao lục";
    CongVan => "CV", "Công văn";
}

impl DocumentType {
    /// Parses an input code. Matching is exact after trimming, except that the older
    /// Party spelling `QĐi` is accepted for a quy định.
    pub fn parse(code: &str) -> Result<Self, Error> {
        let code = code.trim();
        if code == "QĐi" {
            return Ok(DocumentType::QuyDinh);
        }
        Self::ALL
            .iter()
            .copied()
            .find(|t| t.code() == code)
            .ok_or_else(|| Error::UnknownDocumentType {
                code: code.to_owned(),
                known: Self::ALL
                    .iter()
                    .map(|t| t.code())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// A công văn prints no type name; every other type does.
    pub fn prints_name(self) -> bool {
        self != DocumentType::CongVan
    }

    /// Copies (bản sao) keep their own number sequence in the state format.
    pub fn is_copy(self) -> bool {
        matches!(
            self,
            DocumentType::BanSaoY | DocumentType::BanTrichSao | DocumentType::BanSaoLuc
        )
    }
}

impl std::fmt::Display for DocumentType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for DocumentType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for DocumentType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        DocumentType::parse(&code).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for t in DocumentType::ALL {
            assert_eq!(DocumentType::parse(t.code()).unwrap(), *t);
        }
    }

    #[test]
    fn unknown_code_names_the_code() {
        let e = DocumentType::parse("XYZ").unwrap_err();
        assert!(e.to_string().contains("\"XYZ\""), "{e}");
        assert!(e.to_string().starts_with("loại văn bản không xác định"));
    }

    #[test]
    fn party_spelling_of_quy_dinh() {
        assert_eq!(DocumentType::parse("QĐi").unwrap(), DocumentType::QuyDinh);
    }
}
