import { describe, expect, it } from 'vitest';
import type { IrPart } from '../../ir/chat-ir.js';
import { functionResponseContent, geminiPartsToIr, irPartsToGemini } from './gemini-parts.js';

const ids = () => {
  let n = 0;
  return () => `call_${++n}`;
};

describe('geminiPartsToIr', () => {
  it('joins thought parts into one reasoning part closed by its signature, and detaches signatures of other parts', () => {
    const dropped = new Set<string>();
    const parts = geminiPartsToIr(
      [
        { text: 'Let me ', thought: true },
        { text: 'think.', thought: true },
        { text: '', thought: true, thoughtSignature: 'S1' },
        { text: 'Partly ', thought: true },
        { functionCall: { name: 'weather', args: { city: 'Oslo' } }, thoughtSignature: 'S2' },
        { text: 'Done.', thoughtSignature: 'S3' },
        { inlineData: { mimeType: 'image/png', data: 'QQ' } },
        { fileData: { mimeType: 'image/jpeg', fileUri: 'https://x/y.jpg' } },
        { fileData: { mimeType: 'application/pdf', fileUri: 'gs://b/doc.pdf' } },
        { executableCode: { code: 'print(1)' } },
      ],
      { newToolCallId: ids(), dropped },
    );
    expect(parts).toEqual<IrPart[]>([
      { type: 'reasoning', text: 'Let me think.', signature: 'S1' },
      { type: 'reasoning', text: 'Partly ' },
      { type: 'reasoning', text: '', signature: 'S2' },
      { type: 'tool_call', id: 'call_1', name: 'weather', arguments: '{"city":"Oslo"}' },
      { type: 'reasoning', text: '', signature: 'S3' },
      { type: 'text', text: 'Done.' },
      { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'QQ' } },
      { type: 'image', source: { kind: 'url', url: 'https://x/y.jpg' } },
    ]);
    expect([...dropped].sort()).toEqual(['contents.parts.executableCode', 'contents.parts.fileData:application/pdf']);
  });

  it('reads function responses by their output / error keys, else as JSON', () => {
    expect(functionResponseContent({ output: 'sunny' })).toEqual({ content: 'sunny', isError: false });
    expect(functionResponseContent({ error: 'no such city' })).toEqual({ content: 'no such city', isError: true });
    expect(functionResponseContent({ temp: 20 })).toEqual({ content: '{"temp":20}', isError: false });
    expect(geminiPartsToIr([{ functionResponse: { id: 'c', name: 'f', response: { output: 'x' } } }], { newToolCallId: ids() })).toEqual([
      { type: 'tool_result', toolCallId: 'c', name: 'f', content: 'x', isError: false },
    ]);
  });
});

describe('irPartsToGemini', () => {
  it('puts detached signatures back on the part after them and drops unsigned reasoning for requests', () => {
    const dropped = new Set<string>();
    const parts = irPartsToGemini(
      [
        { type: 'reasoning', text: 'unsigned' },
        { type: 'reasoning', text: 'signed', signature: 'S1' },
        { type: 'reasoning', text: '', signature: 'S2' },
        { type: 'tool_call', id: 'c', name: 'f', arguments: '{"a":1}' },
        { type: 'redacted_reasoning', data: 'R' },
        { type: 'reasoning', text: '', signature: 'S3' },
      ],
      { keepUnsigned: false, dropped, toolNames: new Map() },
    );
    expect(parts).toEqual([
      { text: 'signed', thought: true, thoughtSignature: 'S1' },
      { functionCall: { id: 'c', name: 'f', args: { a: 1 } }, thoughtSignature: 'S2' },
      { text: '', thoughtSignature: 'S3' },
    ]);
    expect([...dropped].sort()).toEqual(['redacted_thinking', 'thinking:unsigned']);
  });

  it('shows unsigned reasoning as thoughts in answers, and names results after their calls', () => {
    const toolNames = new Map([['c9', 'weather']]);
    expect(
      irPartsToGemini(
        [
          { type: 'reasoning', text: 'summary' },
          { type: 'tool_result', toolCallId: 'c9', content: 'rain', isError: true },
          { type: 'image', source: { kind: 'url', url: 'https://x' } },
        ],
        { keepUnsigned: true, dropped: new Set(), toolNames },
      ),
    ).toEqual([
      { text: 'summary', thought: true },
      { functionResponse: { id: 'c9', name: 'weather', response: { error: 'rain' } } },
    ]);
  });

  it('round-trips Gemini parts through the IR', () => {
    const original = [
      { text: 'plan', thought: true, thoughtSignature: 'S1' },
      { functionCall: { id: 'c1', name: 'f', args: { q: 'x' } }, thoughtSignature: 'S2' },
      { text: 'answer', thoughtSignature: 'S3' },
    ];
    const ir = geminiPartsToIr(original, { newToolCallId: ids() });
    expect(irPartsToGemini(ir, { keepUnsigned: false, dropped: new Set(), toolNames: new Map() })).toEqual(original);
  });
});
