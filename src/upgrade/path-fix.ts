/**
 * The fix of UPGRADE_PATH_BLOCKED with the real images, for `lint` and `analyze` alike: the
 * chain to load in turn when there is one, or that no route exists and why.
 */
import { shellQuote } from '../findings/shell-quote.js';
import { imageLabel } from '../flows/phone.js';
import type { RunningImage } from '../flows/phone.js';
import type { UpgradePath } from './find-path.js';

/** `where`: how the image is named now, e.g. "OS79XX.TXT line 1" (the first step is named there instead). */
export function upgradePathFix(from: RunningImage, to: RunningImage, path: UpgradePath, where?: string): string[] {
  const command = `phonedoc path --from ${shellQuote(imageLabel(from))} --to ${shellQuote(imageLabel(to))}`;
  if (!path.legal) {
    return [
      `There is no route from ${imageLabel(from)} to ${imageLabel(to)}: ` +
        `no chain of legal moves leads there (why is said above).`,
      `Name an image ${imageLabel(from)} can reach${where ? ` in ${where}` : ''} instead of ${to.image}, ` +
        `or leave the phone on ${imageLabel(from)}.`,
    ];
  }
  const chain = path.steps.map((s) => s.image);
  if (chain.length <= 1) return [`${command} shows the files the move needs.`];
  return [
    `Load ${chain[0]} first${where ? ` (name it in ${where}, where ${to.image} is named now)` : ''}, ` +
      `reboot the phone, then ${chain.slice(1).join(', then ')}.`,
    `${command} lists the files each step needs.`,
  ];
}
