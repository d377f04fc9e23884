/**
 * Real PostgreSQL and Redis for tests, started per suite on free ports in
 * temporary directories (scripts/lib/servers.mjs does the work; the story and
 * the benchmarks use it directly). Typical use:
 *
 *   let pg: PostgresServer;
 *   beforeAll(async () => { pg = await startPostgres(); });
 *   afterAll(() => pg?.stop());
 */
export {
  startPostgres,
  startRedis,
  postgresBinDir,
  redisServerBin,
  type PostgresServer,
  type RedisServer,
} from "../../scripts/lib/servers.mjs";
