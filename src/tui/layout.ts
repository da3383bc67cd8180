/**
 * Where each pane goes for a terminal size. At 80×24 the panes are stacked; from
 * WIDE_COLUMNS on the console and network panes sit side by side and take the extra
 * height, findings below; the console pane is then as wide as its lines need, up to half. A phone list takes a left column when there are several phones.
 */
export interface Rect {
  readonly top: number;
  readonly left: number;
  readonly width: number;
  readonly height: number;
}

export interface Layout {
  readonly header: Rect;
  readonly phone: Rect;
  readonly phones?: Rect;
  readonly console: Rect;
  readonly network: Rect;
  readonly findings: Rect;
  readonly footer: Rect;
  /** The box details, the timeline and help open in. */
  readonly overlay: Rect;
}

export const WIDE_COLUMNS = 120;
export const HEADER_LINES = 2;
export const PHONE_LINES = 2;
const PHONE_LIST_COLUMNS = 40;

/** The console pane side by side is never narrower than this, so a line that arrives later has room. */
const MIN_CONSOLE_COLUMNS = 36;

/** `consoleColumns`: what the console pane's widest line needs, borders included; side by side it takes no more (up to half). */
export function layoutFor(columns: number, rows: number, phoneCount: number, consoleColumns = Infinity): Layout {
  const width = Math.max(columns, 40);
  const height = Math.max(rows, 16);
  const header = { top: 0, left: 0, width, height: HEADER_LINES };
  const phone = { top: HEADER_LINES, left: 0, width, height: PHONE_LINES };
  const footer = { top: height - 1, left: 0, width, height: 1 };
  const bodyTop = HEADER_LINES + PHONE_LINES;
  const bodyHeight = height - bodyTop - 1;
  const listWidth = phoneCount > 1 ? Math.min(PHONE_LIST_COLUMNS, Math.floor(width / 4)) : 0;
  const phones = listWidth ? { top: bodyTop, left: 0, width: listWidth, height: bodyHeight } : undefined;
  const left = listWidth;
  const rest = width - listWidth;
  const overlay = { top: 1, left: 2, width: width - 4, height: height - 2 };
  if (width >= WIDE_COLUMNS) {
    const findingsHeight = Math.max(6, Math.floor(bodyHeight * 0.35));
    const topHeight = bodyHeight - findingsHeight;
    const half = Math.min(Math.floor(rest / 2), Math.max(MIN_CONSOLE_COLUMNS, consoleColumns));
    return {
      header,
      phone,
      footer,
      overlay,
      ...(phones ? { phones } : {}),
      console: { top: bodyTop, left, width: half, height: topHeight },
      network: { top: bodyTop, left: left + half, width: rest - half, height: topHeight },
      findings: { top: bodyTop + topHeight, left, width: rest, height: findingsHeight },
    };
  }
  const findingsHeight = Math.floor(bodyHeight / 3);
  const networkHeight = Math.floor(bodyHeight / 3);
  const consoleHeight = bodyHeight - findingsHeight - networkHeight;
  return {
    header,
    phone,
    footer,
    overlay,
    ...(phones ? { phones } : {}),
    findings: { top: bodyTop, left, width: rest, height: findingsHeight },
    console: { top: bodyTop + findingsHeight, left, width: rest, height: consoleHeight },
    network: { top: bodyTop + findingsHeight + consoleHeight, left, width: rest, height: networkHeight },
  };
}
