import './telemetry';
import { bootstrapService, loadConfig } from '@carechain/platform';
import { AppModule } from './app.module';
import { authConfigSchema } from './config';

async function main() {
  const config = loadConfig('auth', authConfigSchema);
  await bootstrapService({
    service: 'auth',
    description: 'Anonymous attribute-based authentication: verifier challenges, proofs and short-lived tokens.',
    module: AppModule.forRoot(config),
    host: config.HOST,
    port: config.PORT,
  });
}

void main();
