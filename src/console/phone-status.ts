/**
 * What the console has learnt about the phone, folded from its events, for the status line:
 * identity (model, firmware, the MAC from its config file name) and state (DHCP, the last
 * status and error text, the prompt once seen).
 */
import type { ConsoleEvent } from '../../parsers/console/events.js';

export interface PhoneStatus {
  readonly model?: string;
  readonly firmware?: string;
  readonly configFile?: string;
  readonly dhcp?: string;
  readonly lastStatus?: string;
  readonly lastError?: string;
  readonly prompt?: string;
}

export function foldPhoneStatus(status: PhoneStatus, event: ConsoleEvent): PhoneStatus {
  switch (event.kind) {
    case 'version':
      return {
        ...status,
        ...(event.model ? { model: `CP-${event.model}` } : {}),
        firmware: [event.protocol, event.version].filter(Boolean).join(' '),
      };
    case 'dhcp':
      return { ...status, dhcp: event.state };
    case 'status':
      return { ...status, lastStatus: event.text, ...(event.file ? { configFile: event.file } : {}) };
    case 'error':
      return { ...status, lastError: event.text };
    case 'prompt':
      return { ...status, prompt: event.text };
    default:
      return status;
  }
}

/** `CP-7960 SIP 8.0 · SEP000E84C060A6.cnf.xml · DHCP BOUND · error: TFTP Timeout`; empty when nothing is known. */
export function phoneStatusText(s: PhoneStatus): string {
  return [
    [s.model, s.firmware].filter(Boolean).join(' '),
    s.configFile,
    s.dhcp,
    s.lastStatus && s.lastStatus !== s.configFile ? s.lastStatus : undefined,
    s.lastError ? `error: ${s.lastError}` : undefined,
    s.prompt ? `prompt ${s.prompt}` : undefined,
  ]
    .filter((part): part is string => Boolean(part))
    .join(' · ');
}
