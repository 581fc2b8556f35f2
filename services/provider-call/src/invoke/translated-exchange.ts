import { AppError } from '@aigw/errors';
import type { ClientCodec, EncodeContext, StreamEncoder } from '../adapters/client-codec.js';
import type { Exchange, ProviderAdapter, StreamDecoder, StreamTranslator, UpstreamTarget } from '../adapters/provider-adapter.js';
import type { IrError, IrStreamEvent, IrUsage } from '../ir/chat-ir.js';
import { parseJson } from '../ir/json-shape.js';
import { estimateInputTokens } from '../count/token-estimate.js';
import type { SseEvent } from '@aigw/formats';

/** Provider SSE → IR events → client SSE, noting usage on the way. */
export class TranslatingStream implements StreamTranslator {
  #usage: IrUsage | undefined;

  constructor(
    private readonly decoder: StreamDecoder,
    private readonly encoder: StreamEncoder,
  ) {}

  begin(): string {
    return this.encoder.begin();
  }

  push(event: SseEvent): string {
    return this.#encode(this.decoder.push(event));
  }

  end(): string {
    return this.#encode(this.decoder.end()) + this.encoder.end();
  }

  fail(error: IrError): string {
    return this.encoder.fail(error);
  }

  usage(): IrUsage | undefined {
    return this.#usage;
  }

  #encode(events: IrStreamEvent[]): string {
    let out = '';
    for (const event of events) {
      if (event.type === 'usage') this.#usage = event.usage;
      out += this.encoder.push(event);
    }
    return out;
  }
}

/** Client format ≠ provider format: decode the client body to the IR and let the provider build its own. */
export function translatedExchange(
  codec: ClientCodec,
  provider: ProviderAdapter,
  body: unknown,
  target: UpstreamTarget,
  stream: boolean,
  ctx: EncodeContext,
): Exchange {
  const decoded = codec.decodeRequest(body, stream);
  const encodeCtx: EncodeContext = decoded.answer === undefined ? ctx : { ...ctx, answer: decoded.answer };
  const { request, dropped } = provider.buildRequest(decoded.ir, target);
  return {
    request,
    droppedFields: [...new Set([...decoded.ir.dropped, ...dropped])],
    readResponse(text) {
      const json = parseJson(text);
      if (json === undefined) throw new AppError('UPSTREAM_ERROR', 'upstream answer is not JSON');
      const response = provider.decodeResponse(json);
      return { body: codec.encodeResponse(response, encodeCtx), usage: response.usage };
    },
    readError(status, text) {
      const error = provider.decodeError(status, text);
      return {
        body: codec.encodeError({ status, message: error.message }),
        ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      };
    },
    errorBody: (error) => codec.encodeError(error),
    ...(stream && codec.promptTokensFirst === true && provider.streamUsageLast === true ? { promptEstimate: () => estimateInputTokens(decoded.ir) } : {}),
    openStream: (promptTokens) =>
      new TranslatingStream(
        provider.createStreamDecoder(),
        codec.createStreamEncoder({ ...encodeCtx, streamUsage: decoded.streamUsage, ...(promptTokens === undefined ? {} : { promptTokens }) }),
      ),
  };
}
