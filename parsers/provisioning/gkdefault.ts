/**
 * gkdefault.txt, the text form of the gkdefault.cfg that a SIP 5.x/6.x phone reads to go to
 * SCCP (seed tech note, "SIP 5.x, 6.x to SCCP"; compiled with `cfgfmt -tsip_ptag.dat`).
 * Only its `upgradecode:` line matters here:
 *
 *   upgradecode:3,0x601,0x0400,0x0100,0.0.0.0,69,0x060412a,CP7940080001SIP060412A.sbin
 *               |  |     |      |      |       |  |         image name
 *               |  |     |      |      |       |  date code 0x<yymmdd><a-f>, the same as in the image name
 *               |  |     |      |      |       TFTP port, literally 69
 *               |  |     |      |      TFTP server address
 *               |  |     literally 0x0400 and 0x0100
 *               |  0x601 in every example; its meaning is not documented here, not checked
 *               type, literally 3
 *
 * The literal fields "must be entered exactly" (7905G/7912G SIP admin guide, facts 5.5).
 */
import { checkImageReference, type ImageReference } from './image-reference.js';
import {
  located,
  problemAt,
  type Located,
  type ProvisioningProblem,
  type SourcePosition,
  listedProblems,
} from './problem.js';
import { decodeText, splitLines, type ProvisioningText } from './text-lines.js';

export interface UpgradeCode extends SourcePosition {
  /** The comma-separated fields, trimmed, with their columns. */
  readonly fields: readonly Located<string>[];
  readonly tftpServer?: Located<string>;
  readonly tftpPort?: Located<string>;
  /** `0x060412a` as written. */
  readonly dateCode?: Located<string>;
  readonly image?: ImageReference;
}

export interface GkDefault {
  readonly file: string;
  /** Every `upgradecode:` line, in file order (more than one is reported). */
  readonly upgradeCodes: readonly UpgradeCode[];
  readonly problems: readonly ProvisioningProblem[];
}

const FIELD_COUNT = 8;
/** Field index → the text the guide says must be entered exactly. */
const LITERAL_FIELDS: ReadonlyMap<number, string> = new Map([
  [0, '3'],
  [2, '0x0400'],
  [3, '0x0100'],
  [5, '69'],
]);
const FIELD_NAMES = [
  'type',
  'second field',
  'third field',
  'fourth field',
  'TFTP server address',
  'TFTP port',
  'date code',
  'image name',
];
const DATE_CODE = /^0x(\d{2})(\d{2})(\d{2})([a-f])$/i;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const UPGRADECODE = /^(\s*upgradecode\s*:)(.*)$/;

export function parseGkDefault(input: ProvisioningText, file: string): GkDefault {
  const { text } = decodeText(input);
  const problems: ProvisioningProblem[] = [];
  const upgradeCodes: UpgradeCode[] = [];
  for (const line of splitLines(text)) {
    const m = UPGRADECODE.exec(line.text.replace(/^\uFEFF/, ''));
    if (!m) continue;
    const shift = line.text.startsWith('\uFEFF') ? 1 : 0;
    const [, label = '', rest = ''] = m;
    const start = shift + label.length;
    const fields: Located<string>[] = [];
    let column = start + 1;
    for (const raw of rest.split(',')) {
      const lead = raw.length - raw.trimStart().length;
      fields.push(located(raw.trim(), { file, line: line.number, column: column + lead }));
      column += raw.length + 1;
    }
    upgradeCodes.push(
      readUpgradeCode(fields, { file, line: line.number, column: shift + label.search(/\S/) + 1 }, problems),
    );
  }
  const [first, second] = upgradeCodes;
  if (first === undefined) {
    problems.push(
      problemAt(
        'GKDEFAULT_NO_UPGRADECODE',
        { file, line: 1, column: 1 },
        'no "upgradecode:" line; it names the image the phone is to load',
      ),
    );
  } else if (second !== undefined) {
    problems.push(
      problemAt(
        'GKDEFAULT_DUPLICATE_UPGRADECODE',
        second,
        `${upgradeCodes.length} upgradecode lines (first on line ${first.line}); which one the phone uses is not known`,
      ),
    );
  }
  return { file, upgradeCodes, problems: listedProblems(problems) };
}

function readUpgradeCode(
  fields: Located<string>[],
  where: SourcePosition,
  problems: ProvisioningProblem[],
): UpgradeCode {
  if (fields.length !== FIELD_COUNT) {
    problems.push(
      problemAt(
        'GKDEFAULT_FIELD_COUNT',
        where,
        `upgradecode has ${fields.length} comma-separated field(s), expected ${FIELD_COUNT}: 3,0x601,0x0400,0x0100,<TFTP server>,69,0x<yymmdd><a-f>,<image name>`,
      ),
    );
  }
  for (const [index, literal] of LITERAL_FIELDS) {
    const field = fields[index];
    if (field && field.value !== literal) {
      problems.push(
        problemAt(
          'GKDEFAULT_LITERAL_FIELD',
          field,
          `the ${FIELD_NAMES[index]} of upgradecode is "${field.value}"; it must be entered exactly as ${literal}`,
        ),
      );
    }
  }
  const [, , , , tftpServer, tftpPort, dateCode, imageField] = fields;
  if (tftpServer) {
    const ip = IPV4.exec(tftpServer.value);
    if (!ip || ip.slice(1).some((octet) => Number(octet) > 255)) {
      problems.push(
        problemAt(
          'GKDEFAULT_TFTP_ADDRESS',
          tftpServer,
          `"${tftpServer.value}" is not an IPv4 address (Cisco tech note 5455's example has 0.0.0.0)`,
        ),
      );
    }
  }
  const date = dateCode ? DATE_CODE.exec(dateCode.value) : null;
  if (dateCode && (!date || !validDate(Number(date[2]), Number(date[3])))) {
    problems.push(
      problemAt('GKDEFAULT_DATE_CODE', dateCode, `date code "${dateCode.value}" is not 0x<yymmdd><a-f> (as 0x060412a)`),
    );
  }

  const image = imageField ? readUpgradeImage(imageField, dateCode, date, problems) : undefined;
  return {
    ...where,
    fields,
    ...(tftpServer ? { tftpServer } : {}),
    ...(tftpPort ? { tftpPort } : {}),
    ...(dateCode ? { dateCode } : {}),
    ...(image ? { image } : {}),
  };
}

/** The image upgradecode names: a 7905/7912 name with an extension and the date code's stamp. */
function readUpgradeImage(
  imageField: Located<string>,
  dateCode: Located<string> | undefined,
  date: RegExpExecArray | null,
  problems: ProvisioningProblem[],
): ImageReference | undefined {
  const checked = checkImageReference(imageField.value, imageField, 'upgradecode');
  const image = checked.reference;
  problems.push(...checked.problems);
  if (image?.image.family === '7940/7960') {
    problems.push(
      problemAt(
        'GKDEFAULT_IMAGE_NAME',
        imageField,
        `"${imageField.value}" is a 7940/7960 load name; upgradecode names an image as CP<model><VV><vv><RR>SIP|SCCP<yymmdd><a-f>.sbin (Cisco 7905G/7912G SIP administrator guide, "upgradecode")`,
      ),
    );
  }
  if (image?.image.scheme !== 'cp-7905-7912') return image;
  if (image.image.extension === undefined) {
    problems.push(
      problemAt(
        'GKDEFAULT_IMAGE_NAME',
        imageField,
        `"${imageField.value}" has no extension: expected .sbin (signed) or .zup`,
      ),
    );
  }
  // The image name ends in the same <yymmdd><a-f> as the date code (seed: 0x060412a / …SIP060412A.sbin).
  if (date && dateCode) {
    const stamp = `${date[1]}${date[2]}${date[3]}${date[4]}`.toLowerCase();
    if (!image.image.baseName.toLowerCase().endsWith(stamp)) {
      problems.push(
        problemAt(
          'GKDEFAULT_DATE_MISMATCH',
          dateCode,
          `date code ${dateCode.value} does not match the image name ${image.image.baseName}, which must end in ${stamp.toUpperCase()}; change both together`,
        ),
      );
    }
  }
  return image;
}

function validDate(month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}
