/** The parts of cas-authentication (an untyped CommonJS package for Express) that src/web/cas uses. */
declare module 'cas-authentication' {
  export interface CasExpressRequest {
    url: string;
    query: Record<string, string | undefined>;
    session: Record<string, unknown>;
    host: string;
  }
  export interface CasExpressResponse {
    redirect(url: string): void;
    sendStatus(status: number): void;
  }
  export type CasHandler = (req: CasExpressRequest, res: CasExpressResponse, next: () => void) => void;
  export type CasValidateCallback = (
    error: Error | string | null,
    user?: unknown,
    attributes?: unknown,
  ) => void;

  export interface CasOptions {
    cas_url: string;
    service_url: string;
    cas_version?: '1.0' | '2.0' | '3.0' | 'saml1.1';
    renew?: boolean;
    session_name?: string;
    session_info?: string | false;
    destroy_session?: boolean;
  }

  export default class CASAuthentication {
    constructor(options: CasOptions);
    cas_url: string;
    cas_host: string;
    cas_port: number;
    cas_path: string;
    service_url: string;
    _validate(body: string, callback: CasValidateCallback): void;
    bounce: CasHandler;
    logout: CasHandler;
  }
}
