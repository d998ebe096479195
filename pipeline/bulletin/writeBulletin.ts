// The 晾曬通報 as a Word document in the form offices circulate (GB/T 9704 habits): a red banner with the
// issue number, the 文號 and the issuer over a red rule; the title in 小標宋, headings in 黑體, body in
// 仿宋 at 16 pt on a fixed 28.95 pt line; the issuer and date at the foot; then, on landscape pages, the
// ranking table and the ranking and lag charts. Fonts are named as Chinese Windows names them, with
// their English names as alternates in the font table, so Word, WPS and LibreOffice each find one.
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  ImageRun,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  ShadingType,
  Tab,
  Table,
  TableCell,
  TableRow,
  TabStopType,
  TextRun,
  VerticalAlign,
  WidthType,
  type IRunOptions,
} from 'docx';
import { render, translator, type Lang, type MessageRef, type Translate } from '../../core/messages';
import { bulletinSections, dateMessage, type BulletinInput } from '../../core/supervision/bulletin';
import type { ChartPicture } from '../report/reportCharts';

/** Fonts by the name Chinese Windows and WPS give them; `alt` is the English name Word and LibreOffice also know. */
export const BULLETIN_FONTS = {
  title: { name: '方正小标宋简体', alt: 'SimSun', panose: '02010600030101010101' },
  body: { name: '仿宋', alt: 'FangSong', panose: '02010609060101010101' },
  heading: { name: '黑体', alt: 'SimHei', panose: '02010609060101010101' },
  kai: { name: '楷体', alt: 'KaiTi', panose: '02010609060101010101' },
} as const;
type FontRole = keyof typeof BULLETIN_FONTS;
const LATIN = 'Times New Roman';
const RED = 'E60012';

/** Twips per millimetre; sizes below are in twips unless said otherwise. */
const MM = 56.7;
const BODY_SIZE = 32; // half-points: 16 pt, 三號
const LINE = 579; // 28.95 pt: 22 lines to the page
const INDENT = 640; // two characters of 16 pt
const PORTRAIT = { width: Math.round(210 * MM), height: Math.round(297 * MM) };
const PORTRAIT_MARGIN = { top: Math.round(37 * MM), bottom: Math.round(35 * MM), left: Math.round(28 * MM), right: Math.round(26 * MM) };
const LANDSCAPE_MARGIN = { top: Math.round(20 * MM), bottom: Math.round(20 * MM), left: Math.round(20 * MM), right: Math.round(20 * MM) };
/** Landscape text area in CSS pixels (96 to the inch), for fitting the charts. */
const LANDSCAPE_AREA_PX = { width: ((297 - 40) / 25.4) * 96, height: ((210 - 40) / 25.4) * 96 - 90 };

export interface BulletinDocOptions {
  lang: Lang;
  issuer: string;
  /** 文號 as printed; a placeholder to fill in by default. */
  docNumber: string;
}

export interface BulletinPictures {
  ranking: ChartPicture;
  heatmap: ChartPicture;
}

function font(role: FontRole): IRunOptions['font'] {
  return { ascii: LATIN, hAnsi: LATIN, eastAsia: BULLETIN_FONTS[role].name, cs: LATIN };
}

function run(text: string, role: FontRole, size = BODY_SIZE, extra: Partial<IRunOptions> = {}): TextRun {
  return new TextRun({ text, font: font(role), size, ...extra });
}

interface ParaOptions {
  role?: FontRole;
  size?: number;
  align?: (typeof AlignmentType)[keyof typeof AlignmentType];
  indent?: boolean;
  colour?: string;
  before?: number;
  after?: number;
  exactLine?: boolean;
  pageBreakBefore?: boolean;
  /** A heading stays on the page of the paragraph it heads. */
  keepNext?: boolean;
}

function para(text: string, o: ParaOptions = {}): Paragraph {
  return new Paragraph({
    children: [run(text, o.role ?? 'body', o.size ?? BODY_SIZE, o.colour ? { color: o.colour } : {})],
    alignment: o.align ?? AlignmentType.JUSTIFIED,
    ...(o.indent ? { indent: { firstLine: INDENT } } : {}),
    spacing: { ...(o.exactLine === false ? {} : { line: LINE, lineRule: 'exact' as const }), before: o.before ?? 0, after: o.after ?? 0 },
    ...(o.pageBreakBefore ? { pageBreakBefore: true } : {}),
    ...(o.keepNext ? { keepNext: true } : {}),
  });
}


function fitted(p: ChartPicture, area: { width: number; height: number }): { width: number; height: number } {
  const scale = Math.min(1, area.width / p.width, area.height / p.height);
  return { width: Math.round(p.width * scale), height: Math.round(p.height * scale) };
}

function picture(p: ChartPicture, caption: string): Paragraph[] {
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [new ImageRun({ type: 'png', data: p.png, transformation: fitted(p, LANDSCAPE_AREA_PX), altText: { name: p.name, title: caption, description: caption } })],
    }),
    para(caption, { role: 'heading', size: 24, align: AlignmentType.CENTER, exactLine: false, before: 120 }),
  ];
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

function rankingTable(input: BulletinInput, say: Translate): Table {
  const headers = [
    say('bulletin.col.rank'),
    say('bulletin.col.district'),
    say('bulletin.col.attainment'),
    say('bulletin.col.completion'),
    say('bulletin.col.metrics'),
    say('bulletin.col.serious'),
    say('bulletin.col.missing'),
    say('bulletin.col.mention'),
  ];
  const widths = [8, 22, 14, 12, 10, 12, 10, 12];
  const cell = (text: string, i: number, header = false) =>
    new TableCell({
      width: { size: widths[i], type: WidthType.PERCENTAGE },
      verticalAlign: VerticalAlign.CENTER,
      ...(header ? { shading: { type: ShadingType.CLEAR, fill: 'D9E1F2', color: 'auto' } } : {}),
      children: [
        new Paragraph({
          alignment: i === 1 ? AlignmentType.LEFT : AlignmentType.CENTER,
          spacing: { before: 40, after: 40 },
          // The paragraph mark's size too, or an empty cell stands as tall as body text.
          run: { size: 24 },
          children: [run(text, header ? 'heading' : 'body', 24)],
        }),
      ],
    });
  const mentionOf = new Map(input.mentions.map((m) => [m.district, m.mention]));
  const rows = [...input.ranking].sort((a, b) => a.rank - b.rank);
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: headers.map((h, i) => cell(h, i, true)) }),
      ...rows.map((r) => {
        const mention = mentionOf.get(r.district);
        const tied = input.ranking.some((o) => o !== r && o.tie_rank === r.tie_rank && o.schedule_attainment === r.schedule_attainment && o.completion === r.completion);
        return new TableRow({
          children: [
            `${r.rank}${tied ? say('bulletin.tied') : ''}`,
            r.district,
            pct(r.schedule_attainment),
            pct(Math.min(r.completion, 1)),
            String(r.metric_count),
            String(r.seriously_behind_count),
            String(r.missing_count),
            mention ? say(`bulletin.mention.${mention}`) : '',
          ].map((text, i) => cell(text, i)),
        });
      }),
    ],
  });
}

function pageFooter(): Footer {
  return new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: font('body'), size: 28 })],
      }),
    ],
  });
}

/** The font table: each Chinese font with its English alternate name and GB2312 charset, so a host without it substitutes well. */
export function fontTableXml(): string {
  const entry = (name: string, alt: string | undefined, panose: string, charset: string, family: string, pitch: string) =>
    `<w:font w:name="${name}">${alt ? `<w:altName w:val="${alt}"/>` : ''}<w:panose1 w:val="${panose}"/><w:charset w:val="${charset}"/><w:family w:val="${family}"/><w:pitch w:val="${pitch}"/></w:font>`;
  const fonts = Object.values(BULLETIN_FONTS).map((f) => entry(f.name, f.alt, f.panose, '86', 'modern', 'fixed'));
  fonts.push(entry(LATIN, undefined, '02020603050405020304', '00', 'roman', 'variable'));
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    fonts.join('') +
    '</w:fonts>'
  );
}

/** The bulletin's .docx bytes. */
export async function bulletinDocx(input: BulletinInput, pictures: BulletinPictures, options: BulletinDocOptions): Promise<Buffer> {
  const say = translator(options.lang);
  const show = (m: MessageRef) => render(options.lang, m);
  const date = show(dateMessage(input.asOf));
  const body: Paragraph[] = [
    para(say('bulletin.banner'), { role: 'title', size: 72, align: AlignmentType.CENTER, colour: RED, exactLine: false, after: 240 }),
    para(say('bulletin.issue', { n: input.issueNo }), { align: AlignmentType.CENTER }),
    para(options.docNumber, { align: AlignmentType.CENTER }),
    new Paragraph({
      tabStops: [{ type: TabStopType.RIGHT, position: PORTRAIT.width - PORTRAIT_MARGIN.left - PORTRAIT_MARGIN.right }],
      spacing: { line: LINE, lineRule: 'exact', after: 480 },
      border: { bottom: { style: BorderStyle.SINGLE, size: 18, color: RED, space: 4 } },
      children: [run(options.issuer, 'body'), new TextRun({ children: [new Tab(), date], font: font('body'), size: BODY_SIZE })],
    }),
    para(say('bulletin.title', { year: input.year }), { role: 'title', size: 44, align: AlignmentType.CENTER, exactLine: false, after: 120 }),
    para(say('bulletin.subtitle', { date }), { role: 'kai', align: AlignmentType.CENTER, after: 280 }),
    para(say('bulletin.addressee')),
    para(say('bulletin.intro', { date }), { indent: true }),
  ];
  for (const section of bulletinSections(input)) {
    body.push(para(show(section.heading), { role: 'heading', indent: true, keepNext: true }));
    for (const p of section.paragraphs) body.push(para(show(p), { indent: true }));
  }
  body.push(para('', {}), para(options.issuer, { align: AlignmentType.RIGHT }), para(date, { align: AlignmentType.RIGHT }));

  const annex: (Paragraph | Table)[] = [
    para(say('bulletin.annex.ranking', { date }), { role: 'heading', exactLine: false, after: 200 }),
    rankingTable(input, say),
    para(say('bulletin.annex.note'), { size: 21, exactLine: false, before: 120 }),
    para('', { pageBreakBefore: true, exactLine: false }),
    ...picture(pictures.ranking, say('bulletin.chart.ranking')),
    para(say('bulletin.annex.heatmap', { date }), { role: 'heading', exactLine: false, after: 200, pageBreakBefore: true }),
    ...picture(pictures.heatmap, say('bulletin.chart.heatmap')),
  ];

  const document = new Document({
    creator: options.issuer,
    title: say('bulletin.title', { year: input.year }),
    styles: { default: { document: { run: { font: font('body'), size: BODY_SIZE, language: { value: 'zh-CN', eastAsia: options.lang } } } } },
    sections: [
      { properties: { page: { size: PORTRAIT, margin: PORTRAIT_MARGIN } }, footers: { default: pageFooter() }, children: body },
      { properties: { page: { size: { ...PORTRAIT, orientation: PageOrientation.LANDSCAPE }, margin: LANDSCAPE_MARGIN } }, footers: { default: pageFooter() }, children: annex },
    ],
  });
  return Packer.toBuffer(document, false, [{ path: 'word/fontTable.xml', data: fontTableXml() }]);
}
