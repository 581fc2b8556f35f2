/**
 * A dependency's failure (MySQL, Redis, NATS down) as a log field: its message without the stack. An outage is
 * expected and says nothing about our code; a stack per failed refresh would bury the lines that do.
 */
export function dependencyError(error: unknown): { message: string } {
  return { message: error instanceof Error ? error.message : String(error) };
}
