import { DynamicModule, Global, Module } from '@nestjs/common';

/** Injection token for the validated config object of the running service. */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');

/** Makes the config validated in main.ts injectable everywhere as SERVICE_CONFIG. */
@Global()
@Module({})
export class ServiceConfigModule {
  static forRoot(config: object): DynamicModule {
    return {
      module: ServiceConfigModule,
      providers: [{ provide: SERVICE_CONFIG, useValue: Object.freeze({ ...config }) }],
      exports: [SERVICE_CONFIG],
    };
  }
}
