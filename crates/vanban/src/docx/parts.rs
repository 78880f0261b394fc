//! Building blocks of the DOCX writer: unit conversions, runs in a profile style,
//! centred block paragraphs, rules drawn as paragraph borders, borderless tables.

use docx_rs::{
    AlignmentType, BorderType, BreakType, LineSpacing, LineSpacingType, Paragraph, ParagraphBorder,
    ParagraphBorderPosition, Run, RunFonts, Table, TableCell, TableLayoutType, TableRow,
    TextBorder, WidthType,
};

use crate::fonts;
use crate::profile::{Profile, Rule, RuleKind, TextStyle};

/// Millimetres to twentieths of a point.
pub(super) fn twips(mm: f64) -> i32 {
    (mm * 1440.0 / 25.4).round() as i32
}

/// Points to twentieths of a point.
pub(super) fn pt_twips(pt: f64) -> u32 {
    (pt * 20.0).round().max(0.0) as u32
}

/// Point size to the half-points of `w:sz`.
pub(super) fn half_points(size: f64) -> usize {
    (size * 2.0).round().max(1.0) as usize
}

/// Style context of one render.
pub(super) struct Ctx<'a> {
    pub(super) profile: &'a Profile,
}

impl Ctx<'_> {
    /// The family named on all four `rFonts` slots, so that Word never substitutes
    /// another font for Vietnamese characters (which it may treat as complex script).
    pub(super) fn fonts(&self) -> RunFonts {
        let family = self.profile.fonts.docx_family.value.as_str();
        RunFonts::new()
            .ascii(family)
            .hi_ansi(family)
            .east_asia(family)
            .cs(family)
    }

    /// A run of `text` in `style`.
    pub(super) fn run(&self, style: &TextStyle, text: &str) -> Run {
        self.styled(Run::new().add_text(text), style)
    }

    /// A run of several lines separated by line breaks.
    pub(super) fn lines_run(&self, style: &TextStyle, lines: &[String]) -> Run {
        let mut run = Run::new();
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                run = run.add_break(BreakType::TextWrapping);
            }
            run = run.add_text(line);
        }
        self.styled(run, style)
    }

    pub(super) fn styled(&self, mut run: Run, style: &TextStyle) -> Run {
        run = run.size(half_points(style.size)).fonts(self.fonts());
        if style.bold {
            run = run.bold();
        }
        if style.italic {
            run = run.italic();
        }
        if style.underline {
            run = run.underline("single");
        }
        run
    }

    /// Line spacing of `lines` lines with space before and after in points.
    pub(super) fn spacing(&self, lines: f64, before_pt: f64, after_pt: f64) -> LineSpacing {
        LineSpacing::new()
            .line((lines * 240.0).round() as i32)
            .line_rule(LineSpacingType::Auto)
            .before(pt_twips(before_pt))
            .after(pt_twips(after_pt))
    }

    /// A centred, single-spaced block paragraph.
    pub(super) fn centred(&self, run: Run, before_pt: f64) -> Paragraph {
        Paragraph::new()
            .add_run(run)
            .align(AlignmentType::Center)
            .line_spacing(self.spacing(
                self.profile.spacing.block_line_spacing.value,
                before_pt,
                0.0,
            ))
    }

    /// The rule under a header element whose text is `lines` in `style`, centred in a
    /// cell `cell_mm` wide. A line is a bottom border on an empty paragraph narrowed
    /// by equal indents, so that its length follows the profile exactly.
    pub(super) fn rule(
        &self,
        rule: &Rule,
        lines: &[String],
        style: &TextStyle,
        cell_mm: f64,
    ) -> Option<Paragraph> {
        match rule.kind {
            RuleKind::None => None,
            RuleKind::Star | RuleKind::Dashes => {
                Some(self.centred(self.run(&self.profile.text.star, &rule.text), 0.0))
            }
            RuleKind::Line => {
                let widest_pt = lines
                    .iter()
                    .map(|l| fonts::text_width_pt(l, style.size, style.bold, style.italic))
                    .fold(0.0, f64::max);
                let cell_pt = cell_mm * 72.0 / 25.4;
                let length_pt = (widest_pt.min(cell_pt) * rule.fraction)
                    .max(rule.min_mm * 72.0 / 25.4)
                    .min(cell_pt);
                let side = pt_twips((cell_pt - length_pt) / 2.0) as i32;
                let stroke = self.profile.rules.stroke_pt.value;
                let mut p = Paragraph::new()
                    .indent(Some(side), None, Some(side), None)
                    .size(2)
                    .line_spacing(
                        LineSpacing::new()
                            .line(pt_twips(1.0) as i32)
                            .line_rule(LineSpacingType::Exact)
                            .before(pt_twips(self.profile.rules.gap_pt.value)),
                    );
                p.property = p.property.set_border(
                    ParagraphBorder::new(ParagraphBorderPosition::Bottom)
                        .val(BorderType::Single)
                        // w:sz of a border is in eighths of a point.
                        .size((stroke * 8.0).round().max(2.0) as usize)
                        .space(0),
                );
                Some(p)
            }
        }
    }

    /// An urgency or secrecy stamp: bold text in a coloured frame.
    pub(super) fn mark(&self, text: &str) -> Paragraph {
        let color = self.profile.rules.mark_color.value.trim_start_matches('#');
        let run = self
            .run(&self.profile.text.mark, text)
            .color(color)
            .text_border(
                TextBorder::new()
                    .border_type(BorderType::Single)
                    .size(12)
                    .space(self.profile.rules.mark_padding_pt.value.round() as usize)
                    .color(color),
            );
        self.centred(run, self.profile.spacing.mark_before_pt.value)
    }
}

/// A fixed-layout table without borders, columns given in mm.
pub(super) fn borderless(rows: Vec<Vec<Vec<Paragraph>>>, widths_mm: &[f64]) -> Table {
    let grid: Vec<usize> = widths_mm
        .iter()
        .map(|w| twips(*w).max(0) as usize)
        .collect();
    let rows = rows
        .into_iter()
        .map(|cells| {
            TableRow::new(
                cells
                    .into_iter()
                    .zip(&grid)
                    .map(|(paragraphs, width)| {
                        let mut cell = TableCell::new().width(*width, WidthType::Dxa);
                        if paragraphs.is_empty() {
                            cell = cell.add_paragraph(Paragraph::new());
                        }
                        for p in paragraphs {
                            cell = cell.add_paragraph(p);
                        }
                        cell
                    })
                    .collect(),
            )
            // Header and signature blocks never break across pages.
            .cant_split()
        })
        .collect();
    let total = grid.iter().sum();
    Table::without_borders(rows)
        .set_grid(grid)
        .layout(TableLayoutType::Fixed)
        .width(total, WidthType::Dxa)
}
