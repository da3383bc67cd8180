/**
 * TFTP error codes: RFC 1350 Appendix "Error Codes", plus code 8 from RFC 2347 ("A new
 * error code, 8, is hereby defined to indicate that a transfer should be terminated due to
 * option negotiation"). The one table of them: the decoder names the codes it reads, server-log
 * lines and the rules compare against them. The text a server puts in the packet differs
 * (tftp-hpa `File not found`, IOS `No such file`); these are the RFC names.
 */
export const TFTP_ERRORS = {
  notDefined: { code: 0, name: 'Not defined, see error message (if any)' },
  fileNotFound: { code: 1, name: 'File not found' },
  accessViolation: { code: 2, name: 'Access violation' },
  diskFull: { code: 3, name: 'Disk full or allocation exceeded' },
  /** tftpd32 names it EBADOP. */
  illegalOperation: { code: 4, name: 'Illegal TFTP operation' },
  unknownTransferId: { code: 5, name: 'Unknown transfer ID' },
  fileAlreadyExists: { code: 6, name: 'File already exists' },
  noSuchUser: { code: 7, name: 'No such user' },
  optionNegotiation: { code: 8, name: 'Transfer terminated due to option negotiation' },
} as const;

const NAMES: ReadonlyMap<number, string> = new Map(Object.values(TFTP_ERRORS).map((e) => [e.code, e.name]));

/** The RFC name of a TFTP error code, or undefined for a code no RFC defines. */
export function tftpErrorName(code: number): string | undefined {
  return NAMES.get(code);
}
