import { z } from '@aigw/config';

/** A model name as clients send it and upstreams take it. */
export const modelName = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:/@+-]+$/, 'letters, digits and . _ : / @ + - only');

/** `models` on a provider or a route: names the operator adds to the model lists (null clears them). */
export const modelNamesField = z.array(modelName).max(1000).nullable();
