/**
 * Building HTML so that text from the inputs can only ever be text: `html` is a template
 * tag that escapes every interpolated value with `htmlText` (escape.ts) unless it is `Markup` made by
 * `html` itself. No other way to produce `Markup` exists, so nothing reaches the page
 * unescaped by forgetting a call.
 */

import { htmlText } from './escape.js';

export class Markup {
  private constructor(readonly text: string) {}

  /** Only `html` makes markup. */
  static fromTemplate(strings: TemplateStringsArray, values: readonly Interpolation[]): Markup {
    // String.raw interleaves its `raw` strings with the values; these strings are already cooked.
    return new Markup(String.raw({ raw: strings }, ...values.map(render)));
  }
}

export type Interpolation = string | number | Markup | readonly Markup[] | undefined | null | false;

function render(value: Interpolation): string {
  if (value === undefined || value === null || value === false) return '';
  if (value instanceof Markup) return value.text;
  if (Array.isArray(value)) return (value as readonly Interpolation[]).map(render).join('');
  return htmlText(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Markup {
  return Markup.fromTemplate(strings, values);
}
