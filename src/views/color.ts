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
