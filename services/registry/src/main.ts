import './telemetry';
import { bootstrapService, loadConfig } from '@carechain/platform';
import { AppModule } from './app.module';
import { registryConfigSchema } from './config';

async function main() {
  const config = loadConfig('registry', registryConfigSchema);
  await bootstrapService({
    service: 'registry',
    description: 'Registrar (identities to pseudonymous addresses) and each patient\'s Summary of PPRs.',
    module: AppModule.forRoot(config),
    host: config.HOST,
    port: config.PORT,
  });
}

void main();
