// Types for servers.mjs, so TypeScript tests and tools can import it.
export interface PostgresServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  readonly url: string;
  readonly dataDir: string;
  readonly pid: number | undefined;
  stop(): Promise<void>;
}
export interface RedisServer {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  readonly dataDir: string;
  readonly pid: number | undefined;
  stop(): Promise<void>;
}
export function postgresBinDir(): string | undefined;
export function redisServerBin(): string | undefined;
export function freePort(): Promise<number>;
export function startPostgres(options?: { tmpRoot?: string }): Promise<PostgresServer>;
export function startRedis(options?: { tmpRoot?: string; port?: number }): Promise<RedisServer>;
