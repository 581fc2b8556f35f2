/**
 * `operation`, or a rejection with `onTimeout()` once `ms` have passed: a dependency that stalls (MySQL, Redis
 * behind a cut connection) must not hold a request longer than its budget. The operation itself runs on; its
 * late result or error is ignored.
 */
export function withinTime<T>(operation: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  operation.catch(() => undefined);
  return Promise.race([operation, limit]).finally(() => clearTimeout(timer));
}
