//! The embedded Liberation Serif faces (SIL OFL 1.1, see `fonts/OFL.txt`), metrically
//! compatible with Times New Roman, and text measurement on them. The PDF embeds
//! these faces; the DOCX renderer uses the metrics to size rules under header text
//! exactly as Word will lay out Times New Roman.

use std::sync::LazyLock;

pub(crate) const REGULAR: &[u8] = include_bytes!("../fonts/LiberationSerif-Regular.ttf");
pub(crate) const BOLD: &[u8] = include_bytes!("../fonts/LiberationSerif-Bold.ttf");
pub(crate) const ITALIC: &[u8] = include_bytes!("../fonts/LiberationSerif-Italic.ttf");
pub(crate) const BOLD_ITALIC: &[u8] = include_bytes!("../fonts/LiberationSerif-BoldItalic.ttf");

/// All four faces, in the order regular, bold, italic, bold italic.
pub(crate) const ALL: [&[u8]; 4] = [REGULAR, BOLD, ITALIC, BOLD_ITALIC];

struct Faces([Option<ttf_parser::Face<'static>>; 4]);

static FACES: LazyLock<Faces> =
    LazyLock::new(|| Faces(ALL.map(|data| ttf_parser::Face::parse(data, 0).ok())));

fn face(bold: bool, italic: bool) -> Option<&'static ttf_parser::Face<'static>> {
    let index = usize::from(bold) + 2 * usize::from(italic);
    FACES.0[index].as_ref()
}

/// Advance width of `text` in points at `size` points.
pub(crate) fn text_width_pt(text: &str, size: f64, bold: bool, italic: bool) -> f64 {
    let Some(face) = face(bold, italic) else {
        // The faces are compiled in; this only guards against a corrupt file.
        return text.chars().count() as f64 * size * 0.5;
    };
    let units = f64::from(face.units_per_em());
    let advance: f64 = text
        .chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map_or(units * 0.5, f64::from)
        })
        .sum();
    advance / units * size
}

/// Vertical metrics of the regular face, in em.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub(crate) struct LineMetrics {
    /// Height above the baseline of the line box.
    pub(crate) ascender_em: f64,
    /// Depth below the baseline of the line box (positive).
    pub(crate) descender_em: f64,
    /// Ascender to descender: the box typst sets each line in.
    pub(crate) box_em: f64,
    /// Ascender + descender + line gap: Word's "single" line height.
    pub(crate) single_em: f64,
}

pub(crate) fn line_metrics() -> LineMetrics {
    match face(false, false) {
        Some(face) => {
            let units = f64::from(face.units_per_em());
            let asc = f64::from(face.ascender());
            let desc = f64::from(face.descender());
            let gap = f64::from(face.line_gap());
            LineMetrics {
                ascender_em: asc / units,
                descender_em: -desc / units,
                box_em: (asc - desc) / units,
                single_em: (asc - desc + gap) / units,
            }
        }
        None => LineMetrics {
            ascender_em: 0.891,
            descender_em: 0.216,
            box_em: 1.107,
            single_em: 1.149,
        },
    }
}

/// Typst leading (gap between line boxes) for a spacing of `lines` Word lines.
pub(crate) fn leading_em(lines: f64) -> f64 {
    let m = line_metrics();
    (lines * m.single_em - m.box_em).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faces_parse_and_cover_vietnamese() {
        for (i, data) in ALL.iter().enumerate() {
            let face = ttf_parser::Face::parse(data, 0).expect("face parses");
            for c in "ẮẰẲẴẶắằẳẵặỀỂỄỆềểễệỐỒỔỖỘốồổỗộỚỜỞỠỢớờởỡợỨỪỬỮỰứừửữựỲỴỶỸỳỵỷỹĐđƯưƠơ".chars()
            {
                assert!(face.glyph_index(c).is_some(), "face {i} lacks {c}");
            }
        }
    }

    #[test]
    fn single_line_is_taller_than_the_box() {
        let m = line_metrics();
        assert!(m.single_em > m.box_em && m.single_em < 1.2, "{m:?}");
        assert!(leading_em(1.0) < 0.1);
    }

    #[test]
    fn widths_scale_with_size() {
        let a = text_width_pt("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13.0, true, false);
        let b = text_width_pt("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 26.0, true, false);
        assert!((b - 2.0 * a).abs() < 1e-6);
    }
}
