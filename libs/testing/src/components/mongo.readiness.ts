import mongoose from 'mongoose';

/** Opens a connection and runs `ping` (and `hello` where the server knows it). */
export async function pingMongo(url: string): Promise<void> {
  const connection = mongoose.createConnection(url, { serverSelectionTimeoutMS: 2000, connectTimeoutMS: 2000 });
  try {
    await connection.asPromise();
    const admin = connection.db!.admin();
    const pong = await admin.command({ ping: 1 });
    if (pong.ok !== 1) throw new Error(`ping answered ${JSON.stringify(pong)}`);
  } finally {
    await connection.close(true).catch(() => undefined);
  }
}
