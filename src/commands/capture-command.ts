import { Option } from 'commander';
import type { CaptureDecoderHandlers, CaptureDecoderOptions } from '../../parsers/capture/decoder.js';
import { DECODED_LINK_TYPES } from '../../parsers/net/link.js';
import { parseMac, type Mac } from '../../parsers/provisioning/file-names.js';
import { EXIT_BAD_INPUT, InputError } from '../exit-codes.js';
import { decodeCaptureFile, describeCaptureProblem, type DecodedCapture } from '../sources/capture-file.js';
import { messageLine } from '../views/escape.js';

export type TextOrJsonl = 'text' | 'jsonl';

export const phoneOption = (): Option =>
  new Option('--phone <mac>', "only this phone's packets: 000E84C060A6 or 00:0e:84:c0:60:a6");

export function readPhoneOption(text: string | undefined): Mac | undefined {
  if (text === undefined) return undefined;
  const mac = parseMac(text);
  if (!mac)
    throw new InputError(
      `--phone "${text}" is not a MAC address: give 12 hex digits (000E84C060A6) or 00:0e:84:c0:60:a6.`,
    );
  return mac;
}

export const formatOption = (): Option =>
  new Option('--format <format>', 'output format').choices(['text', 'jsonl']).default('text');

/**
 * Runs a capture through the pipeline for a command: problems are printed to stderr as they
 * are found, and a damaged capture sets exit code 2 once everything readable was shown.
 */
export async function runCapture(
  path: string,
  handlers: Omit<CaptureDecoderHandlers, 'problem'>,
  options: CaptureDecoderOptions & { afterChunk?: () => Promise<void> } = {},
): Promise<DecodedCapture> {
  const result = await decodeCaptureFile(
    path,
    {
      ...handlers,
      problem: (problem) => process.stderr.write(messageLine(describeCaptureProblem(path, problem))),
    },
    options,
  );
  if (result.damaged) process.exitCode = EXIT_BAD_INPUT;
  const skipped = [...result.summary.net.framesByLinkType].filter(([linkType]) => !DECODED_LINK_TYPES.has(linkType));
  if (skipped.length > 0) {
    const list = skipped.map(([linkType, frames]) => `${frames} of link type ${linkType}`).join(', ');
    process.stderr.write(
      messageLine(
        `${path}: warning: frames not decoded (${list}); phonedoc reads Ethernet (with 802.1Q/QinQ), ` +
          'Linux cooked SLL and SLL2, raw IP and NULL/LOOP captures',
      ),
    );
  }
  return result;
}
