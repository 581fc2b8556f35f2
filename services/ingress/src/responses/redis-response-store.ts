import { AppError } from '@aigw/errors';
import { itemIdOf, itemsById, outputItemsOf, type ResponsesItem } from '@aigw/formats';
import { redisKeys, type RedisClient } from '@aigw/redis';
import type { ResponseRecord, ResponseStore, SaveOutcome, StoredTurnRecord } from './response-store.js';

// Each response is one Redis hash (`resp:key:{<key id>}:<response id>`: response, input, affinity) with
// the store's TTL, and each of its items one string key naming the response that holds it. The client key
// id is the hash tag: a response and its item index are written by one script, and Redis Cluster keeps
// them on one node. Redis holds them in memory, so a stored response has a byte cap.

export interface RedisResponseStoreOptions {
  /** How long a response is kept, in seconds. */
  ttlSeconds: number;
  /** Largest stored response (response object + input items, JSON bytes); larger ones are not kept. */
  maxBytes: number;
  /** Cap on one store operation, so a stalled Redis cannot hold a request. */
  timeoutMs: number;
}

/** Items indexed per response at most (the newest): older ones stay indexed by the turns that added them. */
const MAX_INDEXED_ITEMS = 256;
/** Longer ids (a client's own, on input items) are not indexed: no Redis key the size of a body. */
const MAX_ITEM_ID_LENGTH = 256;

const FIELDS = { response: 'response', input: 'input', affinity: 'affinity' } as const;

/**
 * One response and its item index, written atomically as one command: a MULTI is a socket write of its own,
 * while script calls made in the same turn share one (auto-pipelining). Measured at S8 (Responses streams, 50
 * connections), the MULTI's write was ≈ 90 µs of ingress's CPU per response.
 *   KEYS[1]     the response's hash
 *   KEYS[2..]   its items' index keys
 *   ARGV        ttl seconds, response JSON, input JSON, affinity key, response id
 */
const SAVE_LUA = `
redis.call('HSET', KEYS[1], '${FIELDS.response}', ARGV[2], '${FIELDS.input}', ARGV[3], '${FIELDS.affinity}', ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[1])
for i = 2, #KEYS do
  redis.call('SET', KEYS[i], ARGV[5], 'EX', ARGV[1])
end
return 1
`;

type Saving = RedisClient & {
  aigwSaveResponse(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
};

const defined = new WeakSet<RedisClient>();

/** The client with the save script defined (once per client; see defineCommand's EVALSHA fallback). */
function saving(redis: RedisClient): Saving {
  if (!defined.has(redis)) {
    redis.defineCommand('aigwSaveResponse', { lua: SAVE_LUA });
    defined.add(redis);
  }
  return redis as Saving;
}

function parseItems(json: string): ResponsesItem[] {
  const value = JSON.parse(json) as unknown;
  return Array.isArray(value) ? (value as ResponsesItem[]) : [];
}

/** The ids of a record's items to index: every own id, and the derived ids of the turn's new input. */
function indexedIds(responseId: string, record: ResponseRecord): string[] {
  const ids: string[] = [];
  record.input.forEach((item, position) => {
    if (position >= record.carried || typeof item.id === 'string') ids.push(itemIdOf(item, responseId, position));
  });
  for (const item of outputItemsOf(record.response)) if (typeof item.id === 'string' && item.id !== '') ids.push(item.id);
  return ids.filter((id) => id.length <= MAX_ITEM_ID_LENGTH).slice(-MAX_INDEXED_ITEMS);
}

/** The response store in Redis. */
export class RedisResponseStore implements ResponseStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly options: RedisResponseStoreOptions,
  ) {
    // Before the client sends anything through this store (see select-script.ts on defining commands late).
    saving(redis);
  }

  responseJson(apiKeyId: number, responseId: string): Promise<string | null> {
    return this.bounded(this.redis.hget(redisKeys.storedResponse(apiKeyId, responseId), FIELDS.response));
  }

  async turn(apiKeyId: number, responseId: string): Promise<StoredTurnRecord | null> {
    const key = redisKeys.storedResponse(apiKeyId, responseId);
    const [response, input, affinity] = await this.bounded(this.redis.hmget(key, FIELDS.response, FIELDS.input, FIELDS.affinity));
    if (response == null || input == null) return null;
    return { response: JSON.parse(response) as Record<string, unknown>, input: parseItems(input), affinityKey: affinity ?? '' };
  }

  async input(apiKeyId: number, responseId: string): Promise<ResponsesItem[] | null> {
    const input = await this.bounded(this.redis.hget(redisKeys.storedResponse(apiKeyId, responseId), FIELDS.input));
    return input == null ? null : parseItems(input);
  }

  async save(apiKeyId: number, responseId: string, record: ResponseRecord): Promise<SaveOutcome> {
    const response = JSON.stringify(record.response);
    const input = JSON.stringify(record.input);
    if (Buffer.byteLength(response) + Buffer.byteLength(input) > this.options.maxBytes) return 'too_large';
    const itemKeys = indexedIds(responseId, record).map((itemId) => redisKeys.storedResponseItem(apiKeyId, itemId));
    const key = redisKeys.storedResponse(apiKeyId, responseId);
    await this.bounded(saving(this.redis).aigwSaveResponse(1 + itemKeys.length, key, ...itemKeys, this.options.ttlSeconds, response, input, record.affinityKey, responseId));
    return 'stored';
  }

  async delete(apiKeyId: number, responseId: string): Promise<boolean> {
    return (await this.bounded(this.redis.del(redisKeys.storedResponse(apiKeyId, responseId)))) > 0;
  }

  async items(apiKeyId: number, itemIds: readonly string[]): Promise<Map<string, ResponsesItem>> {
    const found = new Map<string, ResponsesItem>();
    itemIds = itemIds.filter((id) => id.length <= MAX_ITEM_ID_LENGTH);
    if (itemIds.length === 0) return found;
    const holders = await this.bounded(this.redis.mget(...itemIds.map((id) => redisKeys.storedResponseItem(apiKeyId, id))));
    const byResponse = new Map<string, string[]>();
    holders.forEach((responseId, at) => {
      if (responseId != null) byResponse.set(responseId, [...(byResponse.get(responseId) ?? []), itemIds[at]!]);
    });
    // A holder deleted or expired since leaves its items unresolved (not found), as OpenAI's would.
    await Promise.all(
      [...byResponse].map(async ([responseId, wanted]) => {
        const turn = await this.turn(apiKeyId, responseId);
        if (turn === null) return;
        const items = itemsById(responseId, { input: turn.input, output: outputItemsOf(turn.response) });
        for (const id of wanted) {
          const item = items.get(id);
          if (item !== undefined) found.set(id, item);
        }
      }),
    );
    return found;
  }

  /** The operation, or UNAVAILABLE once the store's time limit passes. */
  private bounded<T>(operation: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new AppError('UNAVAILABLE', 'the response store did not answer in time')), this.options.timeoutMs);
    });
    return Promise.race([operation, limit]).finally(() => clearTimeout(timer));
  }
}
