import Redis from 'ioredis';

/** One PING over a fresh connection; resolves only on PONG. Never retries by itself. */
export async function pingRedis(url: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const reply = await client.ping();
    if (reply !== 'PONG') throw new Error(`PING answered ${String(reply)}`);
  } finally {
    client.disconnect();
  }
}
