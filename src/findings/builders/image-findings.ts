/**
 * The findings about the images a phone is sent to, built once for `lint` and `analyze`: an
 * image or a part of its .loads missing, a name with the letter O, files naming different
 * images, gkdefault's upgradecode.
 */
import type { AssumptionId } from '../../flows/assumptions.js';
import { catalogEntry } from '../catalog.js';
import type { Finding } from '../finding.js';
import { catalogFinding } from '../catalog-finding.js';
import { type CauseFacts, causeOf, type FindingFacts, phoneOf } from './facts.js';
import { renameStep } from './file-findings.js';

/** A release's zip as a fix names it: its label (`SIP 8.12`) and every file in it. */
export interface ZipFiles {
  readonly label: string;
  readonly files: readonly string[];
}

/** The step that puts a whole zip in the root (`beside`: the file of the zip that is there). */
function unpackZipStep(zip: ZipFiles, beside?: string): string {
  return `Unpack the whole ${zip.label} zip into the TFTP root${beside ? `, beside ${beside}` : ''}: ${zip.files.join(', ')}.`;
}

/**
 * IMAGE_NOT_FOUND. `present`: a name written at `file` line `line` whose files the root holds
 * in the zip's spelling; else `zip`: the zip to unpack. `whyNot` (the parser's reason) and
 * `zipSpelling` (the name as the zip spells it) explain the case.
 */
export function imageNotFound(
  facts: FindingFacts &
    CauseFacts<'IMAGE_NOT_FOUND'> & {
      readonly present?: { readonly file: string; readonly line: number; readonly name: string };
      readonly zip?: ZipFiles;
      readonly whyNot?: string;
      readonly zipSpelling?: string;
      readonly assumed?: readonly AssumptionId[];
    },
): Finding {
  const { present, zip } = facts;
  const fix = present
    ? [
        `In ${present.file} line ${present.line}, write ${present.name}: the root holds ${present.name}.* (the zip's spelling).`,
      ]
    : zip
      ? [unpackZipStep(zip)]
      : [];
  const detail = facts.whyNot
    ? `${facts.whyNot}.`
    : facts.zipSpelling
      ? `The name as the zip spells it would be ${facts.zipSpelling}.`
      : undefined;
  return catalogFinding('IMAGE_NOT_FOUND', {
    ...phoneOf(facts),
    evidence: facts.evidence,
    ...(detail ? { detail } : {}),
    ...(fix.length ? { fix } : {}),
    ...(facts.assumed ? { assumed: facts.assumed } : {}),
    ...causeOf(facts),
  });
}

/**
 * LOADS_PART_MISSING. `zip`: the .loads' release zip to unpack (`beside`: the .loads in the
 * root); `bySigning`: which loader file the phone asks for depends on its image's signing;
 * `inferred`: the zip's file list comes from the generation table, not a real zip.
 */
export function loadsPartMissing(
  facts: FindingFacts &
    CauseFacts<'LOADS_PART_MISSING'> & {
      readonly zip?: ZipFiles & { readonly beside?: string; readonly inferred?: boolean };
      readonly bySigning?: boolean;
    },
): Finding {
  const { zip } = facts;
  return catalogFinding('LOADS_PART_MISSING', {
    ...phoneOf(facts),
    evidence: facts.evidence,
    ...(zip ? { fix: [unpackZipStep(zip, zip.beside)] } : {}),
    assumed: ['LOADS_PARTS_FROM_ZIP', ...(facts.bySigning ? (['LOADER_FILE_BY_SIGNING'] as const) : [])],
    ...(zip?.inferred
      ? { likely: [`the file list of ${zip.label} is inferred from its generation, not seen in a real zip`] }
      : {}),
    ...causeOf(facts),
  });
}

/**
 * IMAGE_NAME_LETTER_O. `rename`: a file of the root to rename (the catalog's steps follow);
 * else `fix`: the steps naming where to write the corrected name.
 */
export function imageNameLetterO(
  facts: FindingFacts & {
    readonly rename?: { readonly from: string; readonly to: string };
    readonly fix?: readonly string[];
  },
): Finding {
  const { rename } = facts;
  return catalogFinding('IMAGE_NAME_LETTER_O', {
    ...phoneOf(facts),
    evidence: facts.evidence,
    ...(rename
      ? {
          fix: [
            renameStep(rename.from, rename.to, `${rename.to} (digit zero)`),
            ...catalogEntry('IMAGE_NAME_LETTER_O').fix,
          ],
          replacesCatalogFix: true,
        }
      : facts.fix?.length
        ? { fix: facts.fix }
        : {}),
  });
}

/** The step for a name asked for with the letter O: what the zip's file is, and what to write. */
export function letterOAskedStep(asked: string, zipFile: string): string {
  return `The phone asks for ${asked}; the zip's file is ${zipFile}: write ${zipFile.replace(/\.[a-z0-9]+$/, '')} where the name is written.`;
}

/**
 * IMAGE_SOURCES_DISAGREE. `agree`: the files to make name `target` (and the loader OS79XX.TXT
 * may hold instead); `loop`: the phone switches images on every boot.
 */
export function imageSourcesDisagree(
  facts: FindingFacts & {
    readonly agree?: { readonly files: readonly string[]; readonly target: string; readonly os79xxLoader?: string };
    readonly loop?: boolean;
  },
): Finding {
  const { agree } = facts;
  return catalogFinding('IMAGE_SOURCES_DISAGREE', {
    ...phoneOf(facts),
    evidence: facts.evidence,
    ...(agree
      ? {
          fix: [
            `Make ${agree.files.join(', ')} name ${agree.target}` +
              `${agree.os79xxLoader ? ` (OS79XX.TXT may instead hold ${agree.os79xxLoader}, the loader of the same zip, as Cisco's SIP zips do)` : ''}.`,
          ],
          replacesCatalogFix: true,
        }
      : {}),
    ...(facts.loop
      ? { detail: 'Each image reads a different file first, so the phone switches images on every boot.' }
      : {}),
    assumed: ['OS79XX_FIRST_BEFORE_LOADER_ERA', 'CONFIG_FILES_WIN_IN_LOADER_ERA'],
  });
}

/**
 * GKDEFAULT_UPGRADECODE about the image it names or the compiled file, not its syntax (that is
 * a config problem). `missingImage`: the image not in the root, and a file of it in other
 * letter case; `uncompiled`: gkdefault.txt without its gkdefault.cfg; `notServed`: the image
 * the server did not have.
 */
export function gkdefaultUpgradecode(
  facts: FindingFacts & {
    readonly missingImage?: { readonly image: string; readonly variant?: string };
    readonly uncompiled?: { readonly txt: string; readonly cfg: string };
    readonly notServed?: string;
  },
): Finding {
  const { missingImage, uncompiled } = facts;
  const fix = missingImage
    ? missingImage.variant
      ? renameStep(missingImage.variant, missingImage.image)
      : `Put ${missingImage.image} (it comes with the SCCP load) in the TFTP root, or name in upgradecode the .sbin that is there.`
    : uncompiled
      ? `Compile it: cfgfmt -tsip_ptag.dat ${uncompiled.txt} ${uncompiled.cfg} (cfgfmt and sip_ptag.dat come with the SIP zip).`
      : undefined;
  return catalogFinding('GKDEFAULT_UPGRADECODE', {
    ...phoneOf(facts),
    evidence: facts.evidence,
    ...(facts.notServed ? { detail: `The upgradecode names ${facts.notServed}, which the server does not have.` } : {}),
    ...(fix ? { fix: [fix], ...(uncompiled ? { replacesCatalogFix: true } : {}) } : {}),
    assumed: ['GKDEFAULT_AFTER_SIP_CONFIG'],
  });
}
