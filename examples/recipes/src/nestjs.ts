// NestJS: authwire on the axios instance of @nestjs/axios' HttpModule (`httpService.axiosRef`).
// One token manager per application, created by a provider and closed on shutdown; every
// HttpService call to the Norce origin carries the token, and a 401 is healed once.
import { withAuth } from '@authwire/axios';
import { type NorceTokenManager, norce } from '@authwire/norce';
import { HttpModule, HttpService } from '@nestjs/axios';
import {
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { firstValueFrom } from 'rxjs';
import { norceEnv } from './norce-env.ts';

/** Injection token of the application's Norce token manager. */
export const NORCE_AUTH = Symbol('NORCE_AUTH');

/** A service that calls Norce through Nest's HttpService, as any other Nest service would. */
@Injectable()
export class CatalogService {
  readonly #http: HttpService;

  constructor(@Inject(HttpService) http: HttpService) {
    this.#http = http;
  }

  async application(): Promise<{ ApplicationId: number; Name: string }> {
    const response = await firstValueFrom(
      this.#http.get<{ ApplicationId: number; Name: string }>(
        '/commerce/metadata/1.1/GetApplication',
        { params: { format: 'json' } },
      ),
    );
    return response.data;
  }
}

/** Wires the manager into HttpModule's axios instance once, when the module starts. */
@Injectable()
export class NorceAuthSetup implements OnModuleInit, OnApplicationShutdown {
  readonly #http: HttpService;
  readonly #auth: NorceTokenManager;

  constructor(@Inject(HttpService) http: HttpService, @Inject(NORCE_AUTH) auth: NorceTokenManager) {
    this.#http = http;
    this.#auth = auth;
  }

  onModuleInit(): void {
    // The base URL from the manager: the preset is the one place that knows Norce's hosts.
    this.#http.axiosRef.defaults.baseURL = this.#auth.baseUrl;
    withAuth(this.#http.axiosRef, this.#auth);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.#auth.close();
  }
}

@Module({
  imports: [HttpModule.register({ timeout: 10_000 })],
  providers: [
    { provide: NORCE_AUTH, useFactory: () => norce(norceEnv()) },
    NorceAuthSetup,
    CatalogService,
  ],
  exports: [CatalogService],
})
export class CatalogModule {}
