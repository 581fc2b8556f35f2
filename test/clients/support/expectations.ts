import { argumentsFromSchema, composeReplyText, composeToolResultText, countWords } from '@aigw/emulators';

// What a user of any client sees for the suite's conversations, derived with the upstream emulator's own
// helpers (the emulator answers the same whatever format or provider kind carried the request).

export const PROMPT = 'Say hello to the gateway';

/** The weather tool every tool loop declares, as plain JSON Schema (clients send it as given). */
export const WEATHER_SCHEMA = {
  type: 'object',
  properties: {
    city: { type: 'string', description: 'City name' },
    unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
    days: { type: 'integer', description: 'Days of forecast' },
  },
  required: ['city', 'unit', 'days'],
  additionalProperties: false,
} as const;
export const WEATHER_TOOL = { name: 'get_weather', description: 'Current weather in a city' } as const;
export const TOOL_PROMPT = 'What is the weather in Oslo?';
export const TOOL_RESULT = 'sunny, 21 C';

/** A structured answer every structured-output case asks for. */
export const CITY_SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string', description: 'The city' },
    country: { type: 'string' },
    population: { type: 'integer' },
    coastal: { type: 'boolean' },
  },
  required: ['name', 'country', 'population', 'coastal'],
  additionalProperties: false,
} as const;
export const OBJECT_PROMPT = 'Describe Bergen as a city record';

/** The greeting the emulator answers to a prompt, and its token usage (words). */
export function expectedGreeting(model: string, prompt = PROMPT): { text: string; inputTokens: number; outputTokens: number } {
  const text = composeReplyText(model, prompt);
  return { text, inputTokens: countWords(prompt), outputTokens: countWords(text) };
}

/** The arguments the emulator calls the weather tool with. */
export const expectedWeatherArgs = (): Record<string, unknown> => argumentsFromSchema(WEATHER_SCHEMA);

/** The answer once the weather tool has returned TOOL_RESULT. */
export const expectedToolAnswer = (result = TOOL_RESULT): string => composeToolResultText([{ name: WEATHER_TOOL.name, text: result }]);
