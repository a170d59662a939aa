// Serve PostGraphile on 127.0.0.1:$PORT, in $WORKERS processes (Node cluster) sharing the port.
import cluster from "node:cluster";
import { createServer } from "node:http";
import { postgraphile } from "postgraphile";
import { grafserv } from "postgraphile/grafserv/node";
import pg from "pg";
import preset from "./graphile.config.mjs";

// With BENCH_STATS_PORT set, count the SQL statements sent to PostgreSQL (transaction control
// aside) and serve the running total at http://127.0.0.1:$BENCH_STATS_PORT/ (one process only).
const statsPort = process.env.BENCH_STATS_PORT;
if (statsPort) {
  let statements = 0;
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (config, ...rest) {
    const text = typeof config === "string" ? config : config?.text ?? "";
    if (!/^\s*(begin|commit|rollback|savepoint|release)\b/i.test(text)) statements += 1;
    return query.call(this, config, ...rest);
  };
  createServer((_req, res) => res.end(JSON.stringify({ statements }))).listen(
    Number(statsPort),
    "127.0.0.1",
  );
}

const workers = Number(process.env.WORKERS ?? 1);

if (workers > 1 && cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on("exit", (worker, code) => {
    console.error(`worker ${worker.process.pid} exited with ${code}`);
    process.exit(1);
  });
  const stop = () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
} else {
  const pgl = postgraphile(preset);
  const serv = pgl.createServ(grafserv);
  const server = createServer();
  serv.addTo(server).catch((e) => {
    console.error(e);
    process.exit(1);
  });
  server.listen({ host: preset.grafserv.host, port: preset.grafserv.port }, () => {
    console.log(`PostGraphile (pid ${process.pid}) at http://${preset.grafserv.host}:${preset.grafserv.port}/graphql`);
  });
  process.on("SIGTERM", () => process.exit(0));
}
