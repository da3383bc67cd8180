/**
 * How the boot-flow model sees a TFTP server: by the exact name the phone sends (TFTP
 * servers on UNIX are case sensitive), the answer is a file, "File not found" or an access
 * violation. Contents are read only for the configuration files the model must parse.
 */
import type { ProvisioningText } from '../../parsers/provisioning/text-lines.js';

export interface TftpFile {
  /** Bytes as served. */
  readonly size: number;
  read(): ProvisioningText;
}

export type TftpAnswer = 'not-found' | 'denied' | TftpFile;

export type TftpLookup = (name: string) => TftpAnswer;

/** A lookup over files held in memory (tests, the simulated phone): exact names, `./` prefixes resolved. */
export function memoryLookup(
  files: Readonly<Record<string, ProvisioningText>>,
  denied: Iterable<string> = [],
): TftpLookup {
  const refused = new Set(denied);
  return (name) => {
    const path = stripCurrentDirectory(name);
    if (refused.has(path)) return 'denied';
    // Own keys only: a name such as `constructor` is not a file.
    const content = Object.hasOwn(files, path) ? files[path] : undefined;
    if (content === undefined) return 'not-found';
    return {
      size: typeof content === 'string' ? new TextEncoder().encode(content).length : content.length,
      read: () => content,
    };
  };
}

/** `./SIP000E84C060A6.cnf` → `SIP000E84C060A6.cnf` (tftp_cfg_dir "./" in the 8.12 log, facts 2.1). */
export function stripCurrentDirectory(name: string): string {
  let path = name;
  while (path.startsWith('./')) path = path.slice(2);
  return path;
}
