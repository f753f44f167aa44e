// Builds (or finds cached) the infrastructure images, printing progress.
// Usage: npx tsx infra/build-images.ts [name...]
// Without names: kafka, redis, geth, and the MongoDB-wire image CARECHAIN_MONGO selects
// (none when MONGO_URL points at an external MongoDB).
import { ensureImages, type ImageName } from '../libs/testing/src/images/image-builder';
import { defaultImageNames } from '../libs/testing/src/start-infrastructure';
import { prepareEngineEnvironment } from '../libs/testing/src/engine/docker-engine';

async function main(): Promise<void> {
  prepareEngineEnvironment();
  const requested = process.argv.slice(2) as ImageName[];
  const names = requested.length > 0 ? requested : defaultImageNames();
  const started = Date.now();
  const tags = await ensureImages(names, (line) => console.error(`[carechain] ${line}`));
  for (const name of names) console.log(`${name}\t${tags[name]}`);
  console.error(`[carechain] images ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err: unknown) => {
  console.error(`[carechain] ${(err as Error).message}`);
  process.exit(1);
});
