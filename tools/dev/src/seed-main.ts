import { encryptionKey, loadConfig, z } from '@aigw/config';
import { applyMigrations, createPrisma } from '@aigw/db';
import { CredentialCipher } from '@aigw/secrets';
import { seedDemo } from './seed.js';

// One-shot demo seed for docker-compose, where the emulators run in their own container
// (tools/emulators/src/main.ts). Seeds only an empty database; prints the demo key once.

const schema = z.object({
  DATABASE_URL: z.string().min(1),
  AIGW_ENCRYPTION_KEY: encryptionKey(),
  /** Base URL of the upstream emulator as the services reach it. */
  EMU_UPSTREAM_URL: z.string().url().default('http://127.0.0.1:9100'),
  EMU_OAUTH_TOKEN_URL: z.string().url().default('http://127.0.0.1:9101/token'),
  /** Comma-separated forward proxy URLs, without credentials (those come from the two vars below). */
  EMU_PROXY_URLS: z.string().default('http://127.0.0.1:9102,http://127.0.0.1:9103'),
  EMU_PROXY_USERNAME: z.string().default(''),
  EMU_PROXY_PASSWORD: z.string().default(''),
  AIGW_DEMO_API_KEY: z.string().default(''),
});

function withCredentials(proxyUrl: string, username: string, password: string): string {
  if (username === '') return proxyUrl;
  const url = new URL(proxyUrl);
  url.username = encodeURIComponent(username);
  url.password = encodeURIComponent(password);
  return url.toString().replace(/\/$/, '');
}

async function main(): Promise<void> {
  const config = loadConfig(schema, process.env);
  await applyMigrations(config.DATABASE_URL);
  const prisma = createPrisma(config.DATABASE_URL, { connectionLimit: 2 });
  try {
    const result = await seedDemo(prisma, new CredentialCipher(config.AIGW_ENCRYPTION_KEY), {
      upstreamUrl: config.EMU_UPSTREAM_URL,
      tokenUrl: config.EMU_OAUTH_TOKEN_URL,
      proxyUrls: config.EMU_PROXY_URLS.split(',')
        .map((url) => url.trim())
        .filter((url) => url !== '')
        .map((url) => withCredentials(url, config.EMU_PROXY_USERNAME, config.EMU_PROXY_PASSWORD)),
      ...(config.AIGW_DEMO_API_KEY === '' ? {} : { demoKey: config.AIGW_DEMO_API_KEY }),
    });
    console.log(result.seeded ? 'demo data seeded' : 'database already has providers: demo data left as it is');
    console.log(`demo API key: ${result.demoKey}`);
  } finally {
    await prisma.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
