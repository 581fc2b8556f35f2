import type { ClientFormatName } from '@aigw/formats';
import { ClientFormat } from '@aigw/proto';

/** The client API a request arrived on; decides validation rules and every error shape. */
export type ClientProtocol = ClientFormatName;

/** The protocol's value in gRPC messages and log events. */
export const CLIENT_FORMAT: Readonly<Record<ClientProtocol, ClientFormat>> = {
  openai: ClientFormat.CLIENT_FORMAT_OPENAI,
  anthropic: ClientFormat.CLIENT_FORMAT_ANTHROPIC,
  gemini: ClientFormat.CLIENT_FORMAT_GEMINI,
  responses: ClientFormat.CLIENT_FORMAT_OPENAI_RESPONSES,
  embeddings: ClientFormat.CLIENT_FORMAT_OPENAI_EMBEDDINGS,
};
