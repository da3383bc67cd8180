/**
 * Whether an output gets colour: `--color never|auto|always`, where auto means a terminal and
 * no NO_COLOR in the environment (https://no-color.org: any non-empty value turns colour off).
 */
export const COLOR_CHOICES = ['never', 'auto', 'always'] as const;
export type ColorWhen = (typeof COLOR_CHOICES)[number];

export function useColor(
  when: ColorWhen | undefined,
  stream: { readonly isTTY?: boolean },
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (when === 'always') return true;
  if (when === 'never') return false;
  return stream.isTTY === true && !env.NO_COLOR;
}

/** SGR sequences (ECMA-48 8.3.117) for the severities of a finding. */
export const SEVERITY_SGR: Readonly<Record<'error' | 'warning' | 'info', string>> = {
  error: '\x1b[1;31m',
  warning: '\x1b[33m',
  info: '\x1b[36m',
};
export const SGR_RESET = '\x1b[0m';
