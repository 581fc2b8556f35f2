import { credentials, loadPackageDefinition, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath } from 'grpc-health-check';
import { grpcTarget } from './client.js';

type HealthClient = Client & {
  check(request: { service: string }, options: { deadline: Date }, cb: (e: ServiceError | null, r: { status: string }) => void): void;
};
type HealthCtor = new (target: string, creds: ReturnType<typeof credentials.createInsecure>) => HealthClient;

let ctor: HealthCtor | undefined;
function healthCtor(): HealthCtor {
  // The standard health proto is loaded dynamically: it is not ours to generate.
  if (!ctor) {
    const definition = loadPackageDefinition(loadSync(protoPath, { keepCase: true, enums: String, defaults: true })) as unknown as {
      grpc: { health: { v1: { Health: HealthCtor } } };
    };
    ctor = definition.grpc.health.v1.Health;
  }
  return ctor;
}

/** Asks a server's grpc.health.v1 whether `service` is SERVING; false on any failure or after `timeoutMs`. */
export async function isServing(address: string, service = '', timeoutMs = 1000): Promise<boolean> {
  const Health = healthCtor();
  const client = new Health(grpcTarget(address), credentials.createInsecure());
  try {
    return await new Promise<boolean>((resolve) =>
      client.check({ service }, { deadline: new Date(Date.now() + timeoutMs) }, (error, response) =>
        resolve(!error && response.status === 'SERVING'),
      ),
    );
  } finally {
    client.close();
  }
}
