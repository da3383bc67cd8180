/**
 * Image names as provisioning files and file names carry them. The rules are
 * ../firmware/image-name.ts's; this module only says where a name was found and turns its
 * problems into provisioning problems whose code (and so finding ID) depends on that place:
 * an extension is OS79XX_SYNTAX in OS79XX.TXT and IMAGE_VERSION_SYNTAX in image_version.
 */
import {
  parseImageName,
  type ImageName,
  type ImageNameProblem,
  type ImageNameProblemCode,
} from '../firmware/image-name.js';
import {
  nameProblem,
  problemAt,
  withSeverity,
  type NameProblem,
  type ProblemCode,
  type ProvisioningProblem,
  type SourcePosition,
} from './problem.js';

/** Where inside a provisioning file an image name is written. */
export type ImageNamePlace = 'os79xx' | 'image_version' | 'loadInformation' | 'upgradecode';

export interface ImageReference extends SourcePosition {
  /** The name as written (without the quote marks of a quoted value). */
  readonly name: string;
  readonly image: ImageName;
}

type Place = ImageNamePlace | 'file';
type CodesByPlace = Readonly<Record<Place, ProblemCode | undefined>>;

const everywhere = (code: ProblemCode): CodesByPlace => ({
  os79xx: code,
  image_version: code,
  loadInformation: code,
  upgradecode: code,
  file: code,
});
const byPlace = (
  os79xx: ProblemCode | undefined,
  config: ProblemCode | undefined,
  upgradecode: ProblemCode | undefined,
  file: ProblemCode | undefined,
): CodesByPlace => ({ os79xx, image_version: config, loadInformation: config, upgradecode, file });

/** undefined: not reported in that place (the caller reports it more precisely, or it is expected there). */
const CODES: Readonly<Record<ImageNameProblemCode, CodesByPlace>> = {
  // OS79XX.TXT blanks are reported per character by os79xx-txt.ts.
  whitespace: byPlace(undefined, 'IMAGE_VERSION_WHITESPACE', 'GKDEFAULT_IMAGE_NAME', 'IMAGE_NAME_WHITESPACE'),
  'letter-o': everywhere('IMAGE_NAME_LETTER_O'),
  'letter-case': everywhere('IMAGE_NAME_CASE'),
  'extension-not-allowed': byPlace('OS79XX_EXTENSION', 'IMAGE_VERSION_EXTENSION', undefined, undefined),
  padding: everywhere('IMAGE_NAME_PADDING'),
  'scheme-for-version': byPlace(
    'OS79XX_FORM_FOR_VERSION',
    'IMAGE_VERSION_FORM_FOR_VERSION',
    'GKDEFAULT_IMAGE_NAME',
    'IMAGE_NAME_FORM_FOR_VERSION',
  ),
  'extension-not-in-release': everywhere('IMAGE_NAME_NOT_IN_RELEASE'),
  'maintenance-not-in-name': everywhere('IMAGE_NAME_NOTE'),
  'unknown-release': everywhere('IMAGE_UNKNOWN_RELEASE'),
  // A 7905/7912 name is what an upgradecode line holds.
  'other-family': byPlace('OS79XX_NOT_IMAGE_NAME', 'IMAGE_VERSION_UNKNOWN_FORM', undefined, 'IMAGE_OTHER_FAMILY'),
  // A file name that is no image name is simply another kind of file.
  unrecognised: byPlace('OS79XX_NOT_IMAGE_NAME', 'IMAGE_VERSION_UNKNOWN_FORM', 'GKDEFAULT_IMAGE_NAME', undefined),
};

const QUOTE_MARKS = /["\u201C\u201D\u201E\u201F\u2033]/g;

/** Reads an image name written at `where` in a provisioning file. */
export function checkImageReference(
  written: string,
  where: SourcePosition,
  place: ImageNamePlace,
): { reference?: ImageReference; problems: ProvisioningProblem[] } {
  const problems: ProvisioningProblem[] = [];
  let name = written;
  if (place === 'image_version' || place === 'loadInformation') {
    name = written.replace(QUOTE_MARKS, '');
    if (name !== written) {
      problems.push(
        problemAt(
          'IMAGE_VERSION_QUOTES',
          where,
          `${place} holds quote marks inside the name (${written}); only a pair of plain " around the whole value is allowed`,
        ),
      );
    }
    if (name.trim() === '') {
      problems.push(problemAt('IMAGE_VERSION_EMPTY', where, `${place} is empty: it names no image`));
      return { problems };
    }
  }
  const image = parseImageName(name, { context: place });
  for (const p of image.problems) {
    const code = CODES[p.code][place];
    if (code) problems.push(withSeverity(problemAt(code, where, messageOf(p)), p.severity));
  }
  return { reference: { file: where.file, line: where.line, column: where.column, name, image }, problems };
}

export interface ImageFileName {
  readonly image: ImageName;
  readonly problems: readonly NameProblem[];
}

/** A file name read as a firmware image name; undefined when it follows no Cisco image scheme. */
export function classifyImageFileName(baseName: string): ImageFileName | undefined {
  const image = parseImageName(baseName, { context: 'file' });
  if (image.family === 'unknown') return undefined;
  const problems: NameProblem[] = [];
  for (const p of image.problems) {
    const code = CODES[p.code].file;
    if (code) problems.push(withSeverity(nameProblem(code, messageOf(p)), p.severity));
  }
  return { image, problems };
}

function messageOf(problem: ImageNameProblem): string {
  return problem.suggestion === undefined
    ? problem.message
    : `${problem.message} (did you mean ${problem.suggestion}?)`;
}
