import { z } from 'zod';
import { validateBody } from './validate-body.js';

/** Longest model name a client may send (route patterns and upstream names stay far below). */
export const MAX_MODEL_LENGTH = 128;

/** A model name as a client may send it, in a body or a path: not blank, at most 128 characters. */
export const modelNameSchema = z
  .string()
  .max(MAX_MODEL_LENGTH, `must be at most ${MAX_MODEL_LENGTH} characters`)
  .regex(/\S/, 'must not be empty');

const pathModel = z.object({ model: modelNameSchema });

/** A model name from a request path, checked like a body's `model` (AppError INVALID_REQUEST, param `model`). */
export function checkModelName(model: unknown): string {
  return validateBody(pathModel, { model }, false).model;
}
