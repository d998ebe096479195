// Which characters of a text do not belong to a script: for the checks that a pane or a report shown in
// one script holds nothing of the other (docs/design.md, "Messages and languages").
import * as OpenCC from 'opencc-js/cn2t';
import { simplify } from '../../core/text';

const toTaiwan = OpenCC.Converter({ from: 'cn', to: 'tw' });

/** 台 is as much Taiwan's character as 臺 (這台電腦); OpenCC writes it 臺. */
const TRADITIONAL_TOO = new Set(['台']);

/** Characters of `text` that simplified Chinese does not use (區, 個). */
export function traditionalOnly(text: string): string[] {
  return [...new Set(text)].filter((ch) => /[\u4e00-\u9fff]/.test(ch) && simplify(ch) !== ch);
}

/** Characters of `text` that traditional Chinese does not use (区, 个). */
export function simplifiedOnly(text: string): string[] {
  return [...new Set(text)].filter((ch) => /[\u4e00-\u9fff]/.test(ch) && !TRADITIONAL_TOO.has(ch) && toTaiwan(ch) !== ch);
}
