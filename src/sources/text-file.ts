/**
 * Reading a text input (console log, server log) the one way: UTF-8 when the bytes are valid
 * UTF-8, else a single-byte code page (Latin-1), so every byte reads as some character.
 */
import { readFile } from 'node:fs/promises';
import { InputError } from '../exit-codes.js';

/** `what` names the kind of input in the error (`console log`, `server log`). */
export async function readInputText(file: string, what: string): Promise<string> {
  try {
    return decodeInputText(await readFile(file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${what} ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code ?? String(error)}`);
  }
}

export function decodeInputText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return Buffer.from(bytes).toString('latin1');
  }
}
