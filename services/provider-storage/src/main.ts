import './telemetry';
import { bootstrapService, loadConfig } from '@carechain/platform';
import { AppModule } from './app.module';
import { storageConfigSchema } from './config';

async function main() {
  const config = loadConfig('provider-storage', storageConfigSchema);
  await bootstrapService({
    service: 'provider-storage',
    description: 'A provider\'s store of sealed records {C1, C2, σ}; each change becomes a PPR operation.',
    module: AppModule.forRoot(config),
    host: config.HOST,
    port: config.PORT,
    // base64 inflates by 4/3; leave room for the JSON around it.
    bodyLimit: `${Math.ceil((config.MAX_RECORD_BYTES * 4) / 3) + 64 * 1024}b`,
  });
}

void main();
