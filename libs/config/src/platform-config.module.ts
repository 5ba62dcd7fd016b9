import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { PlatformSettings } from './platform-settings';
import { ServiceName, settingsSchema } from './settings.schema';

@Global()
@Module({})
export class PlatformConfigModule {
  static forService(service: ServiceName): DynamicModule {
    return {
      module: PlatformConfigModule,
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          validationSchema: settingsSchema(service),
          validationOptions: { abortEarly: false, allowUnknown: true },
        }),
      ],
      providers: [
        {
          provide: PlatformSettings,
          inject: [ConfigService],
          useFactory: (config: ConfigService) => new PlatformSettings(config, service),
        },
      ],
      exports: [PlatformSettings],
    };
  }
}
