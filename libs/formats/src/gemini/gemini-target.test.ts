import { describe, expect, it } from 'vitest';
import { thrownAppError as failure } from '../../test/support/thrown-app-error.js';
import { geminiModelName, geminiStreamFraming, parseGeminiTarget } from './gemini-target.js';

describe('parseGeminiTarget', () => {
  it('splits model and method at the last colon', () => {
    expect(parseGeminiTarget('gemini-2.5-flash:generateContent')).toEqual({ model: 'gemini-2.5-flash', method: 'generateContent' });
    expect(parseGeminiTarget('llama3:8b:streamGenerateContent')).toEqual({ model: 'llama3:8b', method: 'streamGenerateContent' });
    expect(parseGeminiTarget('gemini-2.5-pro')).toEqual({ model: 'gemini-2.5-pro', method: '' });
    expect(parseGeminiTarget(':generateContent')).toEqual({ model: '', method: 'generateContent' });
  });

  it('accepts the models/ prefix that some clients add themselves', () => {
    expect(parseGeminiTarget('models/gemini-2.5-pro:generateContent').model).toBe('gemini-2.5-pro');
    expect(geminiModelName('models/x')).toBe('x');
    expect(geminiModelName('org/model')).toBe('org/model');
  });
});

describe('geminiStreamFraming', () => {
  it('maps alt=sse to SSE and no alt (or alt=json) to a JSON array', () => {
    expect(geminiStreamFraming('sse')).toBe('sse');
    expect(geminiStreamFraming(undefined)).toBe('json-array');
    expect(geminiStreamFraming('json')).toBe('json-array');
  });

  it('rejects any other alt', () => {
    for (const alt of ['proto', 'media', ['sse', 'sse']]) expect(failure(() => geminiStreamFraming(alt)).details.param).toBe('alt');
  });
});
