import { thinkingSignature } from './thinking.js';

// The reasoning a Responses answer hands the client to give back (`include: ["reasoning.encrypted_content"]`),
// shaped like OpenAI's: a Fernet token ("gAAAAA…", version byte 0x80 then a zero timestamp prefix). The
// emulator's is the reasoning text's signature in that wrapping, so it can tell its own from anything else
// and refuse what it did not make, as OpenAI refuses content it cannot decrypt.

const PREFIX = 'gAAAAA';

/** The encrypted content of a reasoning text. */
export function encryptedReasoning(text: string): string {
  return PREFIX + Buffer.from(thinkingSignature(text)).toString('base64url');
}

/** Whether the emulator made this encrypted content. */
export function isEmuEncryptedReasoning(content: string): boolean {
  if (!content.startsWith(PREFIX)) return false;
  return Buffer.from(content.slice(PREFIX.length), 'base64url').toString('utf8').startsWith('emu1');
}
