//! DOCX rendering with docx-rs: the same plan as the PDF, laid out with Word's own
//! means (borderless tables for the side-by-side blocks, paragraph borders for
//! rules, a header that is empty on the title page and holds the page number after).

mod parts;

use docx_rs::{
    AlignmentType, Docx, FieldCharType, Header, InstrPAGE, InstrText, PageMargin, Paragraph, Run,
    SpecialIndentType, Table, TableAlignmentType, TableCell, TableLayoutType, TableRow, WidthType,
};

use crate::error::{Error, Result};
use crate::fonts;
use crate::model::Document;
use crate::prepare::{Item, Plan};
use crate::profile::DatePosition;
use parts::{Ctx, borderless, half_points, twips};

/// Renders `doc` to DOCX bytes.
pub fn render_docx(doc: &Document) -> Result<Vec<u8>> {
    let plan = Plan::new(doc)?;
    let ctx = Ctx {
        profile: plan.profile,
    };
    let p = plan.profile;
    let page = &p.page;

    let mut docx = Docx::new()
        .page_size(
            twips(page.width_mm.value) as u32,
            twips(page.height_mm.value) as u32,
        )
        .page_margin(PageMargin {
            top: twips(page.top_mm.value),
            bottom: twips(page.bottom_mm.value),
            left: twips(page.left_mm.value),
            right: twips(page.right_mm.value),
            header: twips(page.header_distance_mm.value),
            footer: twips(page.header_distance_mm.value),
            gutter: 0,
        })
        .default_fonts(ctx.fonts())
        .default_size(half_points(p.text.body.size))
        .header(Header::new().add_paragraph(page_number(&ctx)));
    if p.page_number.from_page.value > 1 {
        // A distinct, empty first-page header hides the number on page 1.
        docx = docx.first_header(Header::new().add_paragraph(Paragraph::new()));
    }

    docx = docx.add_table(header_table(&ctx, &plan));
    for paragraph in title(&ctx, &plan) {
        docx = docx.add_paragraph(paragraph);
    }
    if let Some(table) = recipients(&ctx, &plan) {
        docx = docx.add_table(table);
    }
    for basis in &plan.legal_bases {
        docx = docx.add_paragraph(body_paragraph(&ctx, ctx.run(&p.text.legal_basis, basis)));
    }
    if let Some(e) = &plan.enactment {
        let around = p.spacing.enactment_around_pt.value;
        docx = docx.add_paragraph(
            ctx.centred(ctx.run(&p.text.enactment, e), around)
                .line_spacing(ctx.spacing(p.spacing.block_line_spacing.value, around, around)),
        );
    }
    docx = add_items(&ctx, docx, &plan.body);
    // Space above the signature block, outside the table so that "Nơi nhận:" stays on
    // the line of the signer's authority.
    docx = docx
        .add_paragraph(Paragraph::new().size(2).line_spacing(ctx.spacing(
            1.0,
            p.spacing.signature_before_pt.value,
            0.0,
        )))
        .add_table(signature(&ctx, &plan));
    for annex in &plan.annexes {
        let label = ctx
            .centred(ctx.run(&p.text.annex_label, &annex.label), 0.0)
            .page_break_before(true);
        docx = docx
            .add_paragraph(label)
            .add_paragraph(ctx.centred(
                ctx.run(&p.text.annex_title, &annex.title),
                p.spacing.annex_heading_gap_pt.value,
            ))
            .add_paragraph(
                ctx.centred(ctx.run(&p.text.annex_note, &annex.note), 0.0)
                    .line_spacing(ctx.spacing(
                        p.spacing.block_line_spacing.value,
                        p.spacing.annex_heading_gap_pt.value,
                        p.spacing.annex_heading_after_pt.value,
                    )),
            );
        docx = add_items(&ctx, docx, &annex.body);
    }

    let mut out = std::io::Cursor::new(Vec::new());
    docx.build()
        .pack(&mut out)
        .map_err(|e| Error::Docx(e.to_string()))?;
    Ok(out.into_inner())
}

/// The PAGE field, centred, in the page-number style.
fn page_number(ctx: &Ctx) -> Paragraph {
    let run = ctx.styled(
        Run::new()
            .add_field_char(FieldCharType::Begin, false)
            .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
            .add_field_char(FieldCharType::Separate, false)
            .add_text("2")
            .add_field_char(FieldCharType::End, false),
        &ctx.profile.text.page_number,
    );
    Paragraph::new().add_run(run).align(AlignmentType::Center)
}

fn header_table(ctx: &Ctx, plan: &Plan) -> Table {
    let p = ctx.profile;
    let t = &p.text;
    let h = &plan.header;
    let left_mm = p.header.left_width_mm.value;
    let right_mm = p.header.right_width_mm.value;

    let mut issuer = Vec::new();
    if !h.parent.is_empty() {
        issuer.push(ctx.centred(ctx.lines_run(&t.parent_body, &h.parent), 0.0));
    }
    issuer.push(ctx.centred(ctx.lines_run(&t.issuing_body, &h.issuer), 0.0));
    issuer.extend(ctx.rule(&p.rules.issuing_body, &h.issuer, &t.issuing_body, left_mm));

    let mut number = vec![ctx.centred(
        ctx.run(&t.number, &h.number),
        p.spacing.number_before_pt.value,
    )];
    if let Some(s) = &h.cong_van_summary {
        number.push(ctx.centred(
            ctx.run(&t.cong_van_summary, s),
            p.spacing.cong_van_summary_before_pt.value,
        ));
    }
    number.extend(h.marks.iter().map(|m| ctx.mark(m)));

    let national = std::slice::from_ref(&h.national_title);
    let mut title = vec![ctx.centred(ctx.run(&t.national_title, &h.national_title), 0.0)];
    title.extend(ctx.rule(
        &p.rules.national_title,
        national,
        &t.national_title,
        right_mm,
    ));
    if let Some(motto) = &h.motto {
        title.push(ctx.centred(ctx.run(&t.motto, motto), 0.0));
        title.extend(ctx.rule(
            &p.rules.motto,
            std::slice::from_ref(motto),
            &t.motto,
            right_mm,
        ));
    }
    let gap = p.header.date_gap_pt.value;
    let date = ctx.centred(ctx.run(&t.place_date, &h.place_date), gap);

    let rows = match p.header.date_position() {
        DatePosition::NumberRow => vec![vec![issuer, title], vec![number, vec![date]]],
        DatePosition::RightBlock => {
            issuer.extend(number);
            title.push(date);
            vec![vec![issuer, title]]
        }
    };
    borderless(rows, &[left_mm, right_mm])
}

fn title(ctx: &Ctx, plan: &Plan) -> Vec<Paragraph> {
    let p = ctx.profile;
    let mut out = Vec::new();
    if let Some(title) = &plan.title {
        out.push(ctx.centred(
            ctx.run(&p.text.doc_type_name, title),
            p.spacing.title_before_pt.value,
        ));
        if let Some(summary) = &plan.summary {
            out.push(ctx.centred(ctx.run(&p.text.summary, summary), 0.0));
            let text_mm = p.page.text_width_mm();
            out.extend(ctx.rule(
                &p.rules.summary,
                std::slice::from_ref(summary),
                &p.text.summary,
                text_mm,
            ));
        }
    }
    // Space between the title block and what follows.
    out.push(Paragraph::new().size(2).line_spacing(ctx.spacing(
        1.0,
        p.spacing.title_after_pt.value,
        0.0,
    )));
    out
}

/// "Kính gửi:" with one recipient on its line, or a list beside the label, centred.
fn recipients(ctx: &Ctx, plan: &Plan) -> Option<Table> {
    let r = plan.recipients.as_ref()?;
    let style = &ctx.profile.text.recipients;
    let width = |s: &str| fonts::text_width_pt(s, style.size, style.bold, style.italic);
    let (cells, widths_pt) = if r.lines.len() == 1 {
        let text = format!("{} {}", r.label, r.lines[0]);
        let w = width(&text);
        (vec![vec![ctx.run(style, &text)]], vec![w])
    } else {
        let list_w = r.lines.iter().map(|l| width(l)).fold(0.0, f64::max);
        let label_w = width(&r.label) + style.size * 0.4;
        (
            vec![
                vec![ctx.run(style, &r.label)],
                vec![ctx.lines_run(style, &r.lines)],
            ],
            vec![label_w, list_w],
        )
    };
    let text_pt = ctx.profile.page.text_width_mm() * 72.0 / 25.4;
    // Cell padding (Word's default 0.19 cm each side) is added to the text widths.
    let pad_pt = 2.0 * 108.0 / 20.0;
    let widths_mm: Vec<f64> = widths_pt
        .iter()
        .map(|w| ((w + pad_pt + 2.0).min(text_pt)) * 25.4 / 72.0)
        .collect();
    let row = cells
        .into_iter()
        .map(|runs| {
            runs.into_iter()
                .map(|run| {
                    Paragraph::new()
                        .add_run(run)
                        .line_spacing(ctx.spacing(1.0, 0.0, 6.0))
                })
                .collect()
        })
        .collect();
    Some(borderless(vec![row], &widths_mm).align(TableAlignmentType::Center))
}

/// A justified body paragraph with the first-line indent.
fn body_paragraph(ctx: &Ctx, run: Run) -> Paragraph {
    let s = &ctx.profile.spacing;
    Paragraph::new()
        .add_run(run)
        .align(AlignmentType::Both)
        .indent(
            Some(0),
            Some(SpecialIndentType::FirstLine(twips(
                s.first_line_indent_mm.value,
            ))),
            None,
            None,
        )
        .line_spacing(ctx.spacing(s.body_line_spacing.value, 0.0, s.paragraph_after_pt.value))
}

fn add_items(ctx: &Ctx, mut docx: Docx, items: &[Item]) -> Docx {
    let t = &ctx.profile.text;
    for item in items {
        docx = match item {
            Item::Paragraph { text } => {
                docx.add_paragraph(body_paragraph(ctx, ctx.run(&t.body, text)))
            }
            Item::Heading { level, text } => {
                let style = if *level == 1 {
                    &t.heading
                } else {
                    &t.subheading
                };
                docx.add_paragraph(body_paragraph(ctx, ctx.run(style, text)).keep_next(true))
            }
            Item::Article { text } => docx.add_paragraph(
                body_paragraph(ctx, ctx.run(&t.article_heading, text)).keep_next(true),
            ),
            Item::Part { label, title } => docx.add_paragraph(
                ctx.centred(
                    ctx.lines_run(&t.part_heading, &[label.clone(), title.clone()]),
                    ctx.profile.spacing.part_before_pt.value,
                )
                .keep_next(true),
            ),
            Item::Table {
                widths,
                header,
                rows,
            } => docx
                .add_table(data_table(ctx, widths, header, rows))
                .add_paragraph(Paragraph::new().size(2)),
        };
    }
    docx
}

/// A ruled data table spanning the text width.
fn data_table(ctx: &Ctx, widths: &[f64], header: &[String], rows: &[Vec<String>]) -> Table {
    let t = &ctx.profile.text;
    let total: f64 = widths.iter().sum();
    let text_tw = twips(ctx.profile.page.text_width_mm()).max(0) as f64;
    let grid: Vec<usize> = widths
        .iter()
        .map(|w| (w / total * text_tw).round() as usize)
        .collect();
    // Word already pads cells left and right; the profile's padding is split above
    // and below the text.
    let pad = ctx.profile.spacing.table_cell_padding_pt.value / 2.0;
    let cell = |style, text: &String, width: usize, centre: bool| {
        let mut p = Paragraph::new()
            .add_run(ctx.run(style, text))
            .line_spacing(ctx.spacing(ctx.profile.spacing.block_line_spacing.value, pad, pad));
        if centre {
            p = p.align(AlignmentType::Center);
        }
        TableCell::new()
            .width(width, WidthType::Dxa)
            .add_paragraph(p)
    };
    let mut table_rows = vec![TableRow::new(
        header
            .iter()
            .zip(&grid)
            .map(|(h, w)| cell(&t.table_header, h, *w, true))
            .collect(),
    )];
    for row in rows {
        table_rows.push(TableRow::new(
            row.iter()
                .zip(&grid)
                .map(|(c, w)| cell(&t.table, c, *w, false))
                .collect(),
        ));
    }
    Table::new(table_rows)
        .set_grid(grid)
        .layout(TableLayoutType::Fixed)
        .width(text_tw as usize, WidthType::Dxa)
}

fn signature(ctx: &Ctx, plan: &Plan) -> Table {
    let p = ctx.profile;
    let t = &p.text;
    let mut left = Vec::new();
    if let Some(d) = &plan.distribution {
        left.push(
            Paragraph::new()
                .add_run(ctx.run(&t.distribution_label, &d.label))
                .line_spacing(ctx.spacing(1.0, 0.0, 0.0)),
        );
        left.push(
            Paragraph::new()
                .add_run(ctx.lines_run(&t.distribution_list, &d.lines))
                .line_spacing(ctx.spacing(1.0, 0.0, 0.0)),
        );
    }
    let s = &plan.signer;
    let mut right: Vec<Paragraph> = s
        .authority
        .iter()
        .map(|a| ctx.centred(ctx.run(&t.signer_authority, a), 0.0))
        .collect();
    if let Some(position) = &s.position {
        right.push(ctx.centred(ctx.run(&t.signer_position, position), 0.0));
    }
    let gap_pt = p.spacing.signature_gap_mm.value * 72.0 / 25.4;
    right.push(ctx.centred(ctx.run(&t.signer_name, &s.name), gap_pt));
    borderless(
        vec![vec![left, right]],
        &[
            p.signature.left_width_mm.value,
            p.signature.right_width_mm.value,
        ],
    )
    .align(TableAlignmentType::Left)
}

#[cfg(test)]
mod tests {
    use super::parts::*;

    #[test]
    fn unit_conversions() {
        assert_eq!(twips(20.0), 1134);
        assert_eq!(twips(30.0), 1701);
        assert_eq!(twips(15.0), 850);
        assert_eq!(pt_twips(6.0), 120);
        assert_eq!(half_points(13.0), 26);
        assert_eq!(half_points(14.0), 28);
    }
}
