/** One dependency ingress needs to serve requests. */
export interface DependencyCheck {
  name: string;
  /** Resolves true when reachable; false or a rejection means not. */
  check: () => Promise<boolean>;
}

export interface Readiness {
  ready: boolean;
  failing: string[];
}

/** Runs every check at once, each bounded by `timeoutMs`. */
export async function checkReadiness(checks: readonly DependencyCheck[], timeoutMs = 2_000): Promise<Readiness> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const ok = await Promise.race([check().catch(() => false), timeout]);
      clearTimeout(timer);
      return { name, ok };
    }),
  );
  const failing = results.filter((r) => !r.ok).map((r) => r.name);
  return { ready: failing.length === 0, failing };
}
